import { Injectable } from '@nestjs/common';
import { Database, type Tx } from '@gke-emulator/db';
import type { WireObject } from '../shared/compute-context';
import type { SubnetRangeRow } from './subnet-routes';

export interface StoredRoute {
  id: bigint;
  project: string;
  name: string;
  networkId: bigint;
  systemGenerated: boolean;
  resource: WireObject;
}

type Row = {
  id: bigint;
  projectId: string;
  name: string;
  networkId: bigint;
  systemGenerated: boolean;
  resource: unknown;
};

function toStored(row: Row): StoredRoute {
  return {
    id: row.id,
    project: row.projectId,
    name: row.name,
    networkId: row.networkId,
    systemGenerated: row.systemGenerated,
    resource: row.resource as WireObject,
  };
}

@Injectable()
export class RouteRepository {
  constructor(private readonly db: Database) {}

  async insert(tx: Tx, route: StoredRoute): Promise<void> {
    await tx.route.create({
      data: {
        id: route.id,
        projectId: route.project,
        name: route.name,
        networkId: route.networkId,
        destRange: String(route.resource['destRange']),
        priority: Number(route.resource['priority']),
        systemGenerated: route.systemGenerated,
        resource: route.resource as object,
      },
    });
  }

  async find(project: string, name: string): Promise<StoredRoute | null> {
    const row = await this.db.prisma.route.findUnique({
      where: { projectId_name: { projectId: project, name } },
    });
    return row ? toStored(row) : null;
  }

  async list(project: string): Promise<StoredRoute[]> {
    return (await this.db.prisma.route.findMany({ where: { projectId: project } })).map(toStored);
  }

  async listByNetwork(tx: Tx, networkId: bigint): Promise<StoredRoute[]> {
    return (await tx.route.findMany({ where: { networkId }, orderBy: { name: 'asc' } })).map(toStored);
  }

  async delete(tx: Tx, id: bigint): Promise<void> {
    await tx.route.delete({ where: { id } });
  }

  async deleteMany(tx: Tx, ids: readonly bigint[]): Promise<void> {
    await tx.route.deleteMany({ where: { id: { in: [...ids] } } });
  }

  /** The project's forwarding rules with this IP, or this region and name (next hops of routes). */
  /**
   * The project's forwarding rules on an IP, or the one named in a region. With `tx`, their rows are locked
   * (`for share`) until it ends, so none can be deleted under a route being written that uses it.
   */
  async forwardingRules(
    project: string,
    by: { ip: string } | { region: string; name: string },
    tx?: Tx,
  ): Promise<{ resource: WireObject }[]> {
    const lock = tx ? ' for share' : '';
    const [where, values] =
      'ip' in by
        ? [`resource->>'IPAddress' = $2`, [project, by.ip]]
        : [`scope = $2 and name = $3`, [project, by.region, by.name]];
    const sql = `select resource from load_balancing_resource
                 where project_id = $1 and kind = 'forwardingRules' and ${where}${lock}`;
    return tx ? tx.$queryRawUnsafe<{ resource: WireObject }[]>(sql, ...values) : this.db.query(sql, values);
  }

  /** Every subnet range of the project (or of one network), for the derived subnet routes. */
  async subnetRanges(project: string, networkId?: bigint): Promise<SubnetRangeRow[]> {
    return this.db.prisma.$queryRaw<SubnetRangeRow[]>`
      select r.network_id as "networkId", n.name as "networkName", s.project_id as project,
             s.resource->>'creationTimestamp' as "subnetworkCreated", host(r.cidr) || '/' || masklen(r.cidr) as cidr
      from subnet_range r
      join subnetwork s on s.id = r.subnetwork_id
      join network n on n.id = r.network_id
      where s.project_id = ${project} and (${networkId ?? null}::bigint is null or r.network_id = ${networkId ?? null}::bigint)`;
  }

  /** The network of an instance (a GKE node's VM), or null when no such instance exists. */
  async instanceNetwork(project: string, zone: string, name: string): Promise<bigint | null> {
    const rows = await this.db.prisma.$queryRaw<{ networkId: bigint }[]>`
      select network_id as "networkId" from node where project_id = ${project} and zone = ${zone} and name = ${name}`;
    return rows[0]?.networkId ?? null;
  }
}
