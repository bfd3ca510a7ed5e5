import { Injectable } from '@nestjs/common';
import { Database } from '@gke-emulator/db';

/**
 * A project's state, in one cheap read: how many Compute and GKE operations it has and the newest (every write
 * stores one, deletes too; the count tells apart two writes in one millisecond) and its clusters' statuses (a
 * cluster moves from PROVISIONING to RUNNING without a new operation).
 */
const PROJECT_VERSION_SQL = `
  SELECT (SELECT count(*) || '@' || coalesce(max(insert_time)::text, '') FROM operation WHERE project_id = $1) || '|' ||
         (SELECT count(*) || '@' || coalesce(max(insert_time)::text, '') FROM container_operation
           WHERE project_id = $1) || '|' ||
         coalesce((SELECT md5(string_agg(id::text || ':' || coalesce(resource ->> 'status', ''), ',' ORDER BY id))
                     FROM cluster WHERE project_id = $1), '') AS version`;

/** The SQL of `projectChanged` (project-change.events.ts). */
@Injectable()
export class ProjectVersionRepository {
  constructor(private readonly db: Database) {}

  /** The project's version: equal text while nothing of it changed ('' for an unknown project). */
  async version(project: string): Promise<string> {
    const rows = await this.db.query<{ version: string }>(PROJECT_VERSION_SQL, [project]);
    return rows[0]?.version ?? '';
  }
}
