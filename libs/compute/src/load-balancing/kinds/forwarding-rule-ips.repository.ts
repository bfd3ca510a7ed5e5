import { relativeReference } from '@gke-emulator/common';
import type { Database, Tx } from '@gke-emulator/db';
import { lockAddressPool } from '../../addresses/address.repository';
import type { WireObject } from '../../shared/compute-context';
import type { LoadBalancingRecord } from '../load-balancing-kind';

export const EXTERNAL_SCHEMES = ['EXTERNAL', 'EXTERNAL_MANAGED'];
export const INTERNAL_SCHEMES = ['INTERNAL', 'INTERNAL_MANAGED'];

export interface ReservedAddress {
  id: bigint;
  address: string;
  resource: WireObject;
}

export interface RuleUsingIp {
  project: string;
  scope: string;
  name: string;
  resource: WireObject;
}

/** Identifies a forwarding rule, to leave it out of the checks against "other" rules when it is patched. */
export interface RuleIdentity {
  project: string;
  scope: string;
  name: string;
}

/**
 * The addresses forwarding rules need from the database: reserved addresses by IP, the IPs already held in a
 * pool (reserved addresses, other forwarding rules and, in a network, GKE nodes), and the rules on one IP for the
 * overlap rule.
 *
 * Ephemeral addresses are chosen inside the rule's write transaction under the pool's advisory lock, the one
 * address reservations and node IPs take: whoever holds it sees every IP committed before it, and its own is
 * committed before the next holder looks, so no two writers (in any process) hand out the same IP.
 */
export class ForwardingRuleIps {
  constructor(private readonly db: Database) {}

  /** The address of the project reserved at `ip` in `scope` (in `networkId` for internal ones). */
  async reservedAt(
    project: string,
    scope: string,
    ip: string,
    networkId: bigint | null,
  ): Promise<ReservedAddress | null> {
    const [row] = await this.db.query<{ id: string; address: string; resource: WireObject }>(
      `select id::text, host(address) as address, resource from address
       where project_id = $1 and region = $2 and address = $3::inet
         and (($4::bigint is null and address_type = 'EXTERNAL') or (address_type = 'INTERNAL' and network_id = $4::bigint))`,
      [project, scope, ip, networkId === null ? null : networkId.toString()],
    );
    return row ? { id: BigInt(row.id), address: row.address, resource: row.resource } : null;
  }

  /** Whether an external IP is held by another project's address or forwarding rule, or in another scope. */
  async externalHeldElsewhere(ip: string, self: RuleIdentity): Promise<boolean> {
    const [row] = await this.db.query<{ held: boolean }>(
      `select exists (
         select 1 from address where address_type = 'EXTERNAL' and address = $1::text::inet
           and (project_id <> $2 or region <> $3)
         union all
         select 1 from load_balancing_resource where kind = 'forwardingRules'
           and resource->>'IPAddress' = $1::text and resource->>'loadBalancingScheme' = any($4)
           and (project_id <> $2 or scope <> $3)
       ) as held`,
      [ip, self.project, self.scope, EXTERNAL_SCHEMES],
    );
    return row?.held === true;
  }

  /** The primary range of a subnetwork, e.g. `10.0.0.0/24`. */
  async subnetRange(subnetworkId: bigint): Promise<string> {
    const [row] = await this.db.query<{ range: string }>(
      `select resource->>'ipCidrRange' as range from subnetwork where id = $1`,
      [subnetworkId.toString()],
    );
    return row?.range ?? '';
  }

  /** Takes the pool's lock until `tx` ends: `null` for the external pools, else a network's internal one. */
  lockPool(tx: Tx, networkId: bigint | null): Promise<void> {
    return lockAddressPool(tx, networkId);
  }

  /** IPs held inside `cidr`: by external addresses and external rules anywhere (Google's public space). */
  externalTaken(tx: Tx, cidr: string): Promise<string[]> {
    return this.ips(
      tx,
      `select host(address) as ip from address where address_type = 'EXTERNAL' and address <<= $1::inet
       union
       select resource->>'IPAddress' from load_balancing_resource where kind = 'forwardingRules'
         and resource->>'loadBalancingScheme' = any($2) and (resource->>'IPAddress')::inet <<= $1::inet`,
      [cidr, EXTERNAL_SCHEMES],
    );
  }

  /** IPs held inside `cidr` in one network: by its internal addresses, its internal rules and its GKE nodes. */
  internalTaken(tx: Tx, cidr: string, networkId: bigint, networkLink: string): Promise<string[]> {
    return this.ips(
      tx,
      `select host(address) as ip from address
         where address_type = 'INTERNAL' and network_id = $2::bigint and address <<= $1::inet
       union
       select resource->>'IPAddress' from load_balancing_resource where kind = 'forwardingRules'
         and resource->>'network' = $3 and resource->>'loadBalancingScheme' = any($4)
         and (resource->>'IPAddress')::inet <<= $1::inet
       union
       select host(internal_ip) from node where network_id = $2::bigint and internal_ip <<= $1::inet`,
      [cidr, networkId.toString(), networkLink, INTERNAL_SCHEMES],
    );
  }

  /** Every forwarding rule on `ip` with `protocol`, in any project (the caller narrows it down). */
  async rulesOn(ip: string, protocol: string): Promise<RuleUsingIp[]> {
    const rows = await this.db.query<{ project: string; scope: string; name: string; resource: WireObject }>(
      `select project_id as project, scope, name, resource from load_balancing_resource
       where kind = 'forwardingRules' and resource->>'IPAddress' = $1 and resource->>'IPProtocol' = $2
       order by created_at`,
      [ip, protocol],
    );
    return rows;
  }

  /**
   * The routes whose `nextHopIlb` is this rule, by link or by its IP in its network, as relative links, oldest
   * first. Routes keep their `nextHopIlb` as given, so the link is resolved here.
   */
  async routesThrough(tx: Tx, rule: LoadBalancingRecord): Promise<string[]> {
    const network = rule.resource['network'];
    if (typeof network !== 'string') return [];
    const path = `projects/${rule.project}/regions/${rule.scope}/forwardingRules/${rule.name}`;
    const routes = await tx.$queryRaw<{ project: string; name: string; hop: string }[]>`
      select r.project_id as project, r.name, r.resource->>'nextHopIlb' as hop from route r
      join network n on n.id = r.network_id
      where r.resource->>'nextHopIlb' is not null and 'projects/' || n.project_id || '/global/networks/' || n.name = ${network}
      order by r.created_at`;
    return routes
      .filter(
        ({ project, hop }) =>
          hop === rule.resource['IPAddress'] ||
          relativeReference(project, hop, 'regions/-/forwardingRules') === path,
      )
      .map(({ project, name }) => `projects/${project}/global/routes/${name}`);
  }

  private async ips(tx: Tx, sql: string, values: unknown[]): Promise<string[]> {
    const rows = await tx.$queryRawUnsafe<{ ip: string }[]>(sql, ...values);
    return rows.map((row) => row.ip);
  }
}
