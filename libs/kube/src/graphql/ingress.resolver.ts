import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { IngressBackendModel } from './ingress.models';
import { KubeGraphqlReader } from './kube-graphql.reader';
import { toServiceModel } from './kube-graphql.mapper';
import { ServiceModel } from './service.models';

@Resolver(() => IngressBackendModel)
export class IngressBackendResolver {
  constructor(private readonly reader: KubeGraphqlReader) {}

  @ResolveField(() => ServiceModel, { nullable: true, description: 'The Service, when it exists.' })
  async service(
    @Context() context: object,
    @Parent() backend: IngressBackendModel,
  ): Promise<ServiceModel | undefined> {
    const found = (
      await this.reader.inNamespace(context, backend.cluster, 'services', backend.namespace)
    ).find((service) => service.metadata.name === backend.serviceName);
    return found && toServiceModel(backend.cluster, found);
  }
}
