import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { ClusterRecord } from '@gke-emulator/container';
import { KubeObjectModel, LabelModel } from './kube.models';

@ObjectType('ServicePort')
export class ServicePortModel {
  @Field({ nullable: true }) name?: string;
  @Field() protocol!: string;
  @Field(() => Int) port!: number;
  @Field({ description: 'A number or a container port name.' }) targetPort!: string;
  @Field(() => Int, { nullable: true }) nodePort?: number;
}

@ObjectType('Service', { description: 'A Service (core/v1).' })
export class ServiceModel extends KubeObjectModel {
  @Field({ description: 'ClusterIP, NodePort, LoadBalancer or ExternalName.' }) type!: string;
  @Field({ nullable: true }) clusterIP?: string;
  @Field(() => [ServicePortModel]) ports!: ServicePortModel[];
  @Field(() => [LabelModel], { description: 'The pods it sends to: those with all these labels.' })
  selector!: LabelModel[];
  @Field(() => [Int], { description: 'The node ports of its ports, for NodePort and LoadBalancer.' })
  nodePorts!: number[];
  @Field({ nullable: true }) externalTrafficPolicy?: string;
  @Field({ nullable: true }) sessionAffinity?: string;
  @Field(() => Int, { nullable: true }) healthCheckNodePort?: number;
  @Field(() => [String], { description: 'status.loadBalancer.ingress IPs.' }) loadBalancerIngress!: string[];
}

@ObjectType('EndpointPort')
export class EndpointPortModel {
  @Field({ nullable: true }) name?: string;
  @Field(() => Int) port!: number;
  @Field() protocol!: string;
}

@ObjectType('ServiceEndpoint', { description: "An endpoint of one of the Service's EndpointSlices." })
export class ServiceEndpointModel {
  @Field({ description: 'The EndpointSlice it is in.' }) endpointSlice!: string;
  @Field({ description: 'The (first) address: the pod IP.' }) address!: string;
  @Field(() => [String]) addresses!: string[];
  @Field() ready!: boolean;
  @Field() serving!: boolean;
  @Field() terminating!: boolean;
  @Field({ nullable: true }) nodeName?: string;
  @Field({ nullable: true }) zone?: string;
  @Field({ nullable: true, description: 'Name of the pod behind it (targetRef).' }) podName?: string;
  @Field(() => [EndpointPortModel], { description: 'The ports of its slice.' }) ports!: EndpointPortModel[];
  namespace!: string;
  cluster!: ClusterRecord;
}

@ObjectType('LoadBalancerForwardingRule', {
  description: "The forwarding rule of a Service's load balancer.",
})
export class LoadBalancerForwardingRuleModel {
  @Field() name!: string;
  @Field() region!: string;
  @Field() ipAddress!: string;
  @Field() ipProtocol!: string;
  @Field({ description: 'EXTERNAL or INTERNAL.' }) loadBalancingScheme!: string;
  @Field({ nullable: true }) portRange?: string;
  @Field(() => [String]) ports!: string[];
  @Field({ nullable: true, description: 'Name of the target pool (external).' }) target?: string;
  @Field({ nullable: true, description: 'Name of the backend service (internal).' }) backendService?: string;
  @Field() selfLink!: string;
}

@ObjectType('ServiceLoadBalancer', {
  description:
    "What GKE's service controller makes for a type: LoadBalancer Service: an address, a health check, a target " +
    "pool (external) or backend service (internal) and a forwarding rule, all named after the Service's uid.",
})
export class ServiceLoadBalancerModel {
  @Field({ description: '"a" + the uid without dashes, cut to 32 characters.' }) name!: string;
  @Field({ description: 'EXTERNAL or INTERNAL.' }) scheme!: string;
  @Field() region!: string;
  @Field({ nullable: true, description: 'The address clients reach: status.loadBalancer.ingress[0].ip.' })
  ingressIp?: string;
  @Field({ description: 'targetPools or backendServices.' }) backendCollection!: string;
  project!: string;
}
