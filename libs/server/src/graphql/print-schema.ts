import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { printSchema } from 'graphql';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { Database } from '@gke-emulator/db';
import { ApiModule } from '../api.module';

/** The GraphQL schema as SDL, exactly as the server builds it (committed as schema.graphql). */
export async function printGraphqlSchema(database: Database): Promise<string> {
  const app = await NestFactory.create(ApiModule.forRoot(database), new FastifyAdapter(), { logger: false });
  await app.init();
  try {
    return printSchema(app.get(GraphQLSchemaHost).schema) + '\n';
  } finally {
    await app.close();
  }
}
