import { Injectable } from '@nestjs/common';
import { Database, type SqlClient, type UnitOfWork } from '@gke-emulator/db';
import type { LoadBalancerChange } from './load-balancer.controller';
import type { PendingReadiness } from './pod-readiness.controller';

/** NOTIFY channels: a write's transaction asks an asynchronous controller for a reconcile once it commits. */
export const LOAD_BALANCER_CHANNEL = 'gke_emulator_service_lb';
export const INGRESS_CHANNEL = 'gke_emulator_ingress';
export const POD_READY_CHANNEL = 'gke_emulator_pod_ready';

export type AllocationKind = 'podIP' | 'clusterIP' | 'nodePort';

/**
 * The controllers' SQL: the cluster's IP and port allocations (`kube_allocation`, whose unique key settles races
 * between transactions), the notices that wake the asynchronous controllers, and what those scan for at start.
 * In-transaction methods take the write's unit of work; the start-up scans read through the pool.
 */
@Injectable()
export class ControllerRepository {
  constructor(private readonly db: Database) {}

  // ---- allocations (in the write's transaction) ----

  /** Every pod IP the cluster has handed out. */
  async podIps(sql: UnitOfWork, clusterId: bigint): Promise<string[]> {
    const rows = await sql.query<{ value: string }>(
      `SELECT value FROM kube_allocation WHERE cluster_id = $1 AND kind = 'podIP'`,
      [clusterId],
    );
    return rows.map((row) => row.value);
  }

  /** Records pod IPs, [ip, pod uid] each, in one insert (a taken one fails the transaction). */
  async insertPodIps(sql: UnitOfWork, clusterId: bigint, ips: readonly [string, string][]): Promise<void> {
    if (ips.length === 0) return;
    await sql.query(
      `INSERT INTO kube_allocation (cluster_id, kind, value, owner_uid)
       SELECT $1, 'podIP', ip, uid::uuid FROM unnest($2::text[], $3::text[]) AS p(ip, uid)`,
      [clusterId, ips.map(([ip]) => ip), ips.map(([, uid]) => uid)],
    );
  }

  /** The values of a kind the cluster's owners hold, but `except`'s own. */
  async taken(
    sql: UnitOfWork,
    clusterId: bigint,
    kind: AllocationKind,
    except: string | undefined,
  ): Promise<Set<string>> {
    const rows = await sql.query<{ value: string }>(
      `SELECT value FROM kube_allocation WHERE cluster_id = $1 AND kind = $2 AND ($3::uuid IS NULL OR owner_uid <> $3::uuid)`,
      [clusterId, kind, except ?? null],
    );
    return new Set(rows.map((row) => row.value));
  }

  /**
   * Makes `owner`'s allocations exactly `values` ([kind, value] each): what it no longer holds is released, what is
   * new recorded (one already someone else's is left to them: validation refused it before).
   */
  async replaceAllocations(
    sql: UnitOfWork,
    clusterId: bigint,
    owner: string,
    values: readonly [string, string][],
  ): Promise<void> {
    await sql.query(
      `WITH wanted AS (SELECT * FROM unnest($3::text[], $4::text[]) AS w(kind, value)),
            released AS (DELETE FROM kube_allocation a WHERE a.owner_uid = $2::uuid
                          AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.kind = a.kind AND w.value = a.value))
       INSERT INTO kube_allocation (cluster_id, kind, value, owner_uid)
       SELECT $1, kind, value, $2::uuid FROM wanted
       ON CONFLICT (cluster_id, kind, value) DO NOTHING`,
      [clusterId, owner, values.map(([kind]) => kind), values.map(([, value]) => value)],
    );
  }

  // ---- notices (delivered when the caller's transaction commits) ----

  private async notify(sql: SqlClient, channel: string, payload: string): Promise<void> {
    await sql.query(`SELECT 1 AS sent FROM (SELECT pg_notify($1, $2)) AS n`, [channel, payload]);
  }

  /** Asks for a reconcile of the Service's load balancer. */
  notifyLoadBalancer(sql: SqlClient, change: LoadBalancerChange): Promise<void> {
    return this.notify(sql, LOAD_BALANCER_CHANNEL, JSON.stringify(change));
  }

  /** Asks for a reconcile of the cluster's Ingresses. */
  notifyIngresses(sql: SqlClient, clusterId: bigint): Promise<void> {
    return this.notify(sql, INGRESS_CHANNEL, String(clusterId));
  }

  /** Asks for the pod to turn Ready at `readyAt`. */
  notifyPodReadiness(sql: SqlClient, pending: PendingReadiness): Promise<void> {
    return this.notify(sql, POD_READY_CHANNEL, JSON.stringify(pending));
  }

  /**
   * Asks for a reconcile of every load balancer of the cluster, as its nodes changed: each `type: LoadBalancer`
   * Service's (a LoadBalancerChange payload each) and, when it has Ingresses, the Ingresses'. One statement
   * however many Services there are; a cluster with neither (every new cluster) sends nothing, so its transaction
   * takes no NOTIFY commit lock.
   */
  async notifyNodesChanged(sql: UnitOfWork, clusterId: bigint): Promise<void> {
    await sql.query(
      `SELECT count(*)::int AS sent FROM (
         SELECT pg_notify($2, json_build_object('clusterId', cluster_id::text, 'namespace', namespace,
                                                'name', name, 'uid', uid::text)::text)
           FROM kube_object
          WHERE cluster_id = $1 AND resource = 'services' AND body #>> '{spec,type}' = 'LoadBalancer'
         UNION ALL
         SELECT pg_notify($3, $1::text)
          WHERE EXISTS (SELECT 1 FROM kube_object WHERE cluster_id = $1 AND resource = 'ingresses')) AS n`,
      [clusterId, LOAD_BALANCER_CHANNEL, INGRESS_CHANNEL],
    );
  }

  /** LISTENs on a notice channel (a connection of its own); resolves to what stops it. */
  listen(
    channel: typeof LOAD_BALANCER_CHANNEL | typeof INGRESS_CHANNEL | typeof POD_READY_CHANNEL,
    onPayload: (payload: string) => void,
  ): Promise<() => Promise<void>> {
    return this.db.listen(channel, onPayload);
  }

  // ---- start-up scans (through the pool) ----

  /** Every `type: LoadBalancer` Service of every cluster. */
  async loadBalancerServices(): Promise<LoadBalancerChange[]> {
    const rows = await this.db.query<{ cluster_id: string; namespace: string; name: string; uid: string }>(
      `SELECT cluster_id::text, namespace, name, uid::text FROM kube_object
        WHERE resource = 'services' AND body #>> '{spec,type}' = 'LoadBalancer'`,
    );
    return rows.map((row) => ({
      clusterId: row.cluster_id,
      namespace: row.namespace,
      name: row.name,
      uid: row.uid,
    }));
  }

  /** The ids of the clusters that have Ingresses. */
  async clustersWithIngresses(): Promise<string[]> {
    const rows = await this.db.query<{ cluster_id: string }>(
      `SELECT DISTINCT cluster_id::text FROM kube_object WHERE resource = 'ingresses'`,
    );
    return rows.map((row) => row.cluster_id);
  }

  /** Every pod still waiting for its readiness delay (its `emulator.gke.dev/ready-at` annotation says until when). */
  async podsAwaitingReadiness(): Promise<PendingReadiness[]> {
    const rows = await this.db.query<{
      cluster_id: string;
      namespace: string;
      name: string;
      uid: string;
      ready_at: string | null;
    }>(
      `SELECT cluster_id::text, namespace, name, uid::text, body #>> '{metadata,annotations,emulator.gke.dev/ready-at}' AS ready_at
         FROM kube_object
        WHERE resource = 'pods' AND body #>> '{metadata,annotations,emulator.gke.dev/ready-at}' IS NOT NULL`,
    );
    return rows.map((row) => ({
      clusterId: row.cluster_id,
      namespace: row.namespace,
      name: row.name,
      uid: row.uid,
      readyAt: Date.parse(row.ready_at ?? '') || Date.now(),
    }));
  }
}
