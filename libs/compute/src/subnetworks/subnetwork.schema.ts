/** compute.proto `Subnetwork` and its verbs' requests, generated from the discovery document (tools/gen-compute-wire-schemas.mjs). */
export {
  SUBNETWORK as SUBNETWORK_SCHEMA,
  SUBNETWORKS_EXPAND_IP_CIDR_RANGE_REQUEST as EXPAND_SCHEMA,
  SUBNETWORKS_SET_PRIVATE_IP_GOOGLE_ACCESS_REQUEST as PRIVATE_ACCESS_SCHEMA,
} from '../shared/wire-schemas.generated';
