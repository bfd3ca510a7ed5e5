import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { ClusterRecord } from '@gke-emulator/container';
import { KubeObjectModel } from './kube.models';

@ObjectType('IngressBackend', { description: 'The Service and port a rule sends to.' })
export class IngressBackendModel {
  @Field() serviceName!: string;
  @Field(() => Int, { nullable: true }) servicePortNumber?: number;
  @Field({ nullable: true }) servicePortName?: string;
  namespace!: string;
  cluster!: ClusterRecord;
}

@ObjectType('IngressPath')
export class IngressPathModel {
  @Field({ nullable: true }) path?: string;
  @Field({ description: 'Exact, Prefix or ImplementationSpecific.' }) pathType!: string;
  @Field(() => IngressBackendModel) backend!: IngressBackendModel;
}

@ObjectType('IngressRule')
export class IngressRuleModel {
  @Field({ nullable: true, description: 'Absent: every host.' }) host?: string;
  @Field(() => [IngressPathModel]) paths!: IngressPathModel[];
}

@ObjectType('Ingress', { description: 'An Ingress (networking.k8s.io/v1).' })
export class IngressModel extends KubeObjectModel {
  @Field({
    nullable: true,
    description: 'spec.ingressClassName or the kubernetes.io/ingress.class annotation.',
  })
  className?: string;
  @Field(() => [IngressRuleModel]) rules!: IngressRuleModel[];
  @Field(() => IngressBackendModel, { nullable: true }) defaultBackend?: IngressBackendModel;
  @Field(() => [String], { description: 'Hosts of its TLS entries.' }) tlsHosts!: string[];
  @Field({ nullable: true, description: 'status.loadBalancer.ingress[0].ip' }) ip?: string;
  @Field(() => [String], { description: 'status.loadBalancer.ingress IPs.' }) loadBalancerIngress!: string[];
}
