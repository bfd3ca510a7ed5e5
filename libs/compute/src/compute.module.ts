import { Module } from '@nestjs/common';
import { OperationsModule } from '@gke-emulator/operations';
import { AddressRepository } from './addresses/address.repository';
import { AddressService } from './addresses/address.service';
import { AddressesController } from './addresses/addresses.controller';
import { LoadBalancingKinds } from './load-balancing/load-balancing-kinds';
import { LoadBalancingController } from './load-balancing/load-balancing.controller';
import { LoadBalancingRepository } from './load-balancing/load-balancing.repository';
import { LoadBalancingService } from './load-balancing/load-balancing.service';
import { ReferenceResolverFactory } from './load-balancing/reference.resolver';
import { FirewallRepository } from './firewalls/firewall.repository';
import { FirewallService } from './firewalls/firewall.service';
import { EffectiveFirewallsController, FirewallsController } from './firewalls/firewalls.controller';
import { SecurityPoliciesController } from './security-policies/security-policies.controller';
import {
  SecurityPolicyEvaluateController,
  SecurityPolicyEvaluateService,
} from './security-policies/security-policy-evaluate.controller';
import { SecurityPolicyRuleService } from './security-policies/security-policy-rule.service';
import { SecurityPolicyRepository } from './security-policies/security-policy.repository';
import { SecurityPolicyService } from './security-policies/security-policy.service';
import { SecurityPolicyWriter } from './security-policies/security-policy.writer';
import { RouteRepository } from './routes/route.repository';
import { RouteService } from './routes/route.service';
import { RoutesController } from './routes/routes.controller';
import { AddressResolver } from './graphql/address.resolver';
import { FirewallResolver } from './graphql/firewall.resolver';
import { NetworkResolver } from './graphql/network.resolver';
import { ProjectResolver } from './graphql/project.resolver';
import { RouteResolver } from './graphql/route.resolver';
import { SecurityPolicyResolver } from './graphql/security-policy.resolver';
import { OperationResolver } from './graphql/operation.resolver';
import { SubnetworkResolver } from './graphql/subnetwork.resolver';
import { NetworkRepository } from './networks/network.repository';
import { NetworkService } from './networks/network.service';
import { NetworksController } from './networks/networks.controller';
import { OperationRepository } from './operations/operation.repository';
import { OperationService } from './operations/operation.service';
import { OperationsController } from './operations/operations.controller';
import { ProjectRepository } from './shared/project.repository';
import { VpcProvisioning } from './provisioning/vpc-provisioning.service';
import { VpcProvisioningRepository } from './provisioning/vpc-provisioning.repository';
import { ComputeApi } from './provisioning/compute-api';
import { InstanceRepository } from './instances/instance.repository';
import { InstanceService } from './instances/instance.service';
import { InstancesController } from './instances/instances.controller';
import { InstanceGroupRepository } from './instance-groups/instance-group.repository';
import { InstanceGroupService } from './instance-groups/instance-group.service';
import { InstanceGroupsController } from './instance-groups/instance-groups.controller';
import { SubnetworkRepository } from './subnetworks/subnetwork.repository';
import { SubnetworkService } from './subnetworks/subnetwork.service';
import { SubnetworksController } from './subnetworks/subnetworks.controller';

/** Compute Engine v1: networks, subnetworks, firewalls, routes, addresses, load balancing, Cloud Armor and operations. The Database provider comes from the app. */
@Module({
  imports: [OperationsModule],
  controllers: [
    NetworksController,
    SubnetworksController,
    OperationsController,
    FirewallsController,
    EffectiveFirewallsController,
    RoutesController,
    AddressesController,
    LoadBalancingController,
    SecurityPoliciesController,
    SecurityPolicyEvaluateController,
    InstancesController,
    InstanceGroupsController,
  ],
  providers: [
    ProjectRepository,
    OperationRepository,
    OperationService,
    NetworkRepository,
    NetworkService,
    SubnetworkRepository,
    SubnetworkService,
    FirewallRepository,
    FirewallService,
    RouteRepository,
    RouteService,
    AddressRepository,
    AddressService,
    LoadBalancingKinds,
    LoadBalancingRepository,
    LoadBalancingService,
    ReferenceResolverFactory,
    SecurityPolicyRepository,
    SecurityPolicyWriter,
    SecurityPolicyService,
    SecurityPolicyEvaluateService,
    SecurityPolicyRuleService,
    NetworkResolver,
    ProjectResolver,
    SubnetworkResolver,
    OperationResolver,
    FirewallResolver,
    RouteResolver,
    AddressResolver,
    SecurityPolicyResolver,
    VpcProvisioningRepository,
    VpcProvisioning,
    InstanceRepository,
    InstanceService,
    InstanceGroupRepository,
    InstanceGroupService,
    ComputeApi,
  ],
  exports: [
    NetworkService,
    SubnetworkService,
    OperationService,
    VpcProvisioning,
    ProjectRepository,
    ComputeApi,
  ],
})
export class ComputeModule {}
