import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { MercuriusDriverConfig } from '@nestjs/mercurius';
import { PlaygroundController } from '../playground/playground.controller';
import { TopologyController } from '../topology/topology.controller';
import { formatGraphqlErrors } from './graphql-errors';
import { OnDemandMercuriusDriver } from './on-demand-mercurius.driver';
import { describeRootTypes } from './schema-descriptions';

/**
 * GraphQL over the same use cases as REST (code-first; the schema is printed to schema.graphql and checked for
 * drift by a test), built when first used. Errors carry the Google reason and HTTP status in `extensions`.
 */
@Module({
  imports: [
    GraphQLModule.forRoot<MercuriusDriverConfig>({
      // Mercurius with the schema built on first use (see the driver)
      driver: OnDemandMercuriusDriver,
      path: '/graphql',
      autoSchemaFile: true,
      sortSchema: true,
      // Nest runs the introspection query over the new schema to check it (~80 ms of the first GraphQL request).
      // graphql-js validates a schema before its first execution anyway, and schema.graphql's drift test prints it.
      buildSchemaOptions: { skipCheck: true },
      // Query, Mutation and Subscription have no decorator to carry a description: add theirs to the built schema.
      transformSchema: describeRootTypes,
      graphiql: false,
      // Subscriptions over WebSocket at the same path (graphql-transport-ws and the older graphql-ws protocol).
      subscription: true,
      context: (request: unknown) => ({ request }),
      // Query texts are capped at 64 KiB before parsing (query-limits.ts); a token cap bounds the parse of what passes.
      graphql: { parseOptions: { maxTokens: 20_000 } },
      errorFormatter: (execution, context) => formatGraphqlErrors(execution, context),
    }),
  ],
  controllers: [PlaygroundController, TopologyController],
})
export class GraphqlApiModule {}
