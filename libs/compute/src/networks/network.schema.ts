/** compute.proto `Network`, generated from the discovery document (tools/gen-compute-wire-schemas.mjs). */
export { NETWORK as NETWORK_SCHEMA } from '../shared/wire-schemas.generated';
