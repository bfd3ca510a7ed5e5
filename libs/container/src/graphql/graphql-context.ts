import { type ContainerContext, containerContext, type IncomingRequest } from '../wire/container-context';

/** What the GraphQL driver puts in the context: the HTTP request, for the base of links. */
export interface GraphqlRequestContext {
  request: IncomingRequest;
}

export function graphqlContainerContext(context: GraphqlRequestContext, project: string): ContainerContext {
  return containerContext(context.request, project);
}
