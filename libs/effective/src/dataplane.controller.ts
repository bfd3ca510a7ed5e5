import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import { DataplaneReadsService } from './dataplane-reads.service';

interface ReplyLike {
  header(name: string, value: string): ReplyLike;
  send(body: unknown): void;
}

type Query_ = Record<string, string | undefined>;

/**
 * The effective data plane, read: `/emulator/v1/projects/{p}/locations/{l}/clusters/{c}/...` (other tools are
 * built on these shapes). Every answer says which generation it reflects and whether that is current.
 */
@Controller('emulator/v1')
export class DataplaneController {
  constructor(private readonly reads: DataplaneReadsService) {}

  /** Convergence of every cluster (`?project=` for one project): `converged` once every result is current. */
  @Get('dataplane')
  status(@Query('project') project?: string) {
    return this.reads.status(project);
  }

  @Get('projects/:p/locations/:l/clusters/:c/nodes/:n/routes')
  routes(@Param('p') p: string, @Param('l') l: string, @Param('c') c: string, @Param('n') n: string) {
    return this.reads.routes(p, l, c, n);
  }

  @Get('projects/:p/locations/:l/clusters/:c/nodes/:n/firewall')
  firewall(@Param('p') p: string, @Param('l') l: string, @Param('c') c: string, @Param('n') n: string) {
    return this.reads.firewall(p, l, c, n);
  }

  @Get('projects/:p/locations/:l/clusters/:c/nodes/:n/networkPolicies')
  networkPolicies(
    @Param('p') p: string,
    @Param('l') l: string,
    @Param('c') c: string,
    @Param('n') n: string,
  ) {
    return this.reads.networkPolicies(p, l, c, n);
  }

  /** The iptables-save text; freshness in `X-Observed-Generation`, `X-Generation` and `X-Current`. */
  @Get('projects/:p/locations/:l/clusters/:c/nodes/:n/iptables')
  @Header('content-type', 'text/plain; charset=utf-8')
  async iptables(
    @Param('p') p: string,
    @Param('l') l: string,
    @Param('c') c: string,
    @Param('n') n: string,
    @Res() reply: ReplyLike,
  ) {
    const { freshness, text } = await this.reads.iptables(p, l, c, n);
    reply
      .header('x-generation', freshness.generation)
      .header('x-observed-generation', freshness.observedGeneration)
      .header('x-current', String(freshness.current))
      .send(text);
  }

  @Get('projects/:p/locations/:l/clusters/:c/nodes/:n/iptables/trace')
  trace(
    @Param('p') p: string,
    @Param('l') l: string,
    @Param('c') c: string,
    @Param('n') n: string,
    @Query() query: Query_,
  ) {
    return this.reads.trace(p, l, c, n, query);
  }

  /** NetworkPolicy's verdict on one connection: `?source=ns/pod|IP&destination=ns/pod|IP&port=N&protocol=TCP`. */
  @Get('projects/:p/locations/:l/clusters/:c/networkPolicyVerdict')
  networkPolicyVerdict(
    @Param('p') p: string,
    @Param('l') l: string,
    @Param('c') c: string,
    @Query() query: Query_,
  ) {
    return this.reads.connection(p, l, c, {
      source: query['source'] ?? '',
      destination: query['destination'] ?? '',
      port: Number(query['port']),
      protocol: query['protocol'],
    });
  }

  @Get('projects/:p/locations/:l/clusters/:c/reachability')
  reachability(@Param('p') p: string, @Param('l') l: string, @Param('c') c: string, @Query() query: Query_) {
    return this.reads.reachability(p, l, c, query);
  }
}
