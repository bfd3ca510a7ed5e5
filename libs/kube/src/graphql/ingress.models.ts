import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { ClusterRecord } from '@gke-emulator/container';
import { KubeObjectModel } from './kube.models';

@ObjectType('IngressBackend', { description: 'The Service and port a rule sends to.' })
export class IngressBackendModel {
  @Field({ description: "The backend Service's name." }) serviceName!: string;
  @Field(() => Int, { nullable: true, description: 'The backend Service port, by number.' })
  servicePortNumber?: number;
  @Field({ nullable: true, description: 'The backend Service port, by name.' }) servicePortName?: string;
  namespace!: string;
  cluster!: ClusterRecord;
}

@ObjectType('IngressPath', {
  description: 'A path of an Ingress rule (networking.k8s.io/v1 HTTPIngressPath).',
})
export class IngressPathModel {
  @Field({ nullable: true, description: 'The path requests are matched against.' }) path?: string;
  @Field({ description: 'Exact, Prefix or ImplementationSpecific.' }) pathType!: string;
  @Field(() => IngressBackendModel, { description: 'Where requests matching the path go.' })
  backend!: IngressBackendModel;
}

@ObjectType('IngressRule', {
  description: 'An Ingress rule (networking.k8s.io/v1 IngressRule): a host and its paths.',
})
export class IngressRuleModel {
  @Field({ nullable: true, description: 'Absent: every host.' }) host?: string;
  @Field(() => [IngressPathModel], { description: "The rule's paths (`http.paths`)." })
  paths!: IngressPathModel[];
}

@ObjectType('Ingress', { description: 'An Ingress (networking.k8s.io/v1).' })
export class IngressModel extends KubeObjectModel {
  @Field({
    nullable: true,
    description: 'spec.ingressClassName or the kubernetes.io/ingress.class annotation.',
  })
  className?: string;
  @Field(() => [IngressRuleModel], { description: 'The host and path rules (`spec.rules`).' })
  rules!: IngressRuleModel[];
  @Field(() => IngressBackendModel, {
    nullable: true,
    description: 'The backend for requests no rule matches (`spec.defaultBackend`).',
  })
  defaultBackend?: IngressBackendModel;
  @Field(() => [String], { description: 'Hosts of its TLS entries.' }) tlsHosts!: string[];
  @Field({ nullable: true, description: 'status.loadBalancer.ingress[0].ip' }) ip?: string;
  @Field(() => [String], { description: 'status.loadBalancer.ingress IPs.' }) loadBalancerIngress!: string[];
}
