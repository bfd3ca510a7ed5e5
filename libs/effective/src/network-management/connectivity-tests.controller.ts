import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { GoogleErrors } from '@gke-emulator/common';
import { ConnectivityTestService, type ListQuery } from './connectivity-test.service';
import { NetworkManagementErrors } from './connectivity-test.wire';

/** `name:verb` → [name, verb]. */
function splitVerb(segment: string): [string, string | undefined] {
  const index = segment.indexOf(':');
  return index < 0 ? [segment, undefined] : [segment.slice(0, index), segment.slice(index + 1)];
}

function globalOnly(location: string): void {
  if (location !== 'global') {
    throw NetworkManagementErrors.invalidArgument(
      `Invalid location '${location}': Connectivity Tests live in location 'global'.`,
    );
  }
}

/**
 * Network Management API v1 (`gcloud network-management`, with CLOUDSDK_API_ENDPOINT_OVERRIDES_NETWORKMANAGEMENT
 * set to `<emulator>/networkmanagement/`): connectivity tests and their operations.
 */
@Controller('networkmanagement/v1/projects/:project/locations/:location')
export class ConnectivityTestsController {
  constructor(private readonly tests: ConnectivityTestService) {}

  @Get('connectivityTests')
  list(@Param('project') project: string, @Param('location') location: string, @Query() query: ListQuery) {
    globalOnly(location);
    return this.tests.list(project, query);
  }

  @Post('connectivityTests')
  @HttpCode(200)
  create(
    @Param('project') project: string,
    @Param('location') location: string,
    @Query('testId') testId: unknown,
    @Body() body: unknown,
  ) {
    globalOnly(location);
    return this.tests.create(project, testId, body);
  }

  @Get('connectivityTests/:test')
  get(@Param('project') project: string, @Param('location') location: string, @Param('test') test: string) {
    globalOnly(location);
    return this.tests.get(project, test);
  }

  @Patch('connectivityTests/:test')
  patch(
    @Param('project') project: string,
    @Param('location') location: string,
    @Param('test') test: string,
    @Query('updateMask') updateMask: unknown,
    @Body() body: unknown,
  ) {
    globalOnly(location);
    return this.tests.patch(project, test, body, updateMask);
  }

  @Delete('connectivityTests/:test')
  delete(
    @Param('project') project: string,
    @Param('location') location: string,
    @Param('test') test: string,
  ) {
    globalOnly(location);
    return this.tests.delete(project, test);
  }

  /** `connectivityTests/{t}:rerun`; the IAM methods are not emulated. */
  @Post('connectivityTests/:test')
  @HttpCode(200)
  verb(
    @Param('project') project: string,
    @Param('location') location: string,
    @Param('test') segment: string,
  ) {
    globalOnly(location);
    const [test, verb] = splitVerb(segment);
    if (verb === 'rerun') return this.tests.rerun(project, test);
    throw GoogleErrors.notImplemented(
      `google.cloud.networkmanagement.v1.ReachabilityService.${verb ?? 'post'}`,
    );
  }

  @Get('operations')
  listOperations(
    @Param('project') project: string,
    @Param('location') location: string,
    @Query() query: ListQuery,
  ) {
    globalOnly(location);
    return this.tests.listOperations(project, query);
  }

  @Get('operations/:operation')
  getOperation(
    @Param('project') project: string,
    @Param('location') location: string,
    @Param('operation') op: string,
  ) {
    globalOnly(location);
    return this.tests.getOperation(project, op);
  }

  @Delete('operations/:operation')
  deleteOperation(
    @Param('project') project: string,
    @Param('location') location: string,
    @Param('operation') op: string,
  ) {
    globalOnly(location);
    return this.tests.deleteOperation(project, op);
  }

  @Post('operations/:operation')
  @HttpCode(200)
  cancelOperation(
    @Param('project') project: string,
    @Param('location') location: string,
    @Param('operation') segment: string,
  ) {
    globalOnly(location);
    const [op, verb] = splitVerb(segment);
    if (verb === 'cancel') return this.tests.cancelOperation(project, op);
    throw GoogleErrors.notImplemented(`google.longrunning.Operations.${verb ?? 'post'}`);
  }
}
