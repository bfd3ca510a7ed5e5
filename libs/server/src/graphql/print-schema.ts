import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AbstractGraphQLDriver } from '@nestjs/graphql';
// The CommonJS build on purpose: @nestjs/graphql builds the schema with require('graphql'), and printing it with the
// ESM build (what Vite/Vitest pick for a bare 'graphql' import) fails with "Cannot use GraphQLObjectType from another
// module or realm". The deep path resolves to the same CommonJS module instance under Node, esbuild and Vitest.
import { printSchema } from 'graphql/utilities/printSchema.js';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { GraphQLSchema } from 'graphql/type/schema.js';
import type { Database } from '@gke-emulator/db';
import { ApiModule } from '../api.module';
import type { OnDemandMercuriusDriver } from './on-demand-mercurius.driver';

/** The GraphQL schema exactly as the server builds it (never connects to the database: the pool is lazy). */
export async function buildGraphqlSchema(database: Database): Promise<GraphQLSchema> {
  const app = await NestFactory.create(ApiModule.forRoot(database), new FastifyAdapter(), { logger: false });
  await app.init();
  try {
    const driver = app.get(AbstractGraphQLDriver) as OnDemandMercuriusDriver;
    return await driver.schema();
  } finally {
    await app.close();
  }
}

/** The GraphQL schema as SDL, exactly as the server builds it (committed as schema.graphql). */
export async function printGraphqlSchema(database: Database): Promise<string> {
  return printSchema(await buildGraphqlSchema(database)) + '\n';
}
