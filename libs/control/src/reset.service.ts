import { Injectable } from '@nestjs/common';
import { Database } from '@gke-emulator/db';
import { OperationTimingService } from '@gke-emulator/operations';
import { ResetRepository } from './reset.repository';

/** Forgets everything, or one project (the tenant tests isolate themselves by). */
@Injectable()
export class ResetService {
  constructor(
    private readonly db: Database,
    private readonly repository: ResetRepository,
    private readonly timing: OperationTimingService,
  ) {}

  /** One transaction: the projects, everything they own or that refers to it, and their settings go together. */
  async reset(project?: string): Promise<{ projectsDeleted: number }> {
    const projectsDeleted = await this.db.transaction(async (tx) => {
      const deleted = await this.repository.deleteProjects(tx, project);
      await this.timing.clear(project, tx);
      return deleted;
    });
    return { projectsDeleted };
  }
}
