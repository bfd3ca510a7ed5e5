import { Field, ObjectType } from '@nestjs/graphql';
import { JsonScalar } from './json.scalar';
import { KubeObjectModel, LabelSelectorModel } from './kube.models';

@ObjectType('NetworkPolicy', { description: 'A NetworkPolicy (networking.k8s.io/v1).' })
export class NetworkPolicyModel extends KubeObjectModel {
  @Field(() => LabelSelectorModel, { description: 'The pods of its namespace it applies to.' })
  podSelector!: LabelSelectorModel;
  @Field(() => [String], { description: 'Ingress, Egress or both.' }) policyTypes!: string[];
  @Field(() => [JsonScalar], { description: 'spec.ingress: rules with from (peers) and ports.' })
  ingress!: unknown[];
  @Field(() => [JsonScalar], { description: 'spec.egress: rules with to (peers) and ports.' })
  egress!: unknown[];
}
