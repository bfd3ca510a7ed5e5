import { type DynamicModule, Global, Module } from '@nestjs/common';
import { Database } from './database';

/** Makes the process's one Database injectable everywhere. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(database: Database): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: Database, useValue: database }],
      exports: [Database],
    };
  }
}
