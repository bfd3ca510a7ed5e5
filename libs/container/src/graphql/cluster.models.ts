import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('Node', {
  description: 'A node of a GKE cluster: a Compute Engine instance with a node IP and a per-node pod range.',
})
export class NodeModel {
  @Field() name!: string;
  @Field() zone!: string;
  @Field({ description: 'Name of the node pool the node belongs to.' }) nodePool!: string;
  @Field() internalIp!: string;
  @Field({ description: "The node's pod range (spec.podCIDR), e.g. 10.4.0.0/24." }) podCidr!: string;
  @Field(() => Int, { description: 'Max pods per node of its pool.' }) maxPods!: number;
  @Field(() => [String], { description: 'Network tags of the instance.' }) tags!: string[];
  @Field() createTime!: string;
  /** Where the node is, for field resolvers. */
  project!: string;
  location!: string;
  cluster!: string;
}

@ObjectType('NodePool', { description: 'A GKE node pool (container.v1.NodePool).' })
export class NodePoolModel {
  @Field() name!: string;
  @Field() status!: string;
  @Field() version!: string;
  @Field({ nullable: true }) machineType?: string;
  @Field(() => [String], { description: 'Zones of the pool.' }) locations!: string[];
  @Field(() => Int, { description: 'Nodes per zone asked for at creation.' }) initialNodeCount!: number;
  @Field(() => Int, { nullable: true }) maxPodsPerNode?: number;
  @Field(() => Int, { nullable: true, description: "Prefix length of each node's pod range." })
  podIpv4CidrSize?: number;
  @Field({ nullable: true, description: "The pool's pod range (VPC-native clusters)." })
  podIpv4CidrBlock?: string;
  @Field() selfLink!: string;
  /** Where the pool is, for field resolvers. */
  project!: string;
  location!: string;
  cluster!: string;
}

@ObjectType('Cluster', { description: 'A GKE cluster (container.v1.Cluster).' })
export class ClusterModel {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field({ nullable: true }) description?: string;
  @Field({ description: 'Zone or region.' }) location!: string;
  @Field(() => [String], { description: "Zones of the cluster's nodes." }) locations!: string[];
  @Field() status!: string;
  @Field({ description: 'IP address of the control plane.' }) endpoint!: string;
  @Field({ description: 'Name of the VPC network.' }) network!: string;
  @Field({ description: 'Name of the subnetwork.' }) subnetwork!: string;
  @Field({ description: 'The pod range.' }) clusterIpv4Cidr!: string;
  @Field({ description: 'The range ClusterIPs come from.' }) servicesIpv4Cidr!: string;
  @Field({ description: 'true: VPC-native (alias IPs); false: routes-based.' }) vpcNative!: boolean;
  @Field(() => Int) currentNodeCount!: number;
  @Field() currentMasterVersion!: string;
  @Field() createTime!: string;
  @Field() selfLink!: string;
  @Field(() => [NodePoolModel]) nodePools!: NodePoolModel[];
  /** The project, for field resolvers. */
  project!: string;
}

@ObjectType('ContainerOperation', { description: 'A GKE operation (container.v1.Operation).' })
export class ContainerOperationModel {
  @Field() name!: string;
  @Field({ description: 'The zone or region of the operation.' }) zone!: string;
  @Field() operationType!: string;
  @Field({ description: 'RUNNING or DONE.' }) status!: string;
  @Field({ nullable: true }) detail?: string;
  @Field() targetLink!: string;
  @Field() selfLink!: string;
  @Field() startTime!: string;
  @Field({ nullable: true }) endTime?: string;
}

@InputType()
export class IpAllocationPolicyInput {
  @Field({ nullable: true, description: 'true (default): VPC-native; false with useRoutes: routes-based.' })
  useIpAliases?: boolean;
  @Field({ nullable: true }) useRoutes?: boolean;
  @Field({ nullable: true, description: 'An existing secondary range of the subnetwork for pods.' })
  clusterSecondaryRangeName?: string;
  @Field({ nullable: true, description: 'An existing secondary range of the subnetwork for services.' })
  servicesSecondaryRangeName?: string;
  @Field({ nullable: true, description: 'A pod range to create, e.g. /14 or 10.4.0.0/14.' })
  clusterIpv4CidrBlock?: string;
  @Field({ nullable: true, description: 'A services range to create, e.g. /20 or 10.8.0.0/20.' })
  servicesIpv4CidrBlock?: string;
}

@InputType()
export class ClusterInput {
  @Field() name!: string;
  @Field({ nullable: true }) description?: string;
  @Field({ nullable: true, description: 'Network name (default: "default").' }) network?: string;
  @Field({ nullable: true, description: 'Subnetwork name.' }) subnetwork?: string;
  @Field(() => Int, { nullable: true, description: 'Nodes per zone of the default pool.' })
  initialNodeCount?: number;
  @Field(() => [String], { nullable: true, description: 'Zones of the nodes.' }) locations?: string[];
  @Field(() => Int, { nullable: true }) defaultMaxPodsPerNode?: number;
  @Field(() => IpAllocationPolicyInput, { nullable: true }) ipAllocationPolicy?: IpAllocationPolicyInput;
}

@InputType()
export class NodePoolInput {
  @Field() name!: string;
  @Field(() => Int, { nullable: true, description: 'Nodes per zone.' }) initialNodeCount?: number;
  @Field(() => [String], { nullable: true, description: "Zones (default: the cluster's)." })
  locations?: string[];
  @Field({ nullable: true, description: 'Default: e2-medium.' }) machineType?: string;
  @Field(() => Int, { nullable: true }) maxPodsPerNode?: number;
}
