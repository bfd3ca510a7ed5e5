import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { ClusterRecord } from '@gke-emulator/container';
import { KubeObjectModel, LabelModel } from './kube.models';

@ObjectType('ServicePort', { description: 'A port of a Service (v1 ServicePort).' })
export class ServicePortModel {
  @Field({ nullable: true, description: "The port's name (required when the Service has several ports)." })
  name?: string;
  @Field({ description: 'TCP, UDP or SCTP.' }) protocol!: string;
  @Field(() => Int, { description: 'The port the Service exposes on its cluster IP.' }) port!: number;
  @Field({ description: 'A number or a container port name.' }) targetPort!: string;
  @Field(() => Int, {
    nullable: true,
    description: 'For NodePort and LoadBalancer Services: the port opened on every node (30000–32767).',
  })
  nodePort?: number;
}

@ObjectType('Service', { description: 'A Service (core/v1).' })
export class ServiceModel extends KubeObjectModel {
  @Field({ description: 'ClusterIP, NodePort, LoadBalancer or ExternalName.' }) type!: string;
  @Field({
    nullable: true,
    description: "The Service's virtual IP (`spec.clusterIP`), or None for a headless Service.",
  })
  clusterIP?: string;
  @Field(() => [ServicePortModel], { description: "The Service's ports (`spec.ports`)." })
  ports!: ServicePortModel[];
  @Field(() => [LabelModel], { description: 'The pods it sends to: those with all these labels.' })
  selector!: LabelModel[];
  @Field(() => [Int], { description: 'The node ports of its ports, for NodePort and LoadBalancer.' })
  nodePorts!: number[];
  @Field({
    nullable: true,
    description: 'Cluster or Local: whether external traffic may be forwarded to pods on other nodes.',
  })
  externalTrafficPolicy?: string;
  @Field({ nullable: true, description: 'None or ClientIP.' }) sessionAffinity?: string;
  @Field(() => Int, {
    nullable: true,
    description: 'For externalTrafficPolicy Local: the node port load balancers health-check.',
  })
  healthCheckNodePort?: number;
  @Field(() => [String], { description: 'status.loadBalancer.ingress IPs.' }) loadBalancerIngress!: string[];
}

@ObjectType('EndpointPort', { description: 'A port of an EndpointSlice (discovery.k8s.io/v1 EndpointPort).' })
export class EndpointPortModel {
  @Field({ nullable: true, description: "The port's name, matching the Service port's name." }) name?: string;
  @Field(() => Int, { description: 'The port number on the endpoint.' }) port!: number;
  @Field({ description: 'TCP, UDP or SCTP.' }) protocol!: string;
}

@ObjectType('ServiceEndpoint', { description: "An endpoint of one of the Service's EndpointSlices." })
export class ServiceEndpointModel {
  @Field({ description: 'The EndpointSlice it is in.' }) endpointSlice!: string;
  @Field({ description: 'The (first) address: the pod IP.' }) address!: string;
  @Field(() => [String], { description: "The endpoint's IP addresses (a pod's IPs)." }) addresses!: string[];
  @Field({ description: '`conditions.ready`: the endpoint takes new traffic.' }) ready!: boolean;
  @Field({ description: '`conditions.serving`: the endpoint answers, even while terminating.' })
  serving!: boolean;
  @Field({ description: '`conditions.terminating`: the pod is shutting down.' }) terminating!: boolean;
  @Field({ nullable: true, description: 'The name of the node the endpoint runs on.' }) nodeName?: string;
  @Field({ nullable: true, description: "The zone of the endpoint's node." }) zone?: string;
  @Field({ nullable: true, description: 'Name of the pod behind it (targetRef).' }) podName?: string;
  @Field(() => [EndpointPortModel], { description: 'The ports of its slice.' }) ports!: EndpointPortModel[];
  namespace!: string;
  cluster!: ClusterRecord;
}

@ObjectType('LoadBalancerForwardingRule', {
  description: "The forwarding rule of a Service's load balancer.",
})
export class LoadBalancerForwardingRuleModel {
  @Field({ description: "The forwarding rule's name." }) name!: string;
  @Field({ description: "The forwarding rule's region." }) region!: string;
  @Field({ description: "The forwarding rule's IP address (the load balancer's external IP)." })
  ipAddress!: string;
  @Field({ description: 'TCP, UDP or L3_DEFAULT (`IPProtocol`).' }) ipProtocol!: string;
  @Field({ description: 'EXTERNAL or INTERNAL.' }) loadBalancingScheme!: string;
  @Field({ nullable: true, description: 'The port range it forwards, e.g. 80-80.' }) portRange?: string;
  @Field(() => [String], { description: 'The ports it forwards (up to five).' }) ports!: string[];
  @Field({ nullable: true, description: 'Name of the target pool (external).' }) target?: string;
  @Field({ nullable: true, description: 'Name of the backend service (internal).' }) backendService?: string;
  @Field({ description: "The forwarding rule's URL in the Compute API." }) selfLink!: string;
}

@ObjectType('ServiceLoadBalancer', {
  description:
    "What GKE's service controller makes for a type: LoadBalancer Service: an address, a health check, a target " +
    'pool (external) or backend service (internal, or external when backend service-based) and a forwarding rule ' +
    "named after the Service's uid.",
})
export class ServiceLoadBalancerModel {
  @Field({ description: '"a" + the uid without dashes, cut to 32 characters.' }) name!: string;
  @Field({ description: 'EXTERNAL or INTERNAL.' }) scheme!: string;
  @Field({ description: "The region of the load balancer's forwarding rule." }) region!: string;
  @Field({ nullable: true, description: 'The address clients reach: status.loadBalancer.ingress[0].ip.' })
  ingressIp?: string;
  @Field({ description: 'targetPools or backendServices.' }) backendCollection!: string;
  project!: string;
}
