import { Args, Resolver, Subscription } from '@nestjs/graphql';
import { ProjectChangeEvents } from './project-change.events';
import { ProjectChangeModel } from './project-change.model';

@Resolver(() => ProjectChangeModel)
export class ProjectChangeResolver {
  constructor(private readonly events: ProjectChangeEvents) {}

  @Subscription(() => ProjectChangeModel, {
    description:
      "The project's Compute or GKE resources changed: an event within a second of committed writes (networks, subnets, firewall rules, routes, addresses, load balancers, clusters and node pools; writes within one second make one event). Kubernetes objects inside clusters are followed by nodeEffectiveStateChanged.",
    resolve: (event: ProjectChangeModel) => event,
  })
  async projectChanged(
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
  ): Promise<AsyncIterableIterator<ProjectChangeModel>> {
    return this.events.subscribe(project);
  }
}
