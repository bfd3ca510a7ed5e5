/** Why the API server (or np-guard) refuses a NetworkPolicy. */
export type NetworkPolicyIssueCode =
  | 'MissingName'
  | 'InvalidSelector'
  | 'TooManyPolicyTypes'
  | 'UnsupportedPolicyType'
  | 'EmptyPeer'
  | 'IpBlockWithSelector'
  | 'InvalidCidr'
  | 'ExceptNotStrictSubset'
  | 'UnsupportedProtocol'
  | 'InvalidPort'
  | 'InvalidPortName'
  /** np-guard EndPortWithNamedPortErrStr. */
  | 'EndPortWithNamedPort'
  | 'EndPortWithoutPort'
  /** np-guard IllegalPortRangeError(port, endPort): endPort < port. */
  | 'IllegalPortRange';

export interface NetworkPolicyIssue {
  readonly code: NetworkPolicyIssueCode;
  /** Field path as the API server prints it, e.g. "spec.ingress[1].ports[0].endPort". */
  readonly field: string;
  /** The API server's message, e.g. "spec.ingress[1].ports[0].endPort: Invalid value: 10000: may not ...". */
  readonly message: string;
  /** The rule port's `port` and `endPort`, for port issues. */
  readonly port?: number | string;
  readonly endPort?: number;
}

type IssueValue = string | number | readonly string[];

function formatValue(value: IssueValue): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return `[]string{${value.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/** field.Invalid */
export function invalidIssue(
  code: NetworkPolicyIssueCode,
  field: string,
  value: IssueValue,
  detail: string,
  extra: Pick<NetworkPolicyIssue, 'port' | 'endPort'> = {},
): NetworkPolicyIssue {
  return { code, field, message: `${field}: Invalid value: ${formatValue(value)}: ${detail}`, ...extra };
}

/** field.Required */
export function requiredIssue(code: NetworkPolicyIssueCode, field: string, detail = ''): NetworkPolicyIssue {
  return { code, field, message: `${field}: Required value${detail === '' ? '' : `: ${detail}`}` };
}

/** field.Forbidden */
export function forbiddenIssue(
  code: NetworkPolicyIssueCode,
  field: string,
  detail: string,
): NetworkPolicyIssue {
  return { code, field, message: `${field}: Forbidden: ${detail}` };
}

/** field.NotSupported */
export function notSupportedIssue(
  code: NetworkPolicyIssueCode,
  field: string,
  value: string,
  supported: readonly string[],
): NetworkPolicyIssue {
  const list = supported.map((v) => JSON.stringify(v)).join(', ');
  return {
    code,
    field,
    message: `${field}: Unsupported value: ${JSON.stringify(value)}: supported values: ${list}`,
  };
}
