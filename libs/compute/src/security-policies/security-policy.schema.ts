/** compute.proto `SecurityPolicy` and `SecurityPolicyRule`, generated from the discovery document (tools/gen-compute-wire-schemas.mjs). */
export {
  SECURITY_POLICY as SECURITY_POLICY_SCHEMA,
  SECURITY_POLICY_RULE as SECURITY_POLICY_RULE_SCHEMA,
} from '../shared/wire-schemas.generated';
