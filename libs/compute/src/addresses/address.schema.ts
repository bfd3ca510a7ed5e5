/** compute.proto `Address` and `RegionSetLabelsRequest`, generated from the discovery document (tools/gen-compute-wire-schemas.mjs). */
export {
  ADDRESS as ADDRESS_SCHEMA,
  REGION_SET_LABELS_REQUEST as SET_LABELS_SCHEMA,
} from '../shared/wire-schemas.generated';
