import type { Database } from '@gke-emulator/db';
import type { WireObject } from '../../shared/compute-context';

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

const PENDING_MS = 60_000;

/**
 * The addresses forwarding rules need from the database: reserved addresses by IP, the IPs already held in a
 * pool (reserved addresses and other forwarding rules), and the rules on one IP for the overlap rule.
 *
 * Ephemeral addresses are chosen before the generic service's write transaction begins, so two concurrent
 * inserts could read the same free IP. Allocation is therefore serialised per pool in this process, and an IP
 * handed out stays "pending" (skipped by later allocations) until its rule is committed or a minute passes.
 */
export class ForwardingRuleIps {
  private readonly pending = new Map<string, number>();
  private readonly queues = new Map<string, Promise<unknown>>();

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

  /** IPs held inside `cidr`: by external addresses and external rules anywhere (Google's public space). */
  externalTaken(cidr: string): Promise<string[]> {
    return this.ips(
      `select host(address) as ip from address where address_type = 'EXTERNAL' and address <<= $1::inet
       union
       select resource->>'IPAddress' from load_balancing_resource where kind = 'forwardingRules'
         and resource->>'loadBalancingScheme' = any($2) and (resource->>'IPAddress')::inet <<= $1::inet`,
      [cidr, EXTERNAL_SCHEMES],
    );
  }

  /** IPs held inside `cidr` in one network: by its internal addresses and its internal rules. */
  internalTaken(cidr: string, networkId: bigint, networkLink: string): Promise<string[]> {
    return this.ips(
      `select host(address) as ip from address
         where address_type = 'INTERNAL' and network_id = $2::bigint and address <<= $1::inet
       union
       select resource->>'IPAddress' from load_balancing_resource where kind = 'forwardingRules'
         and resource->>'network' = $3 and resource->>'loadBalancingScheme' = any($4)
         and (resource->>'IPAddress')::inet <<= $1::inet`,
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
   * Runs `choose` alone for `pool` and marks the IP it returns as pending. `choose` gets the pending IPs to
   * skip besides those in the database.
   */
  async allocate(pool: string, choose: (pending: ReadonlySet<string>) => Promise<string>): Promise<string> {
    const previous = this.queues.get(pool) ?? Promise.resolve();
    const run = previous.then(async () => {
      const now = Date.now();
      for (const [ip, until] of this.pending) if (until < now) this.pending.delete(ip);
      const ip = await choose(new Set(this.pending.keys()));
      this.pending.set(ip, now + PENDING_MS);
      return ip;
    });
    const settled = run.catch(() => undefined);
    this.queues.set(pool, settled);
    try {
      return await run;
    } finally {
      if (this.queues.get(pool) === settled) this.queues.delete(pool);
    }
  }

  private async ips(sql: string, values: unknown[]): Promise<string[]> {
    const rows = await this.db.query<{ ip: string }>(sql, values);
    return rows.map((row) => row.ip);
  }
}
