import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { GoogleErrors, parseWireBody } from '@gke-emulator/common';
import { OperationTimingService, TIMING_SETTINGS } from '@gke-emulator/compute';
import { ResetService } from './reset.service';

const SETTINGS_SCHEMA = { operationDelayMs: 'int32', podReadyDelayMs: 'int32' } as const;
/** Google's project id rule: 6-30 characters, lowercase letters, digits and hyphens, starting with a letter. */
const PROJECT_ID = /^[a-z][-a-z0-9]{0,61}[a-z0-9]$/;

function projectOf(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !PROJECT_ID.test(value)) {
    throw GoogleErrors.invalidFieldValue('project', value, 'Not a valid project id.');
  }
  return value;
}

/** The emulator's own API: what no real cloud has (reset, timing of operations). */
@Controller('emulator/v1')
export class ControlController {
  constructor(
    private readonly resets: ResetService,
    private readonly timing: OperationTimingService,
  ) {}

  /** Everything, or one project (`?project=` or `{"project": ...}`). */
  @Post('reset')
  @HttpCode(200)
  async reset(@Query('project') queryProject?: string, @Body() body?: unknown) {
    const { project } = parseWireBody<{ project?: string }>(body, { project: 'string' }, 'body');
    return this.resets.reset(projectOf(project ?? queryProject));
  }

  /** Emulator-wide settings, or those one project sees (`?project=`). */
  @Get('settings')
  async settings(@Query('project') project?: string) {
    const scope = projectOf(project);
    return {
      operationDelayMs: await this.timing.delayMs(scope),
      podReadyDelayMs: await this.timing.delayMs(scope, undefined, 'podReadyDelayMs'),
    };
  }

  @Patch('settings')
  async updateSettings(@Body() body: unknown, @Query('project') queryProject?: string) {
    const project = projectOf(queryProject);
    const given = parseWireBody<{ operationDelayMs?: number; podReadyDelayMs?: number }>(
      body,
      SETTINGS_SCHEMA,
      'settings',
    );
    for (const setting of TIMING_SETTINGS) {
      const raw = given[setting];
      if (raw === undefined) continue;
      const value = Number(raw);
      if (value < 0 || value > 3_600_000) {
        throw GoogleErrors.invalidFieldValue(
          `settings.${setting}`,
          raw,
          'Must be between 0 and 3600000 milliseconds.',
        );
      }
      await this.timing.setDelayMs(value, project, setting);
    }
    return this.settings(project);
  }
}
