import { type DynamicModule, Module } from '@nestjs/common';
import { ComputeModule } from '@gke-emulator/compute';
import { ContainerModule } from '@gke-emulator/container';
import {
  ConnectivityTestGraphqlModule,
  EffectiveModule,
  NetworkManagementModule,
} from '@gke-emulator/effective';
import { ControlModule } from '@gke-emulator/control';
import { type Database, DatabaseModule } from '@gke-emulator/db';
import { KubeModule } from '@gke-emulator/kube';
import { GraphqlApiModule } from './graphql/graphql-api.module';
import { BatchController } from './batch/batch.controller';
import { RootController } from './root.controller';
import { HealthController } from './health.controller';
import { DiscoveryController } from './discovery/discovery.controller';
import { RequestGate } from './http/request-gate';

/** Everything `apps/api` serves. */
@Module({})
export class ApiModule {
  static forRoot(database: Database, gate = new RequestGate({ listenHost: '127.0.0.1' })): DynamicModule {
    return {
      module: ApiModule,
      global: true,
      providers: [{ provide: RequestGate, useValue: gate }],
      exports: [RequestGate],
      imports: [
        DatabaseModule.forRoot(database),
        ComputeModule,
        ContainerModule,
        EffectiveModule,
        NetworkManagementModule,
        ConnectivityTestGraphqlModule,
        KubeModule,
        ControlModule,
        GraphqlApiModule,
      ],
      controllers: [HealthController, RootController, BatchController, DiscoveryController],
    };
  }
}
