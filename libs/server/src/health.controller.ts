import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { Database } from '@gke-emulator/db';

@Controller()
export class HealthController {
  constructor(private readonly db: Database) {}

  /** The process is up. */
  @Get('healthz')
  @HttpCode(200)
  healthz() {
    return { status: 'ok' };
  }

  /**
   * The process can serve: the database answers (migrations ran before the server started listening). Asked on
   * the pool, not through Prisma: a probe right after start would otherwise load Prisma's query compiler in the
   * middle of the start (the server does that once it is ready, see Database.warmUp).
   */
  @Get('readyz')
  async readyz() {
    try {
      await this.db.query('select 1');
    } catch {
      throw new ServiceUnavailableException('database unavailable');
    }
    return { status: 'ready' };
  }
}
