import { Injectable } from '@nestjs/common';
import { OperationTimingService } from '@gke-emulator/compute';
import { Database } from '@gke-emulator/db';

/** Forgets everything, or one project (the tenant tests isolate themselves by). */
@Injectable()
export class ResetService {
  constructor(
    private readonly db: Database,
    private readonly timing: OperationTimingService,
  ) {}

  async reset(project?: string): Promise<{ projectsDeleted: number }> {
    // Deleting projects cascades to every resource, range and operation they own.
    const deleted = project
      ? await this.db.prisma.project.deleteMany({ where: { id: project } })
      : await this.db.prisma.project.deleteMany({});
    await this.timing.clear(project);
    return { projectsDeleted: deleted.count };
  }
}
