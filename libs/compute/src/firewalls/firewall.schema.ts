/** compute.proto `Firewall`, generated from the discovery document (tools/gen-compute-wire-schemas.mjs). */
export { FIREWALL as FIREWALL_SCHEMA } from '../shared/wire-schemas.generated';
