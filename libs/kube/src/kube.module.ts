import { Global, Module } from '@nestjs/common';
import { ClusterLifecycle, ContainerModule } from '@gke-emulator/container';
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
  imports: [ContainerModule],
  providers: [
    KubeAdmission,
    KubeStore,
    NodeDirectory,
    KubeWatch,
    KubeApi,
    WorkloadControllers,
    { provide: ClusterLifecycle, useClass: KubeClusterLifecycle },
  ],
  exports: [KubeAdmission, KubeStore, KubeApi, ClusterLifecycle],
})
export class KubeModule {}
