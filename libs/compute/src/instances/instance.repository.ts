import { Injectable } from '@nestjs/common';
import { Database } from '@gke-emulator/db';
import type { WireObject } from '../shared/compute-context';

/** The SQL of Compute's instances: GKE's nodes (the `node` table holds their compute#instance objects). */
@Injectable()
export class InstanceRepository {
  constructor(private readonly db: Database) {}

  /** The stored compute#instance of the zone's instance named `name`; null when there is none. */
  async find(project: string, zone: string, name: string): Promise<WireObject | null> {
    const rows = await this.db.query<{ resource: WireObject }>(
      `SELECT resource FROM node WHERE project_id = $1 AND zone = $2 AND name = $3`,
      [project, zone, name],
    );
    return rows[0]?.resource ?? null;
  }

  /** The stored compute#instances of one zone (every zone without one), by name. */
  async list(project: string, zone?: string): Promise<WireObject[]> {
    const rows = await this.db.query<{ resource: WireObject }>(
      `SELECT resource FROM node WHERE project_id = $1 AND ($2::text IS NULL OR zone = $2) ORDER BY name`,
      [project, zone ?? null],
    );
    return rows.map((row) => row.resource);
  }
}
