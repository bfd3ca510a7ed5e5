import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { PlaygroundController } from '../playground/playground.controller';
import { formatGraphqlErrors } from './graphql-errors';

/**
 * GraphQL over the same use cases as REST (code-first; the schema is printed to schema.graphql and checked for
 * drift by a test). Errors carry the Google reason and HTTP status in `extensions`.
 */
@Module({
  imports: [
    GraphQLModule.forRoot<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      path: '/graphql',
      autoSchemaFile: true,
      sortSchema: true,
      graphiql: false,
      // Subscriptions over WebSocket at the same path (graphql-transport-ws and the older graphql-ws protocol).
      subscription: true,
      context: (request: unknown) => ({ request }),
      errorFormatter: (execution, context) => formatGraphqlErrors(execution, context),
    }),
  ],
  controllers: [PlaygroundController],
})
export class GraphqlApiModule {}
