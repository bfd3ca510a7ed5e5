import { Module } from '@nestjs/common';
import { ContainerModule } from '@gke-emulator/container';
import { EffectiveModule } from '../effective.module';
import { ConnectivityTestReruns } from './connectivity-test.reruns';
import { ConnectivityTestRepository } from './connectivity-test.repository';
import { ConnectivityTestService } from './connectivity-test.service';
import { ConnectivityTestsController } from './connectivity-tests.controller';
import { TraceInputsReader } from './trace-inputs.reader';
import { TraceInputsRepository } from './trace-inputs.repository';

/** Network Management API v1: Connectivity Tests computed from the effective data plane. */
@Module({
  imports: [EffectiveModule, ContainerModule],
  controllers: [ConnectivityTestsController],
  providers: [
    TraceInputsReader,
    TraceInputsRepository,
    ConnectivityTestRepository,
    ConnectivityTestService,
    ConnectivityTestReruns,
  ],
  exports: [ConnectivityTestService, ConnectivityTestReruns],
})
export class NetworkManagementModule {}
