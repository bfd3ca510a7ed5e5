/** compute.proto `Route`, generated from the discovery document (tools/gen-compute-wire-schemas.mjs). */
export { ROUTE as ROUTE_SCHEMA } from '../shared/wire-schemas.generated';
