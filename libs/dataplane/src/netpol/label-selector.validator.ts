import { isSelectorOperator } from './label-selector.matcher';
import type { LabelSelector } from './network-policy.types';
import {
  forbiddenIssue,
  invalidIssue,
  type NetworkPolicyIssue,
  requiredIssue,
} from './network-policy.issues';

// apimachinery validation of label keys (qualified names) and values.
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAME_PART_MESSAGE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return 'prefix part must be a lowercase RFC 1123 subdomain';
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!NAME_PART.test(name)) return NAME_PART_MESSAGE;
  return undefined;
}

function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (value.length > 0 && !NAME_PART.test(value)) {
    return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

/** metav1validation.ValidateLabelSelector, as applied to NetworkPolicy selectors. */
export function validateLabelSelector(selector: LabelSelector, field: string): NetworkPolicyIssue[] {
  const issues: NetworkPolicyIssue[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem !== undefined)
      issues.push(invalidIssue('InvalidSelector', `${field}.matchLabels`, key, keyProblem));
    const valueProblem = labelValueProblem(value);
    if (valueProblem !== undefined) {
      issues.push(invalidIssue('InvalidSelector', `${field}.matchLabels`, value, valueProblem));
    }
  }
  (selector.matchExpressions ?? []).forEach((expression, index) => {
    const path = `${field}.matchExpressions[${index}]`;
    const values = expression.values ?? [];
    if (!isSelectorOperator(expression.operator)) {
      issues.push(
        invalidIssue(
          'InvalidSelector',
          `${path}.operator`,
          expression.operator,
          'not a valid selector operator',
        ),
      );
    } else if ((expression.operator === 'In' || expression.operator === 'NotIn') && values.length === 0) {
      issues.push(
        requiredIssue(
          'InvalidSelector',
          `${path}.values`,
          "must be specified when `operator` is 'In' or 'NotIn'",
        ),
      );
    } else if (
      (expression.operator === 'Exists' || expression.operator === 'DoesNotExist') &&
      values.length > 0
    ) {
      issues.push(
        forbiddenIssue(
          'InvalidSelector',
          `${path}.values`,
          "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        ),
      );
    }
    const keyProblem = labelKeyProblem(expression.key);
    if (keyProblem !== undefined) {
      issues.push(invalidIssue('InvalidSelector', `${path}.key`, expression.key, keyProblem));
    }
    values.forEach((value, valueIndex) => {
      const problem = labelValueProblem(value);
      if (problem !== undefined) {
        issues.push(invalidIssue('InvalidSelector', `${path}.values[${valueIndex}]`, value, problem));
      }
    });
  });
  return issues;
}
