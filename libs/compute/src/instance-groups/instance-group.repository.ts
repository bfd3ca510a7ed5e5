import { Injectable } from '@nestjs/common';
import { Database, type Tx } from '@gke-emulator/db';
import type { NamedPort } from './instance-group.wire';

/** What a stored group's `resource` column holds. */
export interface StoredGroupResource {
  namedPorts?: NamedPort[];
  description?: string;
}

/** An unmanaged group (table instance_group) as the lists read it, with its network and cluster subnet. */
export interface StoredGroupRow {
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

/** A node of a project as the controllers' groups hold it: every node of their cluster in their zone. */
export interface ClusterNodeRow {
  cluster_id: string;
  zone: string;
  name: string;
}

/** A node added to a user's group, with the subnetwork it is on. */
export interface MemberRow {
  group_id: string;
  name: string;
  subnet: string;
  region: string;
}

/** A node pool with what its managed groups show: its instance group URLs, template hash and cluster's VPC. */
export interface PoolRow {
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

/** A node as a node pool's groups hold it. */
export interface NodeRow {
  pool_id: string;
  zone: string;
  name: string;
  id: string;
}

/** An unmanaged group's row as its writes need it, locked by `lock`. */
export interface LockedGroup {
  id: bigint;
  network_id: bigint | null;
  network: string | null;
  cluster_id: bigint | null;
  resource: StoredGroupResource;
}

/** A node an addInstances/removeInstances names, with its network. */
export interface MemberCandidate {
  id: bigint;
  name: string;
  network_id: bigint;
  network: string;
}

/**
 * The SQL of Compute's instance groups: the unmanaged groups (tables instance_group, instance_group_member) and
 * what the node pools' managed groups are read from (node_pool, node). Methods that take a `Tx` run in the
 * caller's transaction; the others read through the pool.
 */
@Injectable()
export class InstanceGroupRepository {
  constructor(private readonly db: Database) {}

  /** The id of the unmanaged group, its row locked until the transaction ends; null when there is none. */
  async lockId(tx: Tx, project: string, zone: string, name: string): Promise<bigint | null> {
    const [row] = await tx.$queryRaw<{ id: bigint }[]>`
      select id from instance_group where project_id = ${project} and zone = ${zone} and name = ${name}
      for update`;
    return row?.id ?? null;
  }

  /** The unmanaged group with its network, locked until the transaction ends; null when there is none. */
  async lock(tx: Tx, project: string, zone: string, name: string): Promise<LockedGroup | null> {
    const [group] = await tx.$queryRaw<LockedGroup[]>`
      select g.id, g.network_id, n.name as network, g.cluster_id, g.resource from instance_group g
        left join network n on n.id = g.network_id
       where g.project_id = ${project} and g.zone = ${zone} and g.name = ${name}
         for update of g`;
    return group ?? null;
  }

  /** A controller's group (id and resource), locked until the transaction ends; null when there is none. */
  async lockResource(
    tx: Tx,
    project: string,
    zone: string,
    name: string,
  ): Promise<{ id: bigint; resource: StoredGroupResource } | null> {
    const [row] = await tx.$queryRaw<{ id: bigint; resource: StoredGroupResource }[]>`
      select id, resource from instance_group
       where project_id = ${project} and zone = ${zone} and name = ${name} for update`;
    return row ?? null;
  }

  /** The selfLink of the first load-balancing resource (a backend service) that names the group, if any. */
  async firstUser(tx: Tx, groupId: bigint): Promise<string | null> {
    const [user] = await tx.$queryRaw<{ self_link: string }[]>`
      select l.resource->>'selfLink' as self_link from resource_reference r
        join load_balancing_resource l on l.id = r.referrer_id
       where r.instance_group_id = ${groupId} order by r.id limit 1`;
    return user?.self_link ?? null;
  }

  /** Deletes the group (its members go with it: the foreign key cascades). */
  async delete(tx: Tx, groupId: bigint): Promise<void> {
    await tx.$executeRaw`delete from instance_group where id = ${groupId}`;
  }

  /** The id of the project's network named `name`; null when there is none. */
  async networkId(tx: Tx, project: string, name: string): Promise<bigint | null> {
    const [network] = await tx.$queryRaw<{ id: bigint }[]>`
      select id from network where project_id = ${project} and name = ${name}`;
    return network?.id ?? null;
  }

  /** Inserts a user's unmanaged group; a name taken in the zone fails on the unique index. */
  async insert(
    tx: Tx,
    group: {
      id: bigint;
      project: string;
      zone: string;
      name: string;
      networkId: bigint | null;
      resource: StoredGroupResource;
    },
  ): Promise<void> {
    await tx.$executeRaw`
      insert into instance_group (id, project_id, zone, name, network_id, resource)
      values (${group.id}, ${group.project}, ${group.zone}, ${group.name}, ${group.networkId}, ${JSON.stringify(group.resource)}::jsonb)`;
  }

  /**
   * Inserts a controller's group on its cluster's network; returns the rows inserted (0 when the cluster is gone).
   */
  async insertForCluster(
    tx: Tx,
    group: {
      id: bigint;
      project: string;
      zone: string;
      name: string;
      clusterId: bigint;
      resource: StoredGroupResource;
    },
  ): Promise<number> {
    return tx.$executeRaw`
      insert into instance_group (id, project_id, zone, name, network_id, cluster_id, resource)
      select ${group.id}, ${group.project}, ${group.zone}, ${group.name}, c.network_id, c.id,
             ${JSON.stringify(group.resource)}::jsonb
        from cluster c where c.id = ${group.clusterId}`;
  }

  /** Replaces the group's resource (its named ports and description). */
  async setResource(tx: Tx, groupId: bigint, resource: StoredGroupResource): Promise<void> {
    await tx.$executeRaw`update instance_group set resource = ${JSON.stringify(resource)}::jsonb
      where id = ${groupId}`;
  }

  /** Puts the group on a network (its first instance's). */
  async setNetwork(tx: Tx, groupId: bigint, networkId: bigint): Promise<void> {
    await tx.$executeRaw`update instance_group set network_id = ${networkId} where id = ${groupId}`;
  }

  /** The nodes of the zone among `names`, with their networks, in no particular order. */
  async nodesNamed(
    tx: Tx,
    project: string,
    zone: string,
    names: readonly string[],
  ): Promise<MemberCandidate[]> {
    return tx.$queryRaw<MemberCandidate[]>`
      select nd.id, nd.name, nd.network_id, n.name as network from node nd join network n on n.id = nd.network_id
       where nd.project_id = ${project} and nd.zone = ${zone} and nd.name = any(${names}::text[])`;
  }

  /** The ids of the group's instances: those added to it and, for a controller's group, its cluster's in the zone. */
  async memberNodeIds(tx: Tx, groupId: bigint, clusterId: bigint | null, zone: string): Promise<bigint[]> {
    const members = await tx.$queryRaw<{ node_id: bigint }[]>`
      select node_id from instance_group_member where group_id = ${groupId}
      union
      select id from node where cluster_id = ${clusterId} and zone = ${zone}`;
    return members.map((member) => member.node_id);
  }

  /** Adds one instance to the group. */
  async addMember(tx: Tx, groupId: bigint, nodeId: bigint): Promise<void> {
    await tx.$executeRaw`insert into instance_group_member (group_id, node_id) values (${groupId}, ${nodeId})`;
  }

  /** Removes instances from the group; ids that are not members are ignored. */
  async removeMembers(tx: Tx, groupId: bigint, nodeIds: readonly bigint[]): Promise<void> {
    await tx.$executeRaw`delete from instance_group_member where group_id = ${groupId} and node_id = any(${nodeIds}::bigint[])`;
  }

  /** The zones where the project has an unmanaged group named `name`, sorted. */
  async zonesNamed(project: string, name: string): Promise<string[]> {
    const rows = await this.db.query<{ zone: string }>(
      `select zone from instance_group where project_id = $1 and name = $2 order by zone`,
      [project, name],
    );
    return rows.map((row) => row.zone);
  }

  /** The project's unmanaged groups in one zone (every zone without one), oldest first. */
  async stored(project: string, zone?: string): Promise<StoredGroupRow[]> {
    return this.db.query<StoredGroupRow>(
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
  }

  /** The project's nodes in one zone (every zone without one) with their clusters, oldest first. */
  async clusterNodes(project: string, zone?: string): Promise<ClusterNodeRow[]> {
    return this.db.query<ClusterNodeRow>(
      `select cluster_id::text as cluster_id, zone, name from node
        where project_id = $1 and ($2::text is null or zone = $2) order by created_at, name`,
      [project, zone ?? null],
    );
  }

  /** The instances added to the project's groups in one zone (every zone without one), in the order added. */
  async members(project: string, zone?: string): Promise<MemberRow[]> {
    return this.db.query<MemberRow>(
      `select m.group_id::text as group_id, nd.name, s.name as subnet, s.region
         from instance_group_member m
         join instance_group g on g.id = m.group_id
         join node nd on nd.id = m.node_id
         join subnetwork s on s.id = nd.subnetwork_id
        where g.project_id = $1 and ($2::text is null or g.zone = $2)
        order by m.created_at, nd.name`,
      [project, zone ?? null],
    );
  }

  /** The ids (as text) of the zone's nodes, by name. */
  async nodeIds(project: string, zone: string): Promise<Map<string, string>> {
    const rows = await this.db.query<{ name: string; id: string }>(
      `SELECT name, id::text AS id FROM node WHERE project_id = $1 AND zone = $2`,
      [project, zone],
    );
    return new Map(rows.map((row) => [row.name, row.id]));
  }

  /** The project's node pools with their clusters' VPC, oldest first. */
  async nodePools(project: string): Promise<PoolRow[]> {
    return this.db.query<PoolRow>(
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
    );
  }

  /** The project's nodes in one zone (every zone without one) with their pools, oldest first. */
  async poolNodes(project: string, zone?: string): Promise<NodeRow[]> {
    return this.db.query<NodeRow>(
      `SELECT node_pool_id::text AS pool_id, zone, name, id::text AS id FROM node
        WHERE project_id = $1 AND ($2::text IS NULL OR zone = $2) ORDER BY created_at, name`,
      [project, zone ?? null],
    );
  }
}
