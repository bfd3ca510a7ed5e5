export { ContainerModule } from './container.module';
export { ClusterDirectory, type ClusterRecord, type NodeRecord } from './clusters/cluster-directory';
export { ClusterLifecycle } from './clusters/cluster-lifecycle';
export { CertificateAuthority, type ServingCertificate } from './clusters/certificate-authority';
export { ClusterEndpoint } from './clusters/cluster-endpoint';
export { masterIpOf } from './clusters/cluster-plan';
export { ClusterModel, NodeModel } from './graphql/cluster.models';
export { toNodeModel } from './graphql/cluster-graphql.mapper';
export { atLeast } from './clusters/gke-versions';
