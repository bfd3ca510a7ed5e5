import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { GoogleErrors, parseWireBody } from '@gke-emulator/common';
import { OperationTimingService, parseTimingSettings } from '@gke-emulator/operations';
import { ResetService } from './reset.service';

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
  settings(@Query('project') project?: string) {
    return this.timing.settings(projectOf(project));
  }

  @Patch('settings')
  async updateSettings(@Body() body: unknown, @Query('project') queryProject?: string) {
    const project = projectOf(queryProject);
    await this.timing.update(parseTimingSettings(body), project);
    return this.timing.settings(project);
  }
}
