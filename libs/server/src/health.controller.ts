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

  /** The process can serve: the database answers (migrations ran before the server started listening). */
  @Get('readyz')
  async readyz() {
    try {
      await this.db.prisma.$queryRaw`select 1`;
    } catch {
      throw new ServiceUnavailableException('database unavailable');
    }
    return { status: 'ready' };
  }
}
