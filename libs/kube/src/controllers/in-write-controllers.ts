import { Injectable, type OnModuleInit } from '@nestjs/common';
import { OperationTimingService } from '@gke-emulator/operations';
import { ClusterDirectory } from '@gke-emulator/container';
import { type AdmissionHook, KubeAdmission } from '../store/admission';
import { ControllerRepository } from './controller.repository';
import { DeploymentController } from './deployment.controller';
import { EndpointSliceController } from './endpoint-slice.controller';
import type { InWriteController } from './in-write-controller';
import { LoadBalancerNoticesController } from './load-balancer-notices.controller';
import { SchedulerController } from './scheduler.controller';
import { ServiceAllocationController } from './service-allocation.controller';

/**
 * Runs the controllers that act inside each write's transaction, as admission hooks, in this declared order (a
 * resource's hooks run in it, so for a pod: the scheduler binds it and records its IP, then the Deployment
 * controller replaces it or updates its owners' status, then its EndpointSlices follow):
 *
 * 1. scheduler and pod IPAM (scheduler.controller.ts): pods
 * 2. Deployment/ReplicaSet (deployment.controller.ts): pods, deployments, replicasets
 * 3. Service ClusterIP/NodePort allocators (service-allocation.controller.ts): services
 * 4. EndpointSlices (endpoint-slice.controller.ts): pods, services
 * 5. load balancer and Ingress notices (load-balancer-notices.controller.ts): services, ingresses, backendconfigs;
 *    they wake the asynchronous LoadBalancer and Ingress controllers once the write commits
 *
 * A Deployment's own pod writes form a batch; at its end the scheduler writes the batch's pod IPs, then the
 * EndpointSlice controller reconciles the Services of the pods it changed.
 */
@Injectable()
export class InWriteControllers implements OnModuleInit {
  /** in the order their hooks run */
  readonly controllers: readonly InWriteController[];

  constructor(
    private readonly admission: KubeAdmission,
    clusters: ClusterDirectory,
    timing: OperationTimingService,
    repository: ControllerRepository,
  ) {
    const scheduler = new SchedulerController(clusters, timing, repository);
    const endpointSlices = new EndpointSliceController(clusters);
    const deployments = new DeploymentController(clusters, async (context) => {
      await scheduler.flushPodIps(context);
      await endpointSlices.flushBatch(context);
    });
    this.controllers = [
      scheduler,
      deployments,
      new ServiceAllocationController(repository),
      endpointSlices,
      new LoadBalancerNoticesController(repository),
    ];
  }

  /** Every hook to register, in the order they run: per controller in the declared order, its resources. */
  registrations(): { resource: string; controller: string; hook: AdmissionHook }[] {
    return this.controllers.flatMap((controller) =>
      Object.entries(controller.hooks()).map(([resource, hook]) => ({
        resource,
        controller: controller.name,
        hook,
      })),
    );
  }

  onModuleInit(): void {
    for (const { resource, hook } of this.registrations()) this.admission.register(resource, hook);
  }
}
