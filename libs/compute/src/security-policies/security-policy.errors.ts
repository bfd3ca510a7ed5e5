import { GoogleApiError, GoogleErrors } from '@gke-emulator/common';
import type { OperationError } from '../operations/operation.model';

/** `global` or a region: regional policies (`regions/{r}/securityPolicies`) share the global implementation. */
export function securityPolicyPath(project: string, scope: string, name: string): string {
  return scope === 'global'
    ? `projects/${project}/global/securityPolicies/${name}`
    : `projects/${project}/regions/${scope}/securityPolicies/${name}`;
}

/**
 * getRule/patchRule/removeRule of a priority the policy lacks: 400, not 404. Wording of the real answer to a
 * patchRule at a missing priority ("Invalid value for field 'priority': '0'. … does not contain a rule at priority
 * 0.", googleapis/python-compute#173, subject redacted there) with the subject firewall policies use.
 */
export function missingRule(priority: number): GoogleApiError {
  return GoogleErrors.invalid(
    `Invalid value for field 'priority': '${priority}'. The security policy does not contain a rule at priority ${priority}.`,
  );
}

/**
 * addRule (or a patchRule that moves a rule) onto a priority already taken. Sequential callers and the loser of a
 * concurrent race (the primary key of security_policy_rule) get this same answer.
 * Wording recalled from Compute answers, not confirmed in a public transcript.
 */
export function duplicatePriority(priority: number): GoogleApiError {
  return GoogleErrors.invalid(
    `Invalid value for field 'resource.priority': '${priority}'. Cannot have rules with the same priorities.`,
  );
}

/** Every policy keeps its default rule; it can be patched (action) but not removed. Emulator wording. */
export function defaultRuleRemoval(priority: number): GoogleApiError {
  return GoogleErrors.invalid(
    `Invalid value for field 'priority': '${priority}'. The default rule of a security policy cannot be removed.`,
  );
}

export function staleFingerprint(): GoogleApiError {
  return GoogleErrors.conditionNotMet('Supplied fingerprint does not match current metadata fingerprint.');
}

/** Query parameters are typed like body fields: a priority that is not an int32 fails as Google's parser fails it. */
export function badPriorityParameter(value: unknown): GoogleApiError {
  return new GoogleApiError(
    400,
    'invalid',
    `Invalid value at 'priority' (TYPE_INT32), ${JSON.stringify(value)}`,
  );
}

/** A policy still attached to a backend service: the delete operation fails, as a network's delete does. */
export function policyInUse(path: string, user: string): OperationError {
  return {
    code: 'RESOURCE_IN_USE_BY_ANOTHER_RESOURCE',
    message: `The security_policy resource '${path}' is already being used by '${user}'`,
    httpStatus: 400,
    httpMessage: 'BAD REQUEST',
  };
}
