import { Injectable } from '@nestjs/common';
import { Database, type Tx } from '@gke-emulator/db';

type Json = Record<string, unknown>;

export interface NodePoolRow {
  id: bigint;
  name: string;
  resource: Json;
}

/** The SQL of node pools (the `node_pool` table). */
@Injectable()
export class NodePoolRepository {
  constructor(private readonly db: Database) {}

  /** The cluster's pools, oldest first. */
  async list(clusterId: bigint): Promise<NodePoolRow[]> {
    const rows = await this.db.query<{ id: string; name: string; resource: Json }>(
      `SELECT id::text, name, resource FROM node_pool WHERE cluster_id = $1 ORDER BY created_at, name`,
      [clusterId],
    );
    return rows.map((row) => ({ ...row, id: BigInt(row.id) }));
  }

  async find(clusterId: bigint, name: string): Promise<NodePoolRow | undefined> {
    const rows = await this.db.query<{ id: string; name: string; resource: Json }>(
      `SELECT id::text, name, resource FROM node_pool WHERE cluster_id = $1 AND name = $2`,
      [clusterId, name],
    );
    return rows[0] && { ...rows[0], id: BigInt(rows[0].id) };
  }

  /** The cluster's pools, read inside a caller's transaction. */
  async ofCluster(tx: Tx, clusterId: bigint): Promise<{ id: bigint; resource: Json }[]> {
    const pools = await tx.nodePool.findMany({ where: { clusterId }, select: { id: true, resource: true } });
    return pools.map((pool) => ({ id: pool.id, resource: pool.resource as Json }));
  }

  /** Inserts the pool; a pool of that name in the cluster fails with Prisma's P2002. */
  async insert(tx: Tx, pool: { id: bigint; clusterId: bigint; name: string; resource: Json }): Promise<void> {
    await tx.nodePool.create({
      data: { id: pool.id, clusterId: pool.clusterId, name: pool.name, resource: pool.resource as object },
    });
  }

  async delete(tx: Tx, id: bigint): Promise<void> {
    await tx.nodePool.delete({ where: { id } });
  }

  /** Locks the pool's row until the transaction ends. */
  async lock(tx: Tx, id: bigint): Promise<void> {
    await tx.$queryRaw`select id from node_pool where id = ${id} for update`;
  }

  async updateResource(tx: Tx, id: bigint, resource: Json): Promise<void> {
    await tx.nodePool.update({ where: { id }, data: { resource: resource as object } });
  }
}
