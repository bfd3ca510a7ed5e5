export * from './database';
export * from './unit-of-work';
export * from './db-errors';
export * from './embedded-postgres';
export * from './migrations';
export * from './paths';
export * from './schema-engine';
export * from './database.module';
export { canReach, reachableBinDir, systemAccount } from './embedded/system-account';
