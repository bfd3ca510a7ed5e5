import { Module } from '@nestjs/common';
import { OperationScheduler } from './lifecycle/operation-scheduler.service';
import { OperationTimingService } from './settings/operation-timing.service';

/**
 * What Compute and GKE operations share: their timing settings and their life cycle. One instance per application
 * (Nest modules are singletons), so every API group reads the same cached settings. The Database provider comes
 * from the app.
 */
@Module({
  providers: [OperationTimingService, OperationScheduler],
  exports: [OperationTimingService, OperationScheduler],
})
export class OperationsModule {}
