export { ComputeModule } from './compute.module';
export { NetworkService } from './networks/network.service';
export { SubnetworkService } from './subnetworks/subnetwork.service';
export { OperationService } from './operations/operation.service';
export { unimplementedComputeMethod } from './shared/unimplemented';
export type { ComputeContext, WireObject, ListQuery } from './shared/compute-context';
export { computeContext, type IncomingRequest } from './shared/compute-request';
export { type GraphqlRequestContext, graphqlComputeContext } from './graphql/graphql-context';
export {
  VpcProvisioning,
  type ProvisionedNetwork,
  type ProvisionedSubnetwork,
  type SystemRoute,
} from './provisioning/vpc-provisioning.service';
export type { FirewallBody } from './firewalls/firewall-rule.validation';
export { ProjectRepository } from './shared/project.repository';
export { computeTimestamp } from './shared/timestamps';
export { ComputeApi, type ComputeCollection } from './provisioning/compute-api';
export { subnetRoute, type SubnetRangeRow } from './routes/subnet-routes';
