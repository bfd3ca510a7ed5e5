import { Global, Module } from '@nestjs/common';
import { ComputeModule } from '@gke-emulator/compute';
import { ClusterLifecycle, ContainerModule } from '@gke-emulator/container';
import { LoadBalancerController } from './controllers/load-balancer.controller';
import { WorkloadControllers } from './controllers/workload-controllers';
import { KubeClusterLifecycle } from './kube-cluster-lifecycle';
import { KubeAdmission } from './store/admission';
import { KubeApi } from './store/kube-api';
import { KubeStore } from './store/kube-store';
import { KubeWatch } from './store/kube-watch';
import { NodeDirectory } from './store/node-directory';

/**
 * The Kubernetes API subset of every cluster. Global so that the container API finds its ClusterLifecycle and
 * controllers find KubeStore and KubeAdmission without importing this module.
 */
@Global()
@Module({
  imports: [ComputeModule, ContainerModule],
  providers: [
    KubeAdmission,
    KubeStore,
    NodeDirectory,
    KubeWatch,
    KubeApi,
    WorkloadControllers,
    LoadBalancerController,
    { provide: ClusterLifecycle, useClass: KubeClusterLifecycle },
  ],
  exports: [KubeAdmission, KubeStore, KubeApi, ClusterLifecycle, LoadBalancerController],
})
export class KubeModule {}
