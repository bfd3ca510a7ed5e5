const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export type NameRule = 'dns1123Label' | 'dns1123Subdomain' | 'dns1035Label';

/** The API server's messages for names that break a rule; `undefined` when the name is good. */
export function nameProblems(name: string, rule: NameRule): string[] {
  const problems: string[] = [];
  if (rule === 'dns1123Subdomain') {
    if (name.length > 253) problems.push('must be no more than 253 characters');
    if (!DNS1123_SUBDOMAIN.test(name)) {
      problems.push(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      );
    }
  } else if (rule === 'dns1123Label') {
    if (name.length > 63) problems.push('must be no more than 63 characters');
    if (!DNS1123_LABEL.test(name)) {
      problems.push(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      );
    }
  } else {
    if (name.length > 63) problems.push('must be no more than 63 characters');
    if (!DNS1035_LABEL.test(name)) {
      problems.push(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      );
    }
  }
  return problems;
}

/** Which rule each kind's names follow (apimachinery's ValidateObjectMeta per kind). */
export const NAME_RULES: Readonly<Record<string, NameRule>> = {
  namespaces: 'dns1123Label',
  services: 'dns1035Label',
  pods: 'dns1123Subdomain',
  deployments: 'dns1123Subdomain',
  endpointslices: 'dns1123Subdomain',
  ingresses: 'dns1123Subdomain',
  networkpolicies: 'dns1123Subdomain',
  events: 'dns1123Subdomain',
  nodes: 'dns1123Subdomain',
};
