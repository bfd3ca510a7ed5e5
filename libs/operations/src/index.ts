export { OperationsModule } from './operations.module';
export {
  isOperationDone,
  operationStatus,
  operationTimes,
  waitForOperation,
  waitMs,
  WAIT_DEADLINE_MS,
  type OperationStatus,
  type OperationTimes,
} from './lifecycle/operation-lifecycle';
export { OperationScheduler } from './lifecycle/operation-scheduler.service';
export { OperationTimingService } from './settings/operation-timing.service';
export {
  MAX_DELAY_MS,
  parseTimingSettings,
  TIMING_SETTINGS,
  type TimingSetting,
  type TimingSettings,
} from './settings/timing-settings';
export { OPERATION_RETENTION_DAYS, pruneOperations, type PruneClient } from './retention/operation-retention';
