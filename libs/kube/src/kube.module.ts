import { Global, Module } from '@nestjs/common';
import { ComputeModule } from '@gke-emulator/compute';
import { ClusterLifecycle, ContainerModule } from '@gke-emulator/container';
import { OperationsModule } from '@gke-emulator/operations';
import { ControllerRepository } from './controllers/controller.repository';
import { IngressController } from './controllers/ingress.controller';
import { PodReadinessController } from './controllers/pod-readiness.controller';
import { LoadBalancerController } from './controllers/load-balancer.controller';
import { InWriteControllers } from './controllers/in-write-controllers';
import { IngressBackendResolver } from './graphql/ingress.resolver';
import { KubeGraphqlReader } from './graphql/kube-graphql.reader';
import { ClusterKubernetesResolver, KubernetesResolver } from './graphql/kubernetes.resolver';
import { NetworkPolicyResolver } from './graphql/network-policy.resolver';
import { NodeResolver } from './graphql/node.resolver';
import { PodResolver } from './graphql/pod.resolver';
import {
  ServiceEndpointResolver,
  ServiceLoadBalancerResolver,
  ServiceResolver,
} from './graphql/service.resolver';
import { KubeClusterLifecycle } from './kube-cluster-lifecycle';
import { KubeAdmission } from './store/admission';
import { KubeApi } from './apiserver/kube-api';
import { KubeObjectRepository } from './store/kube-object.repository';
import { KubeStore } from './store/kube-store';
import { KubeWatch } from './store/kube-watch';
import { NodeDirectory } from './store/node-directory';

/**
 * The Kubernetes API subset of every cluster. Global so that the container API finds its ClusterLifecycle and
 * controllers find KubeStore and KubeAdmission without importing this module.
 */
@Global()
@Module({
  imports: [ComputeModule, ContainerModule, OperationsModule],
  providers: [
    KubeAdmission,
    KubeObjectRepository,
    KubeStore,
    NodeDirectory,
    KubeWatch,
    KubeApi,
    ControllerRepository,
    InWriteControllers,
    LoadBalancerController,
    IngressController,
    PodReadinessController,
    { provide: ClusterLifecycle, useClass: KubeClusterLifecycle },
    KubeGraphqlReader,
    KubernetesResolver,
    ClusterKubernetesResolver,
    NodeResolver,
    PodResolver,
    ServiceResolver,
    ServiceEndpointResolver,
    ServiceLoadBalancerResolver,
    IngressBackendResolver,
    NetworkPolicyResolver,
  ],
  exports: [
    KubeAdmission,
    KubeStore,
    KubeApi,
    ClusterLifecycle,
    LoadBalancerController,
    IngressController,
    PodReadinessController,
  ],
})
export class KubeModule {}
