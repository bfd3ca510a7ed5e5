// Typed documents carry their variables and result types into client.graphql() (see client.type-test.ts).
import { expectTypeOf } from 'vitest';
import {
  ClusterNodesDocument,
  type GkeEmulatorClient,
  ServicesDocument,
  type ServicesQuery,
  type ServicesQueryVariables,
} from '../src/index';

export async function typedGraphql(client: GkeEmulatorClient): Promise<void> {
  const cluster = { project: 'p', location: 'us-central1-a', cluster: 'c1' };

  const services = await client.graphql(ServicesDocument, { ...cluster, namespace: 'default' });
  expectTypeOf(services).toEqualTypeOf<ServicesQuery>();
  const service = services.kubernetes.services[0];
  expectTypeOf(service).not.toBeAny();
  expectTypeOf(service.clusterIP).toEqualTypeOf<string | null>();
  expectTypeOf(service.ports[0].port).toEqualTypeOf<number>();
  expectTypeOf(service.endpoints[0].podName).toEqualTypeOf<string | null>();
  expectTypeOf<ServicesQueryVariables['namespace']>().toEqualTypeOf<string | null | undefined>();

  // @ts-expect-error location and cluster are required variables of Services
  await client.graphql(ServicesDocument, { project: 'p' });
  // @ts-expect-error the project is a string
  await client.graphql(ServicesDocument, { ...cluster, project: 42 });
  // @ts-expect-error a variable of the wrong type
  await client.graphql(ServicesDocument, { ...cluster, namespace: ['default'] });

  const nodes = await client.graphql(ClusterNodesDocument, cluster);
  expectTypeOf(nodes.cluster.nodes[0].podCidr).toEqualTypeOf<string>();
  // @ts-expect-error the result has only the selected fields
  void nodes.cluster.nodePools;

  // An untyped query: any variables, an untyped result.
  const untyped = await client.graphql('{ networks(project: "p") { name } }');
  expectTypeOf(untyped).toEqualTypeOf<Record<string, unknown>>();
}
