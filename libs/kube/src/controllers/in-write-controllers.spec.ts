import { describe, expect, it } from 'vitest';
import type { OperationTimingService } from '@gke-emulator/operations';
import type { ClusterDirectory } from '@gke-emulator/container';
import { KubeAdmission } from '../store/admission';
import type { ControllerRepository } from './controller.repository';
import { InWriteControllers } from './in-write-controllers';
import { materialisedReplicas, MAX_PENDING_PODS_BEYOND_CAPACITY } from './replica-sets';

describe('the in-write controllers', () => {
  const admission = new KubeAdmission();
  const coordinator = new InWriteControllers(
    admission,
    {} as ClusterDirectory,
    {} as OperationTimingService,
    {} as ControllerRepository,
  );
  coordinator.onModuleInit();

  it('run in their declared order', () => {
    expect(coordinator.controllers.map((controller) => controller.name)).toEqual([
      'scheduler',
      'deployment-controller',
      'service-allocators',
      'endpointslice-controller',
      'load-balancer-notices',
    ]);
  });

  it('register each resource`s hooks in that order, one controller concern each', () => {
    const byResource = (resource: string) =>
      coordinator
        .registrations()
        .filter((registration) => registration.resource === resource)
        .map((registration) => registration.controller);
    expect(byResource('pods')).toEqual(['scheduler', 'deployment-controller', 'endpointslice-controller']);
    expect(byResource('services')).toEqual([
      'service-allocators',
      'endpointslice-controller',
      'load-balancer-notices',
    ]);
    expect(byResource('deployments')).toEqual(['deployment-controller']);
    expect(byResource('replicasets')).toEqual(['deployment-controller']);
    expect(byResource('ingresses')).toEqual(['load-balancer-notices']);
    expect(byResource('backendconfigs')).toEqual(['load-balancer-notices']);
    // what the store runs is what was declared
    for (const resource of ['pods', 'services', 'deployments', 'configmaps'])
      expect(admission.hooksFor(resource)).toHaveLength(byResource(resource).length);
  });

  it('materialise a Deployment`s replicas up to the cluster`s capacity plus a bounded Pending tail', () => {
    const nodes = [{ maxPods: 110 }, { maxPods: 110 }];
    expect(materialisedReplicas(3, nodes)).toBe(3);
    expect(materialisedReplicas(2_147_483_647, nodes)).toBe(220 + MAX_PENDING_PODS_BEYOND_CAPACITY);
    expect(materialisedReplicas(2_147_483_647, [])).toBe(MAX_PENDING_PODS_BEYOND_CAPACITY);
    expect(materialisedReplicas(-1, nodes)).toBe(0);
  });
});
