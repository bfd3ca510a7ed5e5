import type { ComputeContext } from '../shared/compute-context';
import { computeContext, type IncomingRequest } from '../shared/compute-request';

/** What the GraphQL driver puts in the context: the HTTP request, for the base of links. */
export interface GraphqlRequestContext {
  request: IncomingRequest;
}

export function graphqlComputeContext(context: GraphqlRequestContext, project: string): ComputeContext {
  return computeContext(context.request, project);
}
