export { ApiModule } from './api.module';
export { openDatabase, type OpenedDatabase } from './open-database';
export { startApi, type ApiServer, type StartApiOptions } from './start-api';
export { startWorker, type WorkerServer } from './start-worker';
export { buildGraphqlSchema, printGraphqlSchema } from './graphql/print-schema';
export { descriptionCoverage } from './graphql/schema-descriptions';
