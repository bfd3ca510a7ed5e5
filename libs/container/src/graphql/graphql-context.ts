import { type ContainerContext, containerContext, type IncomingRequest } from '../wire/container-context';

/** What the GraphQL driver puts in the context: the HTTP request, for the base of links. */
export interface GraphqlRequestContext {
  request: IncomingRequest;
}

export function graphqlContainerContext(context: GraphqlRequestContext, project: string): ContainerContext {
  return containerContext(context.request, project);
}

/** The arguments every cluster and node pool field takes, described once. */
export const CLUSTER_ARGS = {
  project: { description: 'The Google Cloud project ID.' },
  location: {
    description:
      "The cluster's location: a region (us-central1) or a zone (us-central1-a), as GKE's `locations/*`.",
  },
  cluster: { description: 'The GKE cluster name.' },
} as const;
