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
import { InstanceGroupRepository } from './instance-group.repository';

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
    private readonly instanceGroups: InstanceGroupRepository,
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
    const ids = await this.instanceGroups.nodeIds(ctx.project, zone);
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
      const id = await this.instanceGroups.lockId(tx, ctx.project, zone, name);
      if (id === null) {
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
      const user = await this.instanceGroups.firstUser(tx, id);
      if (user !== null) throw resourceInUseError('instance_group', path, user);
      await this.instanceGroups.delete(tx, id);
      return this.recordZonal(tx, ctx, zone, 'delete', path, id, requestId);
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
          networkId = await this.instanceGroups.networkId(tx, ctx.project, body.network);
          if (networkId === null)
            throw GoogleErrors.notFound(`projects/${ctx.project}/global/networks/${body.network}`);
        }
        const resource = {
          namedPorts: body.namedPorts,
          ...(body.description ? { description: body.description } : {}),
        };
        await this.instanceGroups.insert(tx, {
          id,
          project: ctx.project,
          zone,
          name: body.name,
          networkId,
          resource,
        });
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
      const nodes = await this.instanceGroups.nodesNamed(tx, ctx.project, zone, names);
      const instancePath = (instance: string) =>
        `projects/${ctx.project}/zones/${zone}/instances/${instance}`;
      // In the request's order; the first instance that does not exist is not found.
      const ordered = names.map((instance) => {
        const node = nodes.find((candidate) => candidate.name === instance);
        if (!node) throw GoogleErrors.notFound(instancePath(instance));
        return node;
      });
      const members = await this.instanceGroups.memberNodeIds(tx, group.id, group.cluster_id, zone);
      const isMember = (id: bigint) => members.includes(id);
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
          await this.instanceGroups.setNetwork(tx, group.id, networkId);
        for (const node of ordered) await this.instanceGroups.addMember(tx, group.id, node.id);
      } else {
        const ids = ordered.map((node) => node.id);
        await this.instanceGroups.removeMembers(tx, group.id, ids);
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
      await this.instanceGroups.setResource(tx, group.id, resource);
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
    const group = await this.instanceGroups.lock(tx, project, zone, name);
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
      const row = await this.instanceGroups.lockResource(tx, group.project, group.zone, group.name);
      const have = row?.resource.namedPorts ?? [];
      const missing = group.namedPorts.filter(
        (port) => !have.some((existing) => existing.name === port.name && existing.port === port.port),
      );
      const namedPorts = [...have, ...missing].sort(
        (a, b) => a.port - b.port || a.name.localeCompare(b.name),
      );
      if (row && missing.length === 0) return false;
      if (row) {
        await this.instanceGroups.setResource(tx, row.id, { namedPorts });
        return true;
      }
      const id = newResourceId();
      const inserted = await this.instanceGroups.insertForCluster(tx, {
        id,
        project: group.project,
        zone: group.zone,
        name: group.name,
        clusterId: group.clusterId,
        resource: { namedPorts },
      });
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
    return this.instanceGroups.zonesNamed(project, name);
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
    const rows = await this.instanceGroups.stored(project, zone);
    if (rows.length === 0) return [];
    const [nodes, members] = await Promise.all([
      this.instanceGroups.clusterNodes(project, zone),
      this.instanceGroups.members(project, zone),
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

  /** Every node pool group of the project (in one zone), with the nodes it holds now. */
  private async groups(project: string, zone?: string): Promise<PoolZoneGroup[]> {
    const [pools, nodes] = await Promise.all([
      this.instanceGroups.nodePools(project),
      this.instanceGroups.poolNodes(project, zone),
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
