import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ComputeApi } from '@gke-emulator/compute';
import { ClusterDirectory, type ClusterRecord } from '@gke-emulator/container';
import { field, type KubeObject } from '../api/kube-object';
import { kindByResource } from '../api/resources';
import { KubeStore } from '../store/kube-store';
import { gkeClusterId, nodeTagOf } from './cluster-facts';
import { ensureComputeResource, writeLoadBalancerStatus } from './compute-resources';
import { recordEventNow } from './events';
import { DEFAULT_BACKEND, type IngressPlan, planIngress } from './ingress.plan';
import { instanceGroupName } from './load-balancer.plan';
import { ControllerRepository, INGRESS_CHANNEL } from './controller.repository';
import { ReconcileQueue } from './reconcile-queue';

const INGRESSES = kindByResource('ingresses');
const SERVICES = kindByResource('services');
const BACKEND_CONFIGS = kindByResource('backendconfigs');

/**
 * GKE's ingress controller: every Ingress of a cluster becomes an external HTTP load balancer through the Compute
 * API (see ingress.plan.ts), its address in `status.loadBalancer.ingress`; what no Ingress needs any more is
 * deleted. Reconciles a whole cluster after any write to its Ingresses, Services or BackendConfigs (NOTIFY/LISTEN,
 * coalesced), and every cluster with Ingresses at start.
 */
@Injectable()
export class IngressController implements OnModuleDestroy {
  private readonly logger = new Logger('IngressController');
  private stopListening?: () => Promise<void>;
  private readonly queue = new ReconcileQueue<string>(
    (clusterId) => clusterId,
    (clusterId) => this.reconcile(clusterId),
    this.logger,
  );

  constructor(
    private readonly store: KubeStore,
    private readonly clusters: ClusterDirectory,
    private readonly compute: ComputeApi,
    private readonly repository: ControllerRepository,
  ) {}

  /** Starts listening for changes and reconciles what is there; the API server calls it once it serves. */
  async start(): Promise<void> {
    if (this.stopListening) return;
    this.stopListening = await this.repository.listen(INGRESS_CHANNEL, (clusterId) =>
      this.queue.schedule(clusterId),
    );
    for (const clusterId of await this.repository.clustersWithIngresses()) this.queue.schedule(clusterId);
  }

  async onModuleDestroy(): Promise<void> {
    await this.stopListening?.();
    await this.queue.close();
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private async reconcile(clusterId: string): Promise<void> {
    const cluster = await this.clusters.clusterById(BigInt(clusterId));
    if (!cluster) return;
    const reader = this.store.reader;
    const ingresses = (await this.store.list(reader, cluster, INGRESSES)).items;
    const id = gkeClusterId(cluster);
    const project = cluster.project;
    const prefix = `k8s2-fr-${id.slice(0, 8)}-`;
    const existingRules = (await this.compute.names('forwardingRules', project, 'global')).filter((n) =>
      n.startsWith(prefix),
    );
    if (ingresses.length === 0 && existingRules.length === 0) return;

    if (ingresses.some((ingress) => !field(ingress, 'spec', 'defaultBackend')))
      await this.ensureDefaultBackend(cluster);
    const services = new Map(
      (await this.store.list(reader, cluster, SERVICES)).items.map((s) => [
        `${s.metadata.namespace}/${s.metadata.name}`,
        s,
      ]),
    );
    const configs = new Map(
      (await this.store.list(reader, cluster, BACKEND_CONFIGS)).items.map((c) => [
        `${c.metadata.namespace}/${c.metadata.name}`,
        c,
      ]),
    );
    const zones = [...new Set((await this.clusters.listNodes(cluster.id)).map((node) => node.zone))].sort();
    const facts = {
      project,
      clusterId: id,
      network: String(cluster.resource['network']),
      nodeTag: nodeTagOf(cluster),
      zones,
    };

    const wantedRules = new Set<string>();
    const wantedBackends = new Set<string>();
    for (const ingress of ingresses) {
      const plan = planIngress(ingress, services, configs, facts);
      if (!plan.ok) {
        await this.event(cluster, ingress, 'Warning', 'Translate', `Translation failed: ${plan.reason}`);
        continue;
      }
      wantedRules.add(plan.names.forwardingRule);
      for (const backend of plan.backends) wantedBackends.add(backend.name);
      try {
        await this.ensure(cluster, ingress, plan, zones);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await this.event(
          cluster,
          ingress,
          'Warning',
          'Sync',
          `Error syncing to GCP: error running load balancer syncing routine: ${reason}`,
        );
        throw error;
      }
    }
    if (wantedRules.size > 0)
      await ensureComputeResource(
        this.compute,
        'firewalls',
        project,
        'global',
        planFirewall(ingresses, services, configs, facts),
      );

    // What no Ingress needs any more goes, front to back.
    for (const rule of existingRules.filter((name) => !wantedRules.has(name))) {
      const suffix = rule.slice('k8s2-fr-'.length);
      await this.compute.delete('forwardingRules', project, 'global', rule);
      await this.compute.delete('targetHttpProxies', project, 'global', `k8s2-tp-${suffix}`);
      await this.compute.delete('urlMaps', project, 'global', `k8s2-um-${suffix}`);
    }
    const backendPrefix = `k8s1-${id.slice(0, 8)}-`;
    for (const name of (await this.compute.names('backendServices', project, 'global')).filter((n) =>
      n.startsWith(backendPrefix),
    )) {
      if (wantedBackends.has(name)) continue;
      await this.compute.delete('backendServices', project, 'global', name);
      await this.compute.delete('healthChecks', project, 'global', name);
    }
    if (wantedRules.size === 0) {
      await this.compute.delete('firewalls', project, 'global', `k8s-fw-l7--${id}`);
      // The last Ingress gone, its instance groups go too, unless an internal load balancer still uses them.
      await this.compute.deleteInstanceGroupIfUnused(project, instanceGroupName(id));
    }
  }

  private async ensure(
    cluster: ClusterRecord,
    ingress: KubeObject,
    plan: Extract<IngressPlan, { ok: true }>,
    zones: readonly string[],
  ) {
    const project = cluster.project;
    // ingress-gce's EnsureInstanceGroupsAndPorts: the cluster's group in each zone, a named port per NodePort.
    for (const zone of zones) {
      await this.compute.ensureInstanceGroup({
        project,
        zone,
        name: instanceGroupName(gkeClusterId(cluster)),
        clusterId: cluster.id,
        namedPorts: plan.backends.map((backend) => ({
          name: `port${backend.nodePort}`,
          port: backend.nodePort,
        })),
      });
    }
    for (const backend of plan.backends) {
      await ensureComputeResource(this.compute, 'healthChecks', project, 'global', backend.healthCheck, true);
      await ensureComputeResource(
        this.compute,
        'backendServices',
        project,
        'global',
        backend.backendService,
        true,
      );
    }
    await ensureComputeResource(this.compute, 'urlMaps', project, 'global', plan.urlMap, true);
    await ensureComputeResource(this.compute, 'targetHttpProxies', project, 'global', plan.targetProxy);
    const rule = await ensureComputeResource(
      this.compute,
      'forwardingRules',
      project,
      'global',
      plan.forwardingRule(undefined),
    );
    const ip = String(rule['IPAddress'] ?? '');
    const ingressStatus = ip ? [{ ip }] : [];
    const before = field(ingress, 'status', 'loadBalancer', 'ingress', 0, 'ip');
    await writeLoadBalancerStatus(this.store, cluster, INGRESSES, ingress, { ingress: ingressStatus });
    if (ip && before !== ip) await this.event(cluster, ingress, 'Normal', 'CREATE', `ip: ${ip}`);
  }

  /** Reports on the Ingress as GKE's ingress controller (`loadbalancer-controller`) does. */
  private async event(
    cluster: ClusterRecord,
    ingress: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
  ): Promise<void> {
    try {
      await recordEventNow(this.store, cluster, ingress, {
        type,
        reason,
        message,
        component: 'loadbalancer-controller',
      });
    } catch (error) {
      this.logger.warn(`event on ${ingress.metadata.namespace}/${ingress.metadata.name}: ${String(error)}`);
    }
  }

  /** GKE runs `kube-system/default-http-backend` (a NodePort Service) for Ingresses without a default backend. */
  private async ensureDefaultBackend(cluster: ClusterRecord): Promise<void> {
    if (
      await this.store.get(
        this.store.reader,
        cluster,
        SERVICES,
        DEFAULT_BACKEND.namespace,
        DEFAULT_BACKEND.name,
      )
    )
      return;
    await this.store.transaction(async (sql) => {
      if (await this.store.get(sql, cluster, SERVICES, DEFAULT_BACKEND.namespace, DEFAULT_BACKEND.name))
        return;
      await this.store.create(sql, cluster, SERVICES, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: DEFAULT_BACKEND.name,
          namespace: DEFAULT_BACKEND.namespace,
          labels: {
            'k8s-app': 'glbc',
            'kubernetes.io/cluster-service': 'true',
            'kubernetes.io/name': 'GLBCDefaultBackend',
          },
        },
        spec: {
          type: 'NodePort',
          selector: { 'k8s-app': 'glbc' },
          ports: [{ name: 'http', port: DEFAULT_BACKEND.port, protocol: 'TCP', targetPort: 8080 }],
        },
      });
    });
  }
}

/** The L7 health-check firewall rule, from any Ingress that plans (they all give the same rule). */
function planFirewall(
  ingresses: KubeObject[],
  services: ReadonlyMap<string, KubeObject>,
  configs: ReadonlyMap<string, KubeObject>,
  facts: Parameters<typeof planIngress>[3],
): Record<string, unknown> {
  for (const ingress of ingresses) {
    const plan = planIngress(ingress, services, configs, facts);
    if (plan.ok) return plan.firewall;
  }
  throw new Error('no ingress plans');
}
