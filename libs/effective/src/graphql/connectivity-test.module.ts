import { Module } from '@nestjs/common';
import { ContainerModule } from '@gke-emulator/container';
import { NetworkManagementModule } from '../network-management/network-management.module';
import { ConnectivityTestEvents } from './connectivity-test.events';
import { ConnectivityTestResolver } from './connectivity-test.resolver';

/** Connectivity Tests in GraphQL: queries, mutations, `trace` and `connectivityTestChanged`. */
@Module({
  imports: [NetworkManagementModule, ContainerModule],
  providers: [ConnectivityTestEvents, ConnectivityTestResolver],
})
export class ConnectivityTestGraphqlModule {}
