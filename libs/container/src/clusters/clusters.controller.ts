import { GoogleApiError } from '@gke-emulator/common';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { ContainerOperationService } from '../operations/container-operation.service';
import { containerContext, type IncomingRequest } from '../wire/container-context';
import { ClusterService } from './cluster.service';
import { NodePoolService } from './node-pool.service';
import { serverConfig } from './server-config';

/** `name:verb` → [name, verb]; a plain name has no verb. */
function splitVerb(segment: string): [string, string | undefined] {
  const index = segment.indexOf(':');
  return index < 0 ? [segment, undefined] : [segment.slice(0, index), segment.slice(index + 1)];
}

/**
 * Container v1 REST, on both path styles: `locations/{location}` (what gcloud and the client libraries use) and the
 * older `zones/{zone}`. Custom methods come as `name:verb` (or `/verb` on the zones paths).
 */
@Controller(['v1/projects/:project/locations/:location', 'v1/projects/:project/zones/:location'])
export class ClustersController {
  constructor(
    private readonly clusters: ClusterService,
    private readonly pools: NodePoolService,
    private readonly operations: ContainerOperationService,
  ) {}

  @Get('clusters')
  list(@Req() req: IncomingRequest, @Param('project') project: string, @Param('location') location: string) {
    return this.clusters.list(containerContext(req, project), location);
  }

  @Post('clusters')
  @HttpCode(200)
  create(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('location') location: string,
    @Body() body: unknown,
  ) {
    return this.clusters.create(containerContext(req, project), location, body);
  }

  @Get('clusters/:cluster')
  get(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('location') location: string,
    @Param('cluster') cluster: string,
  ) {
    return this.clusters.get(containerContext(req, project), location, cluster);
  }

  @Put('clusters/:cluster')
  update(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('location') location: string,
    @Param('cluster') cluster: string,
    @Body() body: unknown,
  ) {
    return this.clusters.update(containerContext(req, project), location, cluster, body);
  }

  @Delete('clusters/:cluster')
  delete(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('location') location: string,
    @Param('cluster') cluster: string,
  ) {
    return this.clusters.delete(containerContext(req, project), location, cluster);
  }

  /** `clusters/{c}:verb`, the only custom method on clusters here being setNetworkPolicy. */
  @Post('clusters/:cluster')
  @HttpCode(200)
  clusterVerb(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('location') location: string,
    @Param('cluster') segment: string,
    @Body() body: unknown,
  ) {
    const [cluster, verb] = splitVerb(segment);
    return this.clusterMethod(req, project, location, cluster, verb, body);
  }

  /** `clusters/{c}/nodePools` (create) and the zones paths' `clusters/{c}/verb`. */
  @Post('clusters/:cluster/:verb')
  @HttpCode(200)
  clusterSubpath(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('location') location: string,
    @Param('cluster') cluster: string,
    @Param('verb') verb: string,
    @Body() body: unknown,
  ) {
    if (verb === 'nodePools')
      return this.pools.create(containerContext(req, project), location, cluster, body);
    return this.clusterMethod(req, project, location, cluster, verb, body);
  }

  @Get('clusters/:cluster/nodePools')
  listPools(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('location') location: string,
    @Param('cluster') cluster: string,
  ) {
    return this.pools.list(containerContext(req, project), location, cluster);
  }

  @Get('clusters/:cluster/nodePools/:pool')
  getPool(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('location') location: string,
    @Param('cluster') cluster: string,
    @Param('pool') pool: string,
  ) {
    return this.pools.get(containerContext(req, project), location, cluster, pool);
  }

  @Delete('clusters/:cluster/nodePools/:pool')
  deletePool(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('location') location: string,
    @Param('cluster') cluster: string,
    @Param('pool') pool: string,
  ) {
    return this.pools.delete(containerContext(req, project), location, cluster, pool);
  }

  @Put('clusters/:cluster/nodePools/:pool')
  updatePool(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('location') location: string,
    @Param('cluster') cluster: string,
    @Param('pool') pool: string,
    @Body() body: unknown,
  ) {
    return this.pools.update(containerContext(req, project), location, cluster, pool, body);
  }

  @Post('clusters/:cluster/nodePools/:pool')
  @HttpCode(200)
  poolVerb(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('location') location: string,
    @Param('cluster') cluster: string,
    @Param('pool') segment: string,
    @Body() body: unknown,
  ) {
    const [pool, verb] = splitVerb(segment);
    return this.poolMethod(req, project, location, cluster, pool, verb, body);
  }

  @Post('clusters/:cluster/nodePools/:pool/:verb')
  @HttpCode(200)
  poolSubpath(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('location') location: string,
    @Param('cluster') cluster: string,
    @Param('pool') pool: string,
    @Param('verb') verb: string,
    @Body() body: unknown,
  ) {
    return this.poolMethod(req, project, location, cluster, pool, verb, body);
  }

  @Get('operations')
  listOperations(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('location') location: string,
  ) {
    return this.operations.list(containerContext(req, project), location);
  }

  @Get('operations/:operation')
  getOperation(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('location') location: string,
    @Param('operation') operation: string,
  ) {
    return this.operations.get(containerContext(req, project), location, operation);
  }

  @Get('serverConfig')
  serverConfig(@Param('location') location: string) {
    return serverConfig(location);
  }

  private clusterMethod(
    req: IncomingRequest,
    project: string,
    location: string,
    cluster: string,
    verb: string | undefined,
    body: unknown,
  ) {
    const ctx = containerContext(req, project);
    switch (verb) {
      case 'setNetworkPolicy':
        return this.clusters.setNetworkPolicy(ctx, location, cluster, body);
      case 'setResourceLabels': // v1: clusters/{c}:setResourceLabels
      case 'resourceLabels': // the zones form: zones/{z}/clusters/{c}/resourceLabels
        return this.clusters.setResourceLabels(ctx, location, cluster, body);
      case 'update':
        return this.clusters.update(ctx, location, cluster, body);
      default:
        throw unimplemented(`clusters.${verb ?? 'create'}`);
    }
  }

  private poolMethod(
    req: IncomingRequest,
    project: string,
    location: string,
    cluster: string,
    pool: string,
    verb: string | undefined,
    body: unknown,
  ) {
    const ctx = containerContext(req, project);
    if (verb === 'setSize') return this.pools.setSize(ctx, location, cluster, pool, body);
    if (verb === 'update') return this.pools.update(ctx, location, cluster, pool, body);
    throw unimplemented(`clusters.nodePools.${verb ?? 'create'}`);
  }
}

function unimplemented(method: string) {
  return new GoogleApiError(
    501,
    'notImplemented',
    `Method 'google.container.v1.ClusterManager.${method}' is not implemented by gke-emulator.`,
  );
}
