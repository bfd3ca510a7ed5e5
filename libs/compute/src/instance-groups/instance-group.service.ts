import { Injectable } from '@nestjs/common';
import { applyListQuery, GoogleErrors, newResourceId } from '@gke-emulator/common';
import { asConstraintViolation, Database, type Tx } from '@gke-emulator/db';
import { OperationService } from '../operations/operation.service';
import { resourceInUseError } from '../shared/in-use';
import { ProjectRepository } from '../shared/project.repository';
import { computeTimestamp } from '../shared/timestamps';
import { aggregateByScope } from '../shared/aggregated-list';
import type { ComputeContext, ListQuery, WireObject } from '../shared/compute-context';
import { KNOWN_REGIONS } from '../shared/regions';
import {
  groupInstancesWire,
  instanceGroupManagerWire,
  instanceGroupWire,
  managedInstancesWire,
  namedPortsFingerprint,
  type NamedPort,
  type PoolZoneGroup,
} from './instance-group.wire';
import {
  assertZone,
  managedGroupError,
  memberAlreadyExists,
  networkMismatch,
  parseInsertBody,
  parseInstanceReferences,
  parseListInstances,
  parseSetNamedPorts,
} from './instance-group.rules';

interface StoredGroupRow {
  id: string;
  zone: string;
  name: string;
  resource: { namedPorts?: NamedPort[] } | null;
  created_at: Date;
  cluster_id: string | null;
  network: string | null;
  subnet: string | null;
  region: string | null;
  project_number: string;
}

/** What GKE's load-balancing controllers ask of their unmanaged group in one zone. */
export interface ControllerGroup {
  project: string;
  zone: string;
  name: string;
  /** the cluster whose nodes of the zone the group holds */
  clusterId: bigint;
  /** named ports the group must have (added to those it has: the controllers never remove one) */
  namedPorts: readonly NamedPort[];
}

interface PoolRow {
  id: string;
  created_at: Date;
  urls: unknown;
  template_hash: string | null;
  project_id: string;
  project_number: string;
  network: string;
  subnet: string;
  region: string;
}

interface NodeRow {
  pool_id: string;
  zone: string;
  name: string;
  id: string;
}

const ZONE_SCOPES: readonly string[] = [...KNOWN_REGIONS]
  .sort()
  .flatMap((region) => ['a', 'b', 'c'].map((suffix) => `zones/${region}-${suffix}`));

const sortKeys = (item: WireObject) => ({
  name: String(item['name']),
  creationTimestamp: String(item['creationTimestamp']),
});

/** `…/zones/<zone>/instanceGroupManagers/<name>` → [zone, name]. */
function groupOfUrl(url: string): [string, string] | null {
  const match = url.match(/\/zones\/([^/]+)\/instanceGroupManagers\/([^/]+)$/);
  return match ? [match[1] as string, match[2] as string] : null;
}

/** A stable numeric id for a pool's group in one zone. */
function groupId(poolId: string, zone: string): string {
  let hash = 0;
  for (const c of zone) hash = (Math.imul(hash, 31) + c.charCodeAt(0)) >>> 0;
  return (BigInt(poolId) ^ (BigInt(hash) << 20n)).toString();
}

/**
 * Compute Engine's instance groups of GKE node pools, read-only: one managed instance group (and its instance group)
 * per node pool and zone, named as the pool's `instanceGroupUrls` name it, holding the pool's nodes in that zone, so
 * they follow resizes. GKE manages them; users do not create or resize them through Compute.
 *
 * Beside them, the unmanaged groups GKE's load-balancing controllers make (`k8s-ig--<cluster id>`, table
 * instance_group): listed, read and deleted like any unmanaged group (a delete while a backend service names the
 * group is refused), their instances the cluster's nodes of the zone.
 */
@Injectable()
export class InstanceGroupService {
  constructor(
    private readonly db: Database,
    private readonly operations: OperationService,
    private readonly projects: ProjectRepository,
  ) {}

  async getManager(ctx: ComputeContext, zone: string, name: string): Promise<WireObject> {
    const group = await this.require(ctx, zone, name, 'instanceGroupManagers');
    return instanceGroupManagerWire(group, ctx.base);
  }

  async listManagers(ctx: ComputeContext, zone: string, query: ListQuery) {
    return applyListQuery(await this.managerWires(ctx, zone), query, sortKeys);
  }

  async aggregatedManagers(ctx: ComputeContext, query: ListQuery) {
    return this.aggregate(await this.managerWires(ctx), query, 'instanceGroupManagers');
  }

  async listManagedInstances(ctx: ComputeContext, zone: string, name: string) {
    const group = await this.require(ctx, zone, name, 'instanceGroupManagers');
    const ids = await this.instanceIds(ctx.project, zone);
    return { managedInstances: managedInstancesWire(group, ctx.base, ids) };
  }

  async getGroup(ctx: ComputeContext, zone: string, name: string): Promise<WireObject> {
    const group = await this.requireGroup(ctx, zone, name);
    return instanceGroupWire(group, ctx.base);
  }

  async listGroups(ctx: ComputeContext, zone: string, query: ListQuery) {
    return applyListQuery(await this.groupWires(ctx, zone), query, sortKeys);
  }

  async aggregatedGroups(ctx: ComputeContext, query: ListQuery) {
    return this.aggregate(await this.groupWires(ctx), query, 'instanceGroups');
  }

  async listInstances(ctx: ComputeContext, zone: string, name: string, body?: unknown) {
    parseListInstances(body);
    const group = await this.requireGroup(ctx, zone, name);
    return { items: groupInstancesWire(group, ctx.base) };
  }

  /** The managers of a zone (of every zone without one), on the wire. */
  private async managerWires(ctx: ComputeContext, zone?: string): Promise<WireObject[]> {
    const groups = await this.groups(ctx.project, zone);
    return groups.map((group) => instanceGroupManagerWire(group, ctx.base));
  }

  /** The instance groups, managed and unmanaged, of a zone (of every zone without one), on the wire. */
  private async groupWires(ctx: ComputeContext, zone?: string): Promise<WireObject[]> {
    const groups = await this.allGroups(ctx.project, zone);
    return groups.map((group) => instanceGroupWire(group, ctx.base));
  }

  private aggregate(items: WireObject[], query: ListQuery, key: string) {
    const page = applyListQuery(items, query, sortKeys);
    const zones = new Set(ZONE_SCOPES);
    for (const item of page.items) zones.add(`zones/${String(item['zone']).split('/').pop()}`);
    return {
      items: aggregateByScope(
        page.items,
        key,
        [...zones].sort(),
        (item) => `zones/${String(item['zone']).split('/').pop()}`,
      ),
      nextPageToken: page.nextPageToken,
    };
  }

  private async require(ctx: ComputeContext, zone: string, name: string, collection: string) {
    const group = (await this.groups(ctx.project, zone)).find((candidate) => candidate.name === name);
    if (!group) throw GoogleErrors.notFound(`projects/${ctx.project}/zones/${zone}/${collection}/${name}`);
    return group;
  }

  /**
   * instanceGroups.delete of an unmanaged group: refused at once (400 resourceInUseByAnotherResource) while a
   * backend service names it, as Google does; the row is locked first, so a backend cannot slip in meanwhile.
   * A node pool's group is its manager's: refused the same way, naming the manager.
   */
  async deleteGroup(
    ctx: ComputeContext,
    zone: string,
    name: string,
    requestId?: string,
  ): Promise<WireObject> {
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const path = `projects/${ctx.project}/zones/${zone}/instanceGroups/${name}`;
    const op = await this.db.transaction(async (tx) => {
      const [row] = await tx.$queryRaw<{ id: bigint }[]>`
        select id from instance_group where project_id = ${ctx.project} and zone = ${zone} and name = ${name}
        for update`;
      if (!row) {
        const managed = (await this.groups(ctx.project, zone)).some((group) => group.name === name);
        // Its manager uses it (as Compute answers deleting a managed group's group).
        if (managed)
          throw resourceInUseError(
            'instance_group',
            path,
            path.replace('/instanceGroups/', '/instanceGroupManagers/'),
          );
        throw GoogleErrors.notFound(path);
      }
      const [user] = await tx.$queryRaw<{ self_link: string }[]>`
        select l.resource->>'selfLink' as self_link from resource_reference r
          join load_balancing_resource l on l.id = r.referrer_id
         where r.instance_group_id = ${row.id} order by r.id limit 1`;
      if (user) throw resourceInUseError('instance_group', path, user.self_link);
      await tx.$executeRaw`delete from instance_group where id = ${row.id}`;
      return this.recordZonal(tx, ctx, zone, 'delete', path, row.id, requestId);
    });
    return this.operations.render(op, ctx.base);
  }

  /**
   * instanceGroups.insert: an unmanaged group, empty, with its named ports and description; on the network the body
   * names, else on its first instance's. A name a node pool's group or another group has in the zone is taken.
   */
  async insertGroup(
    ctx: ComputeContext,
    zone: string,
    raw: unknown,
    requestId?: string,
  ): Promise<WireObject> {
    assertZone(ctx.project, zone);
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const body = parseInsertBody(ctx.project, raw);
    const path = `projects/${ctx.project}/zones/${zone}/instanceGroups/${body.name}`;
    if ((await this.groups(ctx.project, zone)).some((group) => group.name === body.name))
      throw GoogleErrors.alreadyExists(path);
    const id = newResourceId();
    try {
      const op = await this.db.transaction(async (tx) => {
        await this.projects.ensure(tx, ctx.project);
        let networkId: bigint | null = null;
        if (body.network) {
          const [network] = await tx.$queryRaw<{ id: bigint }[]>`
            select id from network where project_id = ${ctx.project} and name = ${body.network}`;
          if (!network)
            throw GoogleErrors.notFound(`projects/${ctx.project}/global/networks/${body.network}`);
          networkId = network.id;
        }
        const resource = {
          namedPorts: body.namedPorts,
          ...(body.description ? { description: body.description } : {}),
        };
        await tx.$executeRaw`
          insert into instance_group (id, project_id, zone, name, network_id, resource)
          values (${id}, ${ctx.project}, ${zone}, ${body.name}, ${networkId}, ${JSON.stringify(resource)}::jsonb)`;
        return this.recordZonal(tx, ctx, zone, 'insert', path, id, requestId);
      });
      return this.operations.render(op, ctx.base);
    } catch (error) {
      if (asConstraintViolation(error)?.kind === 'unique') throw GoogleErrors.alreadyExists(path);
      throw error;
    }
  }

  /**
   * instanceGroups.addInstances: instances (the emulator's are GKE nodes) of the group's zone join it. One already
   * in it is refused (400 memberAlreadyExists); all must be on the group's network, which the first sets.
   */
  async addInstances(
    ctx: ComputeContext,
    zone: string,
    name: string,
    raw: unknown,
    requestId?: string,
  ): Promise<WireObject> {
    return this.changeMembers(ctx, zone, name, raw, 'addInstances', requestId);
  }

  /** instanceGroups.removeInstances: instances leave the group; one that is not in it is left as it is. */
  async removeInstances(
    ctx: ComputeContext,
    zone: string,
    name: string,
    raw: unknown,
    requestId?: string,
  ): Promise<WireObject> {
    return this.changeMembers(ctx, zone, name, raw, 'removeInstances', requestId);
  }

  private async changeMembers(
    ctx: ComputeContext,
    zone: string,
    name: string,
    raw: unknown,
    verb: 'addInstances' | 'removeInstances',
    requestId?: string,
  ): Promise<WireObject> {
    assertZone(ctx.project, zone);
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const names = parseInstanceReferences(ctx.project, zone, raw, verb);
    const path = `projects/${ctx.project}/zones/${zone}/instanceGroups/${name}`;
    if ((await this.groups(ctx.project, zone)).some((group) => group.name === name))
      throw managedGroupError(path);
    const op = await this.db.transaction(async (tx) => {
      const group = await this.lockGroup(tx, ctx.project, zone, name, path);
      const nodes = await tx.$queryRaw<{ id: bigint; name: string; network_id: bigint; network: string }[]>`
        select nd.id, nd.name, nd.network_id, n.name as network from node nd join network n on n.id = nd.network_id
         where nd.project_id = ${ctx.project} and nd.zone = ${zone} and nd.name = any(${names}::text[])`;
      const instancePath = (instance: string) =>
        `projects/${ctx.project}/zones/${zone}/instances/${instance}`;
      // In the request's order; the first instance that does not exist is not found.
      const ordered = names.map((instance) => {
        const node = nodes.find((candidate) => candidate.name === instance);
        if (!node) throw GoogleErrors.notFound(instancePath(instance));
        return node;
      });
      const members = await tx.$queryRaw<{ node_id: bigint }[]>`
        select node_id from instance_group_member where group_id = ${group.id}
        union
        select id from node where cluster_id = ${group.cluster_id} and zone = ${zone}`;
      const isMember = (id: bigint) => members.some((member) => member.node_id === id);
      if (verb === 'addInstances') {
        const already = ordered.find((node) => isMember(node.id));
        if (already) throw memberAlreadyExists(instancePath(already.name), path);
        let networkId = group.network_id;
        let networkName = group.network;
        for (const node of ordered) {
          if (networkId === null) [networkId, networkName] = [node.network_id, node.network];
          if (node.network_id !== networkId) {
            throw networkMismatch(
              instancePath(node.name),
              `projects/${ctx.project}/global/networks/${node.network}`,
              `projects/${ctx.project}/global/networks/${networkName}`,
            );
          }
        }
        if (group.network_id === null && networkId !== null)
          await tx.$executeRaw`update instance_group set network_id = ${networkId} where id = ${group.id}`;
        for (const node of ordered) {
          await tx.$executeRaw`insert into instance_group_member (group_id, node_id) values (${group.id}, ${node.id})`;
        }
      } else {
        const ids = ordered.map((node) => node.id);
        await tx.$executeRaw`delete from instance_group_member where group_id = ${group.id} and node_id = any(${ids}::bigint[])`;
      }
      return this.recordZonal(tx, ctx, zone, verb, path, group.id, requestId);
    });
    return this.operations.render(op, ctx.base);
  }

  /**
   * instanceGroups.setNamedPorts: replaces the group's named ports. With a fingerprint, it must be the group's
   * current one (412 conditionNotMet otherwise), so a caller cannot overwrite a change it has not read.
   */
  async setNamedPorts(
    ctx: ComputeContext,
    zone: string,
    name: string,
    raw: unknown,
    requestId?: string,
  ): Promise<WireObject> {
    assertZone(ctx.project, zone);
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const body = parseSetNamedPorts(raw);
    const path = `projects/${ctx.project}/zones/${zone}/instanceGroups/${name}`;
    if ((await this.groups(ctx.project, zone)).some((group) => group.name === name))
      throw GoogleErrors.notImplemented(
        "compute.instanceGroups.setNamedPorts on a node pool's instance group",
      );
    const op = await this.db.transaction(async (tx) => {
      const group = await this.lockGroup(tx, ctx.project, zone, name, path);
      const current = namedPortsFingerprint({
        id: group.id.toString(),
        unmanaged: { namedPorts: group.resource.namedPorts ?? [] },
      } as PoolZoneGroup);
      if (body.fingerprint !== undefined && body.fingerprint !== current)
        throw GoogleErrors.conditionNotMet(
          'Supplied fingerprint does not match current metadata fingerprint.',
        );
      const resource = { ...group.resource, namedPorts: body.namedPorts };
      await tx.$executeRaw`update instance_group set resource = ${JSON.stringify(resource)}::jsonb
        where id = ${group.id}`;
      return this.recordZonal(tx, ctx, zone, 'setNamedPorts', path, group.id, requestId);
    });
    return this.operations.render(op, ctx.base);
  }

  /** Records the zonal operation `compute.instanceGroups.<verb>` of a write on the group at `path`. */
  private recordZonal(
    tx: Tx,
    ctx: ComputeContext,
    zone: string,
    verb: 'insert' | 'delete' | 'addInstances' | 'removeInstances' | 'setNamedPorts',
    path: string,
    targetId: bigint,
    requestId: string | undefined,
  ) {
    return this.operations.record(tx, {
      project: ctx.project,
      scope: `zones/${zone}`,
      operationType: `compute.instanceGroups.${verb}`,
      targetLink: path,
      targetId,
      requestId,
    });
  }

  /** An unmanaged group's row, locked for the rest of the transaction; not found otherwise. */
  private async lockGroup(tx: Tx, project: string, zone: string, name: string, path: string) {
    const [group] = await tx.$queryRaw<
      {
        id: bigint;
        network_id: bigint | null;
        network: string | null;
        cluster_id: bigint | null;
        resource: { namedPorts?: NamedPort[]; description?: string };
      }[]
    >`
      select g.id, g.network_id, n.name as network, g.cluster_id, g.resource from instance_group g
        left join network n on n.id = g.network_id
       where g.project_id = ${project} and g.zone = ${zone} and g.name = ${name}
         for update of g`;
    if (!group) throw GoogleErrors.notFound(path);
    return group;
  }

  /**
   * What GKE's controllers do to their group in a zone (ingress-gce's EnsureInstanceGroupsAndPorts, the L4
   * controller's ensureInternalInstanceGroups): create it on the cluster's network if absent, add the named ports
   * it lacks. Idempotent; returns whether it wrote. Its instances need no call: they are the cluster's nodes.
   */
  async ensureControllerGroup(group: ControllerGroup): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.$queryRaw<{ id: bigint; resource: { namedPorts?: NamedPort[] } }[]>`
        select id, resource from instance_group
         where project_id = ${group.project} and zone = ${group.zone} and name = ${group.name} for update`;
      const have = row?.resource.namedPorts ?? [];
      const missing = group.namedPorts.filter(
        (port) => !have.some((existing) => existing.name === port.name && existing.port === port.port),
      );
      const namedPorts = [...have, ...missing].sort(
        (a, b) => a.port - b.port || a.name.localeCompare(b.name),
      );
      if (row && missing.length === 0) return false;
      if (row) {
        await tx.$executeRaw`update instance_group set resource = ${JSON.stringify({ namedPorts })}::jsonb
          where id = ${row.id}`;
        return true;
      }
      const id = newResourceId();
      const inserted = await tx.$executeRaw`
        insert into instance_group (id, project_id, zone, name, network_id, cluster_id, resource)
        select ${id}, ${group.project}, ${group.zone}, ${group.name}, c.network_id, c.id,
               ${JSON.stringify({ namedPorts })}::jsonb
          from cluster c where c.id = ${group.clusterId}`;
      if (inserted === 0) return false;
      const path = `projects/${group.project}/zones/${group.zone}/instanceGroups/${group.name}`;
      await this.operations.record(tx, {
        project: group.project,
        scope: `zones/${group.zone}`,
        operationType: 'compute.instanceGroups.insert',
        targetLink: path,
        targetId: id,
      });
      return true;
    });
  }

  /** The unmanaged groups of a project named `name`, by zone (what a controller looks for to clean up). */
  async controllerGroupZones(project: string, name: string): Promise<string[]> {
    const rows = await this.db.query<{ zone: string }>(
      `select zone from instance_group where project_id = $1 and name = $2 order by zone`,
      [project, name],
    );
    return rows.map((row) => row.zone);
  }

  private async requireGroup(ctx: ComputeContext, zone: string, name: string) {
    const group = (await this.allGroups(ctx.project, zone)).find((candidate) => candidate.name === name);
    if (!group) throw GoogleErrors.notFound(`projects/${ctx.project}/zones/${zone}/instanceGroups/${name}`);
    return group;
  }

  /** The node pools' groups and the unmanaged ones, in one zone or all. */
  private async allGroups(project: string, zone?: string): Promise<PoolZoneGroup[]> {
    const [pools, stored] = await Promise.all([this.groups(project, zone), this.storedGroups(project, zone)]);
    return [...pools, ...stored];
  }

  /**
   * The unmanaged groups. A controller's group holds its cluster's nodes in its zone; a user's group the instances
   * added to it (instance_group_member); both oldest first. The subnetwork is the instances' (a group has one
   * network and subnetwork, those of its instances).
   */
  private async storedGroups(project: string, zone?: string): Promise<PoolZoneGroup[]> {
    const rows = await this.db.query<StoredGroupRow>(
      `select g.id::text as id, g.zone, g.name, g.resource, g.created_at, g.cluster_id::text as cluster_id,
              n.name as network, s.name as subnet, s.region, p.number::text as project_number
         from instance_group g
         left join network n on n.id = g.network_id
         join project p on p.id = g.project_id
         left join cluster c on c.id = g.cluster_id
         left join subnetwork s on s.id = c.subnetwork_id
        where g.project_id = $1 and ($2::text is null or g.zone = $2)
        order by g.created_at, g.name`,
      [project, zone ?? null],
    );
    if (rows.length === 0) return [];
    const [nodes, members] = await Promise.all([
      this.db.query<{ cluster_id: string; zone: string; name: string }>(
        `select cluster_id::text as cluster_id, zone, name from node
          where project_id = $1 and ($2::text is null or zone = $2) order by created_at, name`,
        [project, zone ?? null],
      ),
      this.db.query<{ group_id: string; name: string; subnet: string; region: string }>(
        `select m.group_id::text as group_id, nd.name, s.name as subnet, s.region
           from instance_group_member m
           join instance_group g on g.id = m.group_id
           join node nd on nd.id = m.node_id
           join subnetwork s on s.id = nd.subnetwork_id
          where g.project_id = $1 and ($2::text is null or g.zone = $2)
          order by m.created_at, nd.name`,
        [project, zone ?? null],
      ),
    ]);
    return rows.map((row) => {
      const own = members.filter((member) => member.group_id === row.id);
      const clusterNodes = nodes
        .filter(
          (node) => row.cluster_id !== null && node.cluster_id === row.cluster_id && node.zone === row.zone,
        )
        .map((node) => node.name);
      const subnet = row.subnet
        ? { name: row.subnet, region: row.region }
        : own[0]
          ? { name: own[0].subnet, region: own[0].region }
          : null;
      const resource = (row.resource ?? {}) as { namedPorts?: NamedPort[]; description?: string };
      return {
        project,
        projectNumber: row.project_number,
        zone: row.zone,
        name: row.name,
        template: '',
        id: row.id,
        creationTimestamp: computeTimestamp(new Date(row.created_at)),
        network: row.network ? `projects/${project}/global/networks/${row.network}` : '',
        subnetwork: subnet ? `projects/${project}/regions/${subnet.region}/subnetworks/${subnet.name}` : '',
        instances: [...new Set([...clusterNodes, ...own.map((member) => member.name)])],
        unmanaged: {
          namedPorts: resource.namedPorts ?? [],
          ...(resource.description ? { description: resource.description } : {}),
        },
      };
    });
  }

  private async instanceIds(project: string, zone: string): Promise<Map<string, string>> {
    const rows = await this.db.query<{ name: string; id: string }>(
      `SELECT name, id::text AS id FROM node WHERE project_id = $1 AND zone = $2`,
      [project, zone],
    );
    return new Map(rows.map((row) => [row.name, row.id]));
  }

  /** Every node pool group of the project (in one zone), with the nodes it holds now. */
  private async groups(project: string, zone?: string): Promise<PoolZoneGroup[]> {
    const [pools, nodes] = await Promise.all([
      this.db.query<PoolRow>(
        `SELECT np.id::text AS id, np.created_at, np.resource->'instanceGroupUrls' AS urls,
                np.resource->>'instanceTemplateHash' AS template_hash,
                c.project_id, p.number::text AS project_number,
                n.name AS network, s.name AS subnet, s.region
           FROM node_pool np
           JOIN cluster c ON c.id = np.cluster_id
           JOIN project p ON p.id = c.project_id
           JOIN network n ON n.id = c.network_id
           JOIN subnetwork s ON s.id = c.subnetwork_id
          WHERE c.project_id = $1
          ORDER BY np.created_at, np.name`,
        [project],
      ),
      this.db.query<NodeRow>(
        `SELECT node_pool_id::text AS pool_id, zone, name, id::text AS id FROM node
          WHERE project_id = $1 AND ($2::text IS NULL OR zone = $2) ORDER BY created_at, name`,
        [project, zone ?? null],
      ),
    ]);
    const groups: PoolZoneGroup[] = [];
    for (const pool of pools) {
      const urls = Array.isArray(pool.urls) ? (pool.urls as unknown[]) : [];
      for (const url of urls) {
        const parsed = typeof url === 'string' ? groupOfUrl(url) : null;
        if (!parsed || (zone && parsed[0] !== zone)) continue;
        const [groupZone, name] = parsed;
        const base = name.replace(/-grp$/, '');
        groups.push({
          project: pool.project_id,
          projectNumber: pool.project_number,
          zone: groupZone,
          name,
          template: pool.template_hash ? base.replace(/-[0-9a-f]{8}$/, `-${pool.template_hash}`) : base,
          id: groupId(pool.id, groupZone),
          creationTimestamp: computeTimestamp(new Date(pool.created_at)),
          network: `projects/${pool.project_id}/global/networks/${pool.network}`,
          subnetwork: `projects/${pool.project_id}/regions/${pool.region}/subnetworks/${pool.subnet}`,
          instances: nodes
            .filter((node) => node.pool_id === pool.id && node.zone === groupZone)
            .map((node) => node.name),
        });
      }
    }
    return groups;
  }
}
