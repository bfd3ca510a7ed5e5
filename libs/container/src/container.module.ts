import { Module } from '@nestjs/common';
import { ComputeModule } from '@gke-emulator/compute';
import { OperationsModule } from '@gke-emulator/operations';
import { CertificateAuthority } from './clusters/certificate-authority';
import { CertificateAuthorityRepository } from './clusters/certificate-authority.repository';
import { ClusterDirectory } from './clusters/cluster-directory';
import { ClusterEndpoint } from './clusters/cluster-endpoint';
import { ClusterRepository } from './clusters/cluster.repository';
import { ClusterService } from './clusters/cluster.service';
import { ClustersController } from './clusters/clusters.controller';
import { NodePoolService } from './clusters/node-pool.service';
import { NodePoolRepository } from './clusters/node-pool.repository';
import { NodePoolWriter } from './clusters/node-pool.writer';
import { NodeProvisioner } from './clusters/node-provisioner';
import { NodeRepository } from './clusters/node.repository';
import { ClusterResolver } from './graphql/cluster.resolver';
import { NodePoolResolver } from './graphql/node-pool.resolver';
import { ContainerOperationRepository } from './operations/container-operation.repository';
import { ContainerOperationService } from './operations/container-operation.service';
import { ServiceUsageController } from './service-usage.controller';

/** Container (GKE) v1: clusters, node pools, operations, server config. The Database provider comes from the app. */
@Module({
  imports: [ComputeModule, OperationsModule],
  controllers: [ClustersController, ServiceUsageController],
  providers: [
    ClusterDirectory,
    CertificateAuthority,
    CertificateAuthorityRepository,
    ClusterEndpoint,
    ContainerOperationRepository,
    ContainerOperationService,
    ClusterRepository,
    ClusterService,
    NodePoolRepository,
    NodePoolService,
    NodePoolWriter,
    NodeProvisioner,
    NodeRepository,
    ClusterResolver,
    NodePoolResolver,
  ],
  exports: [ClusterDirectory, CertificateAuthority, ClusterEndpoint],
})
export class ContainerModule {}
