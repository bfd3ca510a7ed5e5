import type { WireSchema } from '@gke-emulator/common';

const THRESHOLD: WireSchema = { count: 'int32', intervalSec: 'int32' };
const REDIRECT_OPTIONS: WireSchema = { type: 'string', target: 'string' };
const EXCLUSION_FIELD: WireSchema = { val: 'string', op: 'string' };

/** compute.proto `SecurityPolicyRule`; `kind` is output-only and accepted for round trips. */
export const SECURITY_POLICY_RULE_SCHEMA: WireSchema = {
  kind: 'string',
  description: 'string',
  priority: 'int32',
  action: 'string',
  preview: 'bool',
  match: {
    object: {
      versionedExpr: 'string',
      config: { object: { srcIpRanges: { array: 'string' } } },
      expr: { object: { expression: 'string', title: 'string', description: 'string', location: 'string' } },
      exprOptions: {
        object: {
          recaptchaOptions: {
            object: { actionTokenSiteKeys: { array: 'string' }, sessionTokenSiteKeys: { array: 'string' } },
          },
        },
      },
    },
  },
  networkMatch: {
    object: {
      userDefinedFields: { array: { object: { name: 'string', values: { array: 'string' } } } },
      srcIpRanges: { array: 'string' },
      destIpRanges: { array: 'string' },
      ipProtocols: { array: 'string' },
      srcPorts: { array: 'string' },
      destPorts: { array: 'string' },
      srcRegionCodes: { array: 'string' },
      srcAsns: { array: 'uint32' },
    },
  },
  rateLimitOptions: {
    object: {
      rateLimitThreshold: { object: THRESHOLD },
      conformAction: 'string',
      exceedAction: 'string',
      exceedRedirectOptions: { object: REDIRECT_OPTIONS },
      enforceOnKey: 'string',
      enforceOnKeyName: 'string',
      enforceOnKeyConfigs: { array: { object: { enforceOnKeyType: 'string', enforceOnKeyName: 'string' } } },
      banThreshold: { object: THRESHOLD },
      banDurationSec: 'int32',
    },
  },
  redirectOptions: { object: REDIRECT_OPTIONS },
  headerAction: {
    object: { requestHeadersToAdds: { array: { object: { headerName: 'string', headerValue: 'string' } } } },
  },
  preconfiguredWafConfig: {
    object: {
      exclusions: {
        array: {
          object: {
            targetRuleSet: 'string',
            targetRuleIds: { array: 'string' },
            requestHeadersToExclude: { array: { object: EXCLUSION_FIELD } },
            requestCookiesToExclude: { array: { object: EXCLUSION_FIELD } },
            requestQueryParamsToExclude: { array: { object: EXCLUSION_FIELD } },
            requestUrisToExclude: { array: { object: EXCLUSION_FIELD } },
          },
        },
      },
    },
  },
};

/**
 * compute.proto `SecurityPolicy`. Output-only fields are accepted and ignored; the policy-level option blocks are
 * stored as given (the emulator enforces none of them), so their insides are not checked field by field.
 */
export const SECURITY_POLICY_SCHEMA: WireSchema = {
  kind: 'string',
  id: 'string',
  creationTimestamp: 'string',
  selfLink: 'string',
  selfLinkWithId: 'string',
  region: 'string',
  name: 'string',
  description: 'string',
  type: 'string',
  fingerprint: 'string',
  labelFingerprint: 'string',
  labels: { map: 'string' },
  rules: { array: { object: SECURITY_POLICY_RULE_SCHEMA } },
  adaptiveProtectionConfig: {
    object: {
      layer7DdosDefenseConfig: {
        object: { enable: 'bool', ruleVisibility: 'string', thresholdConfigs: { array: 'any' } },
      },
      autoDeployConfig: 'any',
    },
  },
  advancedOptionsConfig: 'any',
  ddosProtectionConfig: 'any',
  recaptchaOptionsConfig: 'any',
  userDefinedFields: { array: 'any' },
};
