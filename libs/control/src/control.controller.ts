import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { GoogleErrors, parseWireBody } from '@gke-emulator/common';
import { OperationTimingService } from '@gke-emulator/compute';
import { ResetService } from './reset.service';

const SETTINGS_SCHEMA = { operationDelayMs: 'int32' } as const;
const PROJECT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$|^[a-z][-a-z0-9.:]{0,99}$/;

/** The emulator's own API: what no real cloud has (reset, timing of operations). */
@Controller('emulator/v1')
export class ControlController {
  constructor(
    private readonly resets: ResetService,
    private readonly timing: OperationTimingService,
  ) {}

  @Post('reset')
  @HttpCode(200)
  async reset(@Query('project') queryProject?: string, @Body() body?: unknown) {
    const { project } = parseWireBody<{ project?: string }>(body, { project: 'string' }, 'body');
    const target = project ?? queryProject;
    if (target !== undefined && !PROJECT_ID.test(target)) {
      throw GoogleErrors.invalidFieldValue('project', target, 'Not a valid project id.');
    }
    return this.resets.reset(target);
  }

  @Get('settings')
  async settings() {
    return { operationDelayMs: await this.timing.delayMs() };
  }

  @Patch('settings')
  async updateSettings(@Body() body: unknown) {
    const { operationDelayMs } = parseWireBody<{ operationDelayMs?: number }>(body, SETTINGS_SCHEMA, 'settings');
    if (operationDelayMs !== undefined) {
      if (operationDelayMs < 0 || operationDelayMs > 3_600_000) {
        throw GoogleErrors.invalidFieldValue(
          'settings.operationDelayMs',
          operationDelayMs,
          'Must be between 0 and 3600000 milliseconds.',
        );
      }
      await this.timing.setDelayMs(Number(operationDelayMs));
    }
    return this.settings();
  }
}
