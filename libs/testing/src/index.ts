export * from './docker-engine';
export * from './test-app';
export * from './test-database';
export * from './projects';
export * from './gcloud';
export * from './chromium';
export * from './compute-clients';
