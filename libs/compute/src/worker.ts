// The worker process's entry to this library (`@gke-emulator/compute/worker`): what the data-plane computation
// reads, without the Nest modules, controllers and GraphQL resolvers the barrel (index.ts) also exports.
export { subnetRoute, type SubnetRangeRow } from './routes/subnet-routes';
