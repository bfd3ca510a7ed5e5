import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('Node', {
  description: 'A node of a GKE cluster: a Compute Engine instance with a node IP and a per-node pod range.',
})
export class NodeModel {
  @Field({ description: "The node's name (its VM's name)." }) name!: string;
  @Field({ description: 'The zone the node runs in (`topology.kubernetes.io/zone`).' }) zone!: string;
  @Field({ description: 'Name of the node pool the node belongs to.' }) nodePool!: string;
  @Field({ description: "The node's internal IP address (its VM's primary NIC, `InternalIP`)." })
  internalIp!: string;
  @Field({ description: "The node's pod range (spec.podCIDR), e.g. 10.4.0.0/24." }) podCidr!: string;
  @Field(() => Int, { description: 'Max pods per node of its pool.' }) maxPods!: number;
  @Field(() => [String], { description: 'Network tags of the instance.' }) tags!: string[];
  @Field({ description: 'When the node (its VM) was created (RFC 3339).' }) createTime!: string;
  /** Where the node is, for field resolvers. */
  project!: string;
  location!: string;
  cluster!: string;
}

@ObjectType('NodePool', { description: 'A GKE node pool (container.v1.NodePool).' })
export class NodePoolModel {
  @Field({ description: "The node pool's name, unique within its cluster." }) name!: string;
  @Field({ description: 'PROVISIONING, RUNNING, RUNNING_WITH_ERROR, RECONCILING, STOPPING or ERROR.' })
  status!: string;
  @Field({ description: "The Kubernetes version the pool's nodes run." }) version!: string;
  @Field({
    nullable: true,
    description: "The Compute Engine machine type of the pool's nodes, e.g. e2-medium.",
  })
  machineType?: string;
  @Field(() => [String], { description: 'Zones of the pool.' }) locations!: string[];
  @Field(() => Int, { description: 'Nodes per zone asked for at creation.' }) initialNodeCount!: number;
  @Field(() => Int, {
    nullable: true,
    description: 'The maximum number of pods per node (`maxPodsConstraint.maxPodsPerNode`).',
  })
  maxPodsPerNode?: number;
  @Field(() => Int, { nullable: true, description: "Prefix length of each node's pod range." })
  podIpv4CidrSize?: number;
  @Field({ nullable: true, description: "The pool's pod range (VPC-native clusters)." })
  podIpv4CidrBlock?: string;
  @Field({ description: "The node pool's URL in the GKE API." }) selfLink!: string;
  /** Where the pool is, for field resolvers. */
  project!: string;
  location!: string;
  cluster!: string;
}

@ObjectType('Cluster', { description: 'A GKE cluster (container.v1.Cluster).' })
export class ClusterModel {
  @Field(() => ID, { description: 'The unique identifier GKE assigns.' }) id!: string;
  @Field({ description: "The cluster's name, unique within its project and location." }) name!: string;
  @Field({ nullable: true, description: 'An optional description of the cluster.' }) description?: string;
  @Field({ description: 'Zone or region.' }) location!: string;
  @Field(() => [String], { description: "Zones of the cluster's nodes." }) locations!: string[];
  @Field({
    description: "PROVISIONING, RUNNING, RECONCILING, STOPPING, ERROR or DEGRADED, as GKE's `status`.",
  })
  status!: string;
  @Field({ description: 'IP address of the control plane.' }) endpoint!: string;
  @Field({ description: 'Name of the VPC network.' }) network!: string;
  @Field({ description: 'Name of the subnetwork.' }) subnetwork!: string;
  @Field({ description: 'The pod range.' }) clusterIpv4Cidr!: string;
  @Field({ description: 'The range ClusterIPs come from.' }) servicesIpv4Cidr!: string;
  @Field({ description: 'true: VPC-native (alias IPs); false: routes-based.' }) vpcNative!: boolean;
  @Field(() => Int, { description: "The number of nodes across all of the cluster's node pools." })
  currentNodeCount!: number;
  @Field({ description: 'The Kubernetes version the control plane runs.' }) currentMasterVersion!: string;
  @Field({ description: 'When the cluster was created (RFC 3339).' }) createTime!: string;
  @Field({ description: "The cluster's URL in the GKE API." }) selfLink!: string;
  @Field(() => [NodePoolModel], { description: "The cluster's node pools." }) nodePools!: NodePoolModel[];
  /** The project, for field resolvers. */
  project!: string;
}

@ObjectType('ContainerOperation', { description: 'A GKE operation (container.v1.Operation).' })
export class ContainerOperationModel {
  @Field({ description: "The operation's name, as operations.get takes it." }) name!: string;
  @Field({ description: 'The zone or region of the operation.' }) zone!: string;
  @Field({ description: 'What the operation does, e.g. CREATE_CLUSTER, DELETE_NODE_POOL.' })
  operationType!: string;
  @Field({ description: 'RUNNING or DONE.' }) status!: string;
  @Field({ nullable: true, description: 'Detailed, human-readable progress of the operation.' })
  detail?: string;
  @Field({ description: 'The URL of the cluster or node pool the operation acts on.' }) targetLink!: string;
  @Field({ description: "The operation's URL in the GKE API." }) selfLink!: string;
  @Field({ description: 'When the operation started (RFC 3339).' }) startTime!: string;
  @Field({ nullable: true, description: 'When the operation finished (RFC 3339); absent while it runs.' })
  endTime?: string;
}

@InputType({ description: "GKE's `ipAllocationPolicy`: how pods and Services get IP addresses." })
export class IpAllocationPolicyInput {
  @Field({ nullable: true, description: 'true (default): VPC-native; false with useRoutes: routes-based.' })
  useIpAliases?: boolean;
  @Field({
    nullable: true,
    description: 'true: routes-based cluster (a route per node); false or omitted: VPC-native (alias IP).',
  })
  useRoutes?: boolean;
  @Field({ nullable: true, description: 'An existing secondary range of the subnetwork for pods.' })
  clusterSecondaryRangeName?: string;
  @Field({ nullable: true, description: 'An existing secondary range of the subnetwork for services.' })
  servicesSecondaryRangeName?: string;
  @Field({ nullable: true, description: 'A pod range to create, e.g. /14 or 10.4.0.0/14.' })
  clusterIpv4CidrBlock?: string;
  @Field({ nullable: true, description: 'A services range to create, e.g. /20 or 10.8.0.0/20.' })
  servicesIpv4CidrBlock?: string;
}

@InputType({ description: 'The `cluster` of clusters.create: what the new cluster is.' })
export class ClusterInput {
  @Field({ description: "The cluster's name, unique within its project and location." }) name!: string;
  @Field({ nullable: true, description: 'An optional description of the cluster.' }) description?: string;
  @Field({ nullable: true, description: 'Network name (default: "default").' }) network?: string;
  @Field({ nullable: true, description: 'Subnetwork name.' }) subnetwork?: string;
  @Field(() => Int, { nullable: true, description: 'Nodes per zone of the default pool.' })
  initialNodeCount?: number;
  @Field(() => [String], { nullable: true, description: 'Zones of the nodes.' }) locations?: string[];
  @Field(() => Int, {
    nullable: true,
    description:
      "The default maximum number of pods per node (`defaultMaxPodConstraint.maxPodsPerNode`); it sizes each node's pod range.",
  })
  defaultMaxPodsPerNode?: number;
  @Field(() => IpAllocationPolicyInput, {
    nullable: true,
    description: 'How pods and Services get IP addresses: VPC-native (alias IP) or routes-based.',
  })
  ipAllocationPolicy?: IpAllocationPolicyInput;
}

@InputType({ description: 'The `nodePool` of nodePools.create: what the new node pool is.' })
export class NodePoolInput {
  @Field({ description: "The node pool's name, unique within its cluster." }) name!: string;
  @Field(() => Int, { nullable: true, description: 'Nodes per zone.' }) initialNodeCount?: number;
  @Field(() => [String], { nullable: true, description: "Zones (default: the cluster's)." })
  locations?: string[];
  @Field({ nullable: true, description: 'Default: e2-medium.' }) machineType?: string;
  @Field(() => Int, {
    nullable: true,
    description:
      "The maximum number of pods per node (`maxPodsConstraint.maxPodsPerNode`); default: the cluster's.",
  })
  maxPodsPerNode?: number;
}
