import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ComputeApi } from '@gke-emulator/compute';
import { atLeast, ClusterDirectory, type ClusterRecord } from '@gke-emulator/container';
import { field, type KubeObject } from '../api/kube-object';
import { kindByResource } from '../api/resources';
import { KubeStore } from '../store/kube-store';
import { type EventReport, recordEventNow } from './events';
import {
  asksForRbs,
  type ClusterForLoadBalancer,
  type ExistingExternalShape,
  instanceGroupName,
  l4ContentHash,
  loadBalancerName,
  NETLB_FINALIZER,
  planLoadBalancer,
  RBS_ANNOTATION,
  RBS_SERVICE_ANNOTATIONS,
  rbsNames,
  requestedAddressNames,
  wantsRbs,
} from './load-balancer.plan';
import { ControllerRepository, LOAD_BALANCER_CHANNEL } from './controller.repository';
import { ReconcileQueue } from './reconcile-queue';
import { ensureComputeResource, writeLoadBalancerStatus } from './compute-resources';
import { gkeClusterId, nodeTagOf, regionOfCluster } from './cluster-facts';

const SERVICES = kindByResource('services');
const NAMESPACES = kindByResource('namespaces');

/** What a Service write tells the controller, through NOTIFY once the write commits. */
export interface LoadBalancerChange {
  clusterId: string;
  namespace: string;
  name: string;
  uid: string;
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
export class LoadBalancerController implements OnModuleDestroy {
  private readonly logger = new Logger('LoadBalancerController');
  private stopListening?: () => Promise<void>;
  private readonly queue = new ReconcileQueue<LoadBalancerChange>(
    (change) => `${change.clusterId}/${change.uid}`,
    (change) => this.reconcile(change),
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
    this.stopListening = await this.repository.listen(LOAD_BALANCER_CHANNEL, (payload) => {
      try {
        this.queue.schedule(JSON.parse(payload) as LoadBalancerChange);
      } catch {
        // not ours
      }
    });
    for (const change of await this.repository.loadBalancerServices()) this.queue.schedule(change);
  }

  async onModuleDestroy(): Promise<void> {
    await this.stopListening?.();
    await this.queue.close();
  }

  /** Resolves when every reconcile asked for so far has finished (tests and shutdown). */
  idle(): Promise<void> {
    return this.queue.idle();
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
      // An RBS load balancer's parts are named after the Service's name, not its uid: a new LoadBalancer Service
      // of the same name (deleted and created again) owns them now, and they stay for it.
      const nameReused =
        service !== undefined &&
        String(service.metadata.uid) !== change.uid &&
        field(service, 'spec', 'type') === 'LoadBalancer' &&
        wantsRbs(service, String(cluster.resource['currentMasterVersion'] ?? ''), undefined, atLeast);
      await this.teardown(
        cluster,
        change,
        service?.metadata.uid === change.uid ? service : undefined,
        nameReused,
      );
      return;
    }
    await this.ensure(cluster, service);
  }

  private async forCluster(cluster: ClusterRecord): Promise<ClusterForLoadBalancer> {
    const nodes = await this.clusters.listNodes(cluster.id);
    // ingress-gce names its L4 resources after a hash of the kube-system namespace's uid.
    const kubeSystem = await this.store.get(this.store.reader, cluster, NAMESPACES, '', 'kube-system');
    return {
      project: cluster.project,
      region: regionOfCluster(cluster),
      clusterId: gkeClusterId(cluster),
      l4ClusterUid: l4ContentHash(String(kubeSystem?.metadata.uid ?? gkeClusterId(cluster)), 8),
      network: String(cluster.resource['network']),
      subnetwork: String(cluster.resource['subnetwork']),
      nodeTag: nodeTagOf(cluster),
      nodes: nodes.map((node) => ({ name: node.name, zone: node.zone })),
    };
  }

  /** Reports on the Service as the service controller does; a Service gone meanwhile gets no event. */
  private async event(cluster: ClusterRecord, service: KubeObject, report: Omit<EventReport, 'component'>) {
    try {
      await recordEventNow(this.store, cluster, service, { ...report, component: 'service-controller' });
    } catch (error) {
      this.logger.warn(`event on ${service.metadata.namespace}/${service.metadata.name}: ${String(error)}`);
    }
  }

  /**
   * Ensures the Service's load balancer. The events are written only when that changed something (they follow
   * the writes, in the service controller's order): a reconcile of what is in place already, as every start makes,
   * writes nothing.
   */
  private async ensure(cluster: ClusterRecord, service: KubeObject): Promise<void> {
    const ensuring = () =>
      this.event(cluster, service, {
        type: 'Normal',
        reason: 'EnsuringLoadBalancer',
        message: 'Ensuring load balancer',
      });
    try {
      if (!(await this.ensureResources(cluster, service))) return;
      await ensuring();
    } catch (error) {
      await ensuring();
      const reason = error instanceof Error ? error.message : String(error);
      await this.event(cluster, service, {
        type: 'Warning',
        reason: 'SyncLoadBalancerFailed',
        message: `Error syncing load balancer: failed to ensure load balancer: ${reason}`,
      });
      throw error;
    }
    await this.event(cluster, service, {
      type: 'Normal',
      reason: 'EnsuredLoadBalancer',
      message: 'Ensured load balancer',
    });
  }

  /**
   * The address a Service asks for by name (GKE's `networking.gke.io/load-balancer-ip-addresses`) or by value
   * (`spec.loadBalancerIP`), when a reserved address of the project holds it: the load balancer uses that address
   * and leaves it in place when it goes. Undefined when nothing is asked for, or the IP is not reserved (the
   * controller then reserves it under its own name, as GKE promotes the IP).
   */
  private async requestedAddress(
    service: KubeObject,
    project: string,
    region: string,
    internal: boolean,
  ): Promise<string | undefined> {
    const wantedType = internal ? 'INTERNAL' : 'EXTERNAL';
    const names = requestedAddressNames(service);
    if (names.length > 0) {
      for (const name of names) {
        const address = await this.compute.get('addresses', project, region, name);
        if (!address)
          throw new Error(`address "${name}" not found in region ${region} of project ${project}`);
        if ((address['ipVersion'] ?? 'IPV4') !== 'IPV4') continue;
        if ((address['addressType'] ?? 'EXTERNAL') !== wantedType)
          throw new Error(
            `address "${name}" is ${String(address['addressType'] ?? 'EXTERNAL')}, the load balancer needs an ${wantedType} one`,
          );
        return String(address['address']);
      }
      throw new Error(`none of the addresses ${names.join(', ')} is an IPv4 address`);
    }
    const ip = field(service, 'spec', 'loadBalancerIP');
    if (typeof ip !== 'string' || !ip) return undefined;
    for (const name of await this.compute.names('addresses', project, region)) {
      if (name === loadBalancerName(String(service.metadata.uid))) continue;
      const address = await this.compute.get('addresses', project, region, name);
      if (address?.['address'] !== ip) continue;
      if ((address['addressType'] ?? 'EXTERNAL') !== wantedType)
        throw new Error(
          `requested IP ${ip} is the ${String(address['addressType'] ?? 'EXTERNAL')} address "${name}", the load balancer needs an ${wantedType} one`,
        );
      return ip;
    }
    return undefined;
  }

  /**
   * How the Service's external forwarding rule (if it has one yet) sends traffic: GKE keeps a load balancer in the
   * shape it was made in, whatever the version or the annotations say later.
   */
  private async existingExternalShape(
    project: string,
    region: string,
    name: string,
  ): Promise<ExistingExternalShape> {
    const rule = await this.compute.get('forwardingRules', project, region, name);
    if (!rule || rule['loadBalancingScheme'] !== 'EXTERNAL') return undefined;
    if (typeof rule['backendService'] === 'string') return 'backendService';
    if (typeof rule['target'] === 'string') return 'targetPool';
    return undefined;
  }

  /** Whether it wrote anything. */
  private async ensureResources(cluster: ClusterRecord, service: KubeObject): Promise<boolean> {
    const writes = { count: 0 };
    const target = await this.forCluster(cluster);
    const { project, region } = target;
    const existing = await this.existingExternalShape(
      project,
      region,
      loadBalancerName(String(service.metadata.uid)),
    );
    const version = String(cluster.resource['currentMasterVersion'] ?? '');
    const rbs = wantsRbs(service, version, existing, atLeast);
    if (!rbs && existing === 'targetPool' && asksForRbs(service)) {
      // As the NetLB controller does: a target pool is not migrated, and the annotation asking for it is removed.
      await this.event(cluster, service, {
        type: 'Warning',
        reason: 'CanNotMigrateTargetPoolToRBS',
        message:
          'RBS annotation was attached to the Legacy Target Pool service. Migration is not supported. Removing annotation',
      });
      if (await this.writeServiceMetadata(cluster, service, { remove: [RBS_ANNOTATION] })) writes.count++;
    }
    const plan = planLoadBalancer(service, target, { rbs });
    const reserved = await this.requestedAddress(service, project, region, plan.internal);
    let ip: string;
    if (reserved) {
      ip = reserved;
    } else {
      const address = await ensureComputeResource(
        this.compute,
        'addresses',
        project,
        region,
        plan.address,
        false,
        writes,
      );
      ip = String(address['address']);
    }
    await ensureComputeResource(
      this.compute,
      plan.healthCheck.collection,
      project,
      plan.healthCheck.scope,
      plan.healthCheck.body,
      false,
      writes,
    );
    // A backend service's backends are the cluster's instance groups: they exist before it names them.
    for (const zone of plan.instanceGroupZones) {
      if (
        await this.compute.ensureInstanceGroup({
          project,
          zone,
          name: instanceGroupName(target.clusterId),
          clusterId: cluster.id,
          namedPorts: [],
        })
      )
        writes.count++;
    }
    await ensureComputeResource(
      this.compute,
      plan.backend.collection,
      project,
      region,
      plan.backend.body,
      true,
      writes,
    );
    // A forwarding rule's IP cannot change: one on another address (the Service asked for a new one) is replaced.
    const rule = await this.compute.get('forwardingRules', project, region, plan.name);
    if (rule && rule['IPAddress'] !== ip) {
      await this.compute.delete('forwardingRules', project, region, plan.name);
      writes.count++;
    }
    await ensureComputeResource(
      this.compute,
      'forwardingRules',
      project,
      region,
      plan.forwardingRule(ip),
      false,
      writes,
    );
    // The controller's own address is released once the Service uses a reserved one.
    if (reserved && (await this.compute.get('addresses', project, region, plan.name))) {
      await this.compute.delete('addresses', project, region, plan.name);
      writes.count++;
    }
    for (const firewall of plan.firewalls(ip))
      await ensureComputeResource(this.compute, 'firewalls', project, 'global', firewall, true, writes);
    if (plan.shape === 'rbs')
      await this.dropOtherRbsHealthCheck(target, service, plan.healthCheck.shared, writes);

    if (plan.serviceMetadata && (await this.writeServiceMetadata(cluster, service, plan.serviceMetadata)))
      writes.count++;
    if (
      await writeLoadBalancerStatus(this.store, cluster, SERVICES, service, {
        ingress: [{ ip, ipMode: 'VIP' }],
      })
    )
      writes.count++;
    return writes.count > 0;
  }

  /**
   * When an RBS Service's `externalTrafficPolicy` changes, its backend service moves to the other health check: the
   * one it left goes with its firewall (the shared one only once no other backend service uses it).
   */
  private async dropOtherRbsHealthCheck(
    target: ClusterForLoadBalancer,
    service: KubeObject,
    shared: boolean,
    writes: { count: number },
  ): Promise<void> {
    const { project, region } = target;
    const names = rbsNames(
      target.l4ClusterUid,
      String(service.metadata.namespace),
      String(service.metadata.name),
    );
    if (shared) {
      if (!(await this.compute.get('healthChecks', project, region, names.localHealthCheck))) return;
      await this.compute.delete('firewalls', project, 'global', names.localHealthCheckFirewall);
      await this.compute.delete('healthChecks', project, region, names.localHealthCheck);
      writes.count++;
      return;
    }
    if (!(await this.compute.get('healthChecks', project, region, names.sharedHealthCheck))) return;
    if (await this.deleteSharedHealthCheckIfUnused(project, region, names.sharedHealthCheck)) {
      await this.compute.delete('firewalls', project, 'global', names.sharedHealthCheckFirewall);
      writes.count++;
    }
  }

  /**
   * Sets (or removes) the annotations and finalizer the NetLB controller keeps on an RBS Service, if the Service is
   * still the one reconciled and they differ. Returns whether it wrote.
   */
  private async writeServiceMetadata(
    cluster: ClusterRecord,
    service: KubeObject,
    change: {
      annotations?: Record<string, string>;
      finalizer?: string;
      remove?: string[];
      removeFinalizer?: string;
    },
  ): Promise<boolean> {
    return this.store.transaction(async (sql) => {
      const namespace = String(service.metadata.namespace);
      const current = await this.store.get(sql, cluster, SERVICES, namespace, String(service.metadata.name));
      if (!current || current.metadata.uid !== service.metadata.uid) return false;
      const removed = new Set(change.remove ?? []);
      const annotations: Record<string, string> = {
        ...Object.fromEntries(
          Object.entries(current.metadata.annotations ?? {}).filter(([key]) => !removed.has(key)),
        ),
        ...change.annotations,
      };
      let finalizers = [...(current.metadata.finalizers ?? [])];
      if (change.finalizer && !finalizers.includes(change.finalizer)) finalizers.push(change.finalizer);
      if (change.removeFinalizer) finalizers = finalizers.filter((item) => item !== change.removeFinalizer);
      const before = JSON.stringify([current.metadata.annotations ?? {}, current.metadata.finalizers ?? []]);
      if (JSON.stringify([annotations, finalizers]) === before) return false;
      const metadata = { ...current.metadata };
      if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
      else delete metadata.annotations;
      if (finalizers.length > 0) metadata.finalizers = finalizers;
      else delete metadata.finalizers;
      await this.store.update(sql, cluster, SERVICES, { ...current, metadata });
      return true;
    });
  }

  private async teardown(
    cluster: ClusterRecord,
    change: LoadBalancerChange,
    service: KubeObject | undefined,
    nameReused = false,
  ): Promise<void> {
    const target = await this.forCluster(cluster);
    const name = loadBalancerName(change.uid);
    const { project, region } = target;
    const rule = await this.compute.get('forwardingRules', project, region, name);
    const existed = Boolean(rule);
    // An RBS load balancer's backend service, health check and firewalls are named after the Service's name.
    const rbs = rbsNames(target.l4ClusterUid, change.namespace, change.name);
    const hadRbs =
      !nameReused &&
      (typeof rule?.['backendService'] === 'string'
        ? String(rule['backendService']).endsWith(`/backendServices/${rbs.backendService}`)
        : Boolean(await this.compute.get('backendServices', project, region, rbs.backendService)));
    if (service && existed)
      await this.event(cluster, service, {
        type: 'Normal',
        reason: 'DeletingLoadBalancer',
        message: 'Deleting load balancer',
      });
    const hadLocal = await this.compute.get('httpHealthChecks', project, 'global', name);
    await this.compute.delete('firewalls', project, 'global', `k8s-fw-${name}`);
    await this.compute.delete('firewalls', project, 'global', `k8s-${name}-http-hc`);
    if (hadRbs) {
      await this.compute.delete('firewalls', project, 'global', rbs.firewall);
      await this.compute.delete('firewalls', project, 'global', rbs.localHealthCheckFirewall);
    }
    await this.compute.delete('forwardingRules', project, region, name);
    await this.compute.delete('targetPools', project, region, name);
    const hadBackendService = Boolean(await this.compute.get('backendServices', project, region, name));
    await this.compute.delete('backendServices', project, region, name);
    if (hadRbs) await this.compute.delete('backendServices', project, region, rbs.backendService);
    // As the internal controller does: the cluster's groups go too, unless another load balancer still uses them.
    if (hadBackendService || hadRbs)
      await this.compute.deleteInstanceGroupIfUnused(project, instanceGroupName(target.clusterId));
    if (hadLocal) await this.compute.delete('httpHealthChecks', project, 'global', name);
    await this.compute.delete('healthChecks', project, 'global', name);
    if (hadRbs) {
      await this.compute.delete('healthChecks', project, region, rbs.localHealthCheck);
      // The shared check and its firewall go with the last RBS Service of the cluster that uses them.
      if (await this.deleteSharedHealthCheckIfUnused(project, region, rbs.sharedHealthCheck))
        await this.compute.delete('firewalls', project, 'global', rbs.sharedHealthCheckFirewall);
    }
    await this.compute.delete('addresses', project, region, name);
    if (service) {
      if (hadRbs)
        await this.writeServiceMetadata(cluster, service, {
          remove: RBS_SERVICE_ANNOTATIONS,
          removeFinalizer: NETLB_FINALIZER,
        });
      await writeLoadBalancerStatus(this.store, cluster, SERVICES, service, {});
      if (existed)
        await this.event(cluster, service, {
          type: 'Normal',
          reason: 'DeletedLoadBalancer',
          message: 'Deleted load balancer',
        });
    }
  }

  /**
   * Deletes the cluster's shared RBS health check unless a backend service of the region still names it (asked
   * first, so that a check still in use costs no failed operation); returns whether it is gone.
   */
  private async deleteSharedHealthCheckIfUnused(
    project: string,
    region: string,
    name: string,
  ): Promise<boolean> {
    for (const service of await this.compute.names('backendServices', project, region)) {
      const backend = await this.compute.get('backendServices', project, region, service);
      const checks = Array.isArray(backend?.['healthChecks']) ? (backend['healthChecks'] as unknown[]) : [];
      if (checks.some((link) => String(link).endsWith(`/regions/${region}/healthChecks/${name}`)))
        return false;
    }
    await this.compute.delete('healthChecks', project, region, name);
    return true;
  }
}
