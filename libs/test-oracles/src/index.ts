export * from './oracles';
