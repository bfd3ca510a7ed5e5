import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { GoogleApiError } from '@gke-emulator/common';
import { PlaygroundController } from '../playground/playground.controller';

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
      context: (request: unknown) => ({ request }),
      errorFormatter: (execution) => {
        const errors = (execution.errors ?? []).map((error) => {
          const original = error.originalError;
          const google = original instanceof GoogleApiError ? original : undefined;
          return {
            message: google ? google.message : original ? 'Internal error.' : error.message,
            locations: error.locations,
            path: error.path,
            extensions: google ? { code: google.reason, httpStatus: google.httpStatus } : error.extensions,
          };
        });
        return { statusCode: 200, response: { data: execution.data ?? null, errors } };
      },
    }),
  ],
  controllers: [PlaygroundController],
})
export class GraphqlApiModule {}
