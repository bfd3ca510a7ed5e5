import { Injectable } from '@nestjs/common';
import { Database } from '@gke-emulator/db';

/** Forgets everything, or one project (the tenant tests isolate themselves by). */
@Injectable()
export class ResetService {
  constructor(private readonly db: Database) {}

  async reset(project?: string): Promise<{ projectsDeleted: number }> {
    // Deleting projects cascades to every resource, range and operation they own.
    const deleted = project
      ? await this.db.prisma.project.deleteMany({ where: { id: project } })
      : await this.db.prisma.project.deleteMany({});
    return { projectsDeleted: deleted.count };
  }
}
