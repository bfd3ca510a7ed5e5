import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ComputeApi, type ComputeCollection } from '@gke-emulator/compute';
import { ClusterDirectory, type ClusterRecord } from '@gke-emulator/container';
import { Database, type SqlClient } from '@gke-emulator/db';
import { field, type KubeObject } from '../api/kube-object';
import { kindByResource } from '../api/resources';
import { KubeStore } from '../store/kube-store';
import { type ClusterForLoadBalancer, loadBalancerName, planLoadBalancer } from './load-balancer.plan';

const SERVICES = kindByResource('services');
export const LOAD_BALANCER_CHANNEL = 'gke_emulator_service_lb';

/** What a Service write tells the controller, through NOTIFY once the write commits. */
export interface LoadBalancerChange {
  clusterId: string;
  namespace: string;
  name: string;
  uid: string;
}

/** Asks for a reconcile of the Service's load balancer once the caller's transaction commits. */
export async function notifyLoadBalancer(sql: SqlClient, change: LoadBalancerChange): Promise<void> {
  await sql.query(`SELECT pg_notify($1, $2)`, [LOAD_BALANCER_CHANNEL, JSON.stringify(change)]);
}

/**
 * GKE's service controller: for each `type: LoadBalancer` Service, the Google objects of an L4 load balancer
 * (external, or internal with `networking.gke.io/load-balancer-type: "Internal"`), created through the Compute
 * API as the real controller calls it; `status.loadBalancer.ingress` reports the address. Like the real one it
 * runs after the write, not in it: a Service write NOTIFYs, this process LISTENs and reconciles; at start it
 * reconciles every LoadBalancer Service, so nothing written while it was down is missed. Deleting the Service or
 * changing its type removes what was made.
 */
@Injectable()
export class LoadBalancerController implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('LoadBalancerController');
  private stopListening?: () => Promise<void>;
  /** per Service, the reconcile running now and whether another is due after it */
  private readonly running = new Map<string, { again: boolean; done: Promise<void> }>();
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly store: KubeStore,
    private readonly clusters: ClusterDirectory,
    private readonly compute: ComputeApi,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.stopListening = await this.db.listen(LOAD_BALANCER_CHANNEL, (payload) => {
      try {
        this.schedule(JSON.parse(payload) as LoadBalancerChange);
      } catch {
        // not ours
      }
    });
    const rows = await this.db.query<{ cluster_id: string; namespace: string; name: string; uid: string }>(
      `SELECT cluster_id::text, namespace, name, uid::text FROM kube_object
        WHERE resource = 'services' AND body #>> '{spec,type}' = 'LoadBalancer'`,
    );
    for (const row of rows)
      this.schedule({ clusterId: row.cluster_id, namespace: row.namespace, name: row.name, uid: row.uid });
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await this.stopListening?.();
    await Promise.all([...this.running.values()].map((entry) => entry.done.catch(() => undefined)));
  }

  /** Resolves when every reconcile asked for so far has finished (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((entry) => entry.done));
  }

  private schedule(change: LoadBalancerChange): void {
    if (this.closed) return;
    const key = `${change.clusterId}/${change.uid}`;
    const current = this.running.get(key);
    if (current) {
      current.again = true;
      return;
    }
    const entry = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      do {
        entry.again = false;
        try {
          await this.reconcile(change);
        } catch (error) {
          this.logger.warn(
            `load balancer of ${change.namespace}/${change.name}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      } while (entry.again && !this.closed);
      this.running.delete(key);
    })();
    this.running.set(key, entry);
  }

  private async reconcile(change: LoadBalancerChange): Promise<void> {
    const cluster = await this.clusters.clusterById(BigInt(change.clusterId));
    if (!cluster) return;
    const service = await this.store.get(this.store.reader, cluster, SERVICES, change.namespace, change.name);
    const wanted =
      service &&
      String(service.metadata.uid) === change.uid &&
      field(service, 'spec', 'type') === 'LoadBalancer';
    if (!wanted) {
      await this.teardown(cluster, change.uid, service?.metadata.uid === change.uid ? service : undefined);
      return;
    }
    await this.ensure(cluster, service);
  }

  private async forCluster(cluster: ClusterRecord): Promise<ClusterForLoadBalancer> {
    const nodes = await this.clusters.listNodes(cluster.id);
    return {
      project: cluster.project,
      region: cluster.location.replace(/-[a-z]$/, ''),
      clusterId: String(cluster.resource['id'] ?? cluster.hash).slice(0, 16),
      network: String(cluster.resource['network']),
      subnetwork: String(cluster.resource['subnetwork']),
      nodeTag: String(cluster.resource['nodeTag'] ?? `gke-${cluster.name}-${cluster.hash}-node`),
      nodes: nodes.map((node) => ({ name: node.name, zone: node.zone })),
    };
  }

  private async ensure(cluster: ClusterRecord, service: KubeObject): Promise<void> {
    const target = await this.forCluster(cluster);
    const plan = planLoadBalancer(service, target);
    const { project, region } = target;
    const address = await this.ensureResource('addresses', project, region, plan.address);
    const ip = String(address['address']);
    await this.ensureResource(plan.healthCheck.collection, project, 'global', plan.healthCheck.body);
    await this.ensureResource(plan.backend.collection, project, region, plan.backend.body, true);
    await this.ensureResource('forwardingRules', project, region, plan.forwardingRule(ip));
    for (const firewall of plan.firewalls(ip))
      await this.ensureResource('firewalls', project, 'global', firewall, true);

    const ingress = [{ ip, ipMode: 'VIP' }];
    if (JSON.stringify(field(service, 'status', 'loadBalancer', 'ingress')) === JSON.stringify(ingress))
      return;
    await this.store.transaction(async (sql) => {
      const current = await this.store.get(
        sql,
        cluster,
        SERVICES,
        String(service.metadata.namespace),
        String(service.metadata.name),
      );
      if (!current || current.metadata.uid !== service.metadata.uid) return;
      await this.store.update(
        sql,
        cluster,
        SERVICES,
        { ...current, status: { loadBalancer: { ingress } } },
        { subresource: 'status' },
      );
    });
  }

  /** Creates the resource, or brings the fields GKE owns back to what the plan says. */
  private async ensureResource(
    collection: ComputeCollection,
    project: string,
    scope: string,
    body: Record<string, unknown>,
    update = false,
  ): Promise<Record<string, unknown>> {
    const name = String(body['name']);
    const existing = await this.compute.get(collection, project, scope, name);
    if (!existing) {
      await this.compute.insert(collection, project, scope, body);
    } else if (update) {
      const differs = Object.entries(body).some(
        ([key, value]) =>
          key !== 'network' &&
          JSON.stringify(existing[key]) !== JSON.stringify(value) &&
          !linksEqual(existing[key], value),
      );
      if (differs) await this.compute.patch(collection, project, scope, name, body);
    }
    return (await this.compute.get(collection, project, scope, name)) ?? {};
  }

  private async teardown(
    cluster: ClusterRecord,
    uid: string,
    service: KubeObject | undefined,
  ): Promise<void> {
    const target = await this.forCluster(cluster);
    const name = loadBalancerName(uid);
    const { project, region } = target;
    const hadLocal = await this.compute.get('httpHealthChecks', project, 'global', name);
    await this.compute.delete('firewalls', project, 'global', `k8s-fw-${name}`);
    await this.compute.delete('firewalls', project, 'global', `k8s-${name}-http-hc`);
    await this.compute.delete('forwardingRules', project, region, name);
    await this.compute.delete('targetPools', project, region, name);
    await this.compute.delete('backendServices', project, region, name);
    if (hadLocal) await this.compute.delete('httpHealthChecks', project, 'global', name);
    await this.compute.delete('healthChecks', project, 'global', name);
    await this.compute.delete('addresses', project, region, name);
    if (service && field(service, 'status', 'loadBalancer', 'ingress')) {
      await this.store.transaction(async (sql) => {
        const current = await this.store.get(
          sql,
          cluster,
          SERVICES,
          String(service.metadata.namespace),
          String(service.metadata.name),
        );
        if (!current || current.metadata.uid !== service.metadata.uid) return;
        await this.store.update(
          sql,
          cluster,
          SERVICES,
          { ...current, status: { loadBalancer: {} } },
          { subresource: 'status' },
        );
      });
    }
  }
}

/** A stored link (rendered absolute) and a planned one (relative) name the same resource. */
function linksEqual(a: unknown, b: unknown): boolean {
  const relative = (value: unknown): unknown =>
    typeof value === 'string'
      ? value.replace(/^https?:\/\/[^/]+\/compute\/v1\//, '')
      : Array.isArray(value)
        ? value.map(relative)
        : value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, relative(v)]))
          : value;
  return JSON.stringify(relative(a)) === JSON.stringify(relative(b));
}
