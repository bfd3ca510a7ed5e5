/*
 * The API server's string formats (k8s.io/apimachinery/pkg/util/validation, v0.32, as GKE 1.32 serves them): each
 * check returns every message the server would give for the value, in the server's order, empty when it is good.
 * Lengths are in bytes, as Go's `len` counts them.
 */

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;

const DNS1123_LABEL = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1035_LABEL = new RegExp(`^${DNS1035_LABEL_FMT}$`);
const QUALIFIED_NAME = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const LABEL_VALUE = new RegExp(`^${LABEL_VALUE_FMT}$`);

const QUALIFIED_NAME_MESSAGE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** `validation.MaxLenError`. */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** `validation.RegexError`: the rule, its examples and the regular expression, worded as the server words them. */
export function regexError(message: string, format: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${format}')`;
  return `${message} (e.g. ${examples.map((example) => `'${example}', `).join(' or ')}regex used for validation is '${format}')`;
}

/** Go's `len`: the UTF-8 byte length. */
export function byteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/** `IsDNS1123Subdomain`: at most 253 bytes of dot-separated lowercase labels. */
export function isDns1123Subdomain(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > 253) errors.push(maxLenError(253));
  if (!DNS1123_SUBDOMAIN.test(value)) {
    errors.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN_FMT,
        'example.com',
      ),
    );
  }
  return errors;
}

/** `IsDNS1123Label`: at most 63 bytes of lowercase alphanumerics and '-'; a good subdomain only hears of its dots. */
export function isDns1123Label(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > 63) errors.push(maxLenError(63));
  if (!DNS1123_LABEL.test(value)) {
    if (DNS1123_SUBDOMAIN.test(value)) errors.push('must not contain dots');
    else
      errors.push(
        regexError(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
          DNS1123_LABEL_FMT,
          'my-name',
          '123-abc',
        ),
      );
  }
  return errors;
}

/** `IsDNS1035Label`: a DNS-1123 label that starts with a letter. */
export function isDns1035Label(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > 63) errors.push(maxLenError(63));
  if (!DNS1035_LABEL.test(value)) {
    errors.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_LABEL_FMT,
        'my-name',
        'abc-123',
      ),
    );
  }
  return errors;
}

/**
 * `IsQualifiedName`: label keys, annotation keys (lowercased first) and finalizers. An optional DNS-subdomain prefix
 * and `/`, then a name of at most 63 bytes; a second `/` makes the whole value one error.
 */
export function isQualifiedName(value: string): string[] {
  const errors: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0] as string;
  } else if (parts.length === 2) {
    const prefix = parts[0] as string;
    name = parts[1] as string;
    if (prefix.length === 0) errors.push('prefix part must be non-empty');
    else errors.push(...isDns1123Subdomain(prefix).map((message) => `prefix part ${message}`));
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MESSAGE, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errors.push('name part must be non-empty');
  else if (byteLength(name) > 63) errors.push(`name part ${maxLenError(63)}`);
  if (!QUALIFIED_NAME.test(name))
    errors.push(
      `name part ${regexError(QUALIFIED_NAME_MESSAGE, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`,
    );
  return errors;
}

/** `IsValidLabelValue`: empty, or at most 63 bytes of a qualified name's characters. */
export function isValidLabelValue(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > 63) errors.push(maxLenError(63));
  if (!LABEL_VALUE.test(value)) {
    errors.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        LABEL_VALUE_FMT,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  }
  return errors;
}

export type NameRule = 'dns1123Label' | 'dns1123Subdomain' | 'dns1035Label';

const RULES: Record<NameRule, (value: string) => string[]> = {
  dns1123Label: isDns1123Label,
  dns1123Subdomain: isDns1123Subdomain,
  dns1035Label: isDns1035Label,
};

/**
 * `maskTrailingDash`, as the server has it: a generateName ending in '-' is checked with its last two bytes replaced
 * by one 'a' (so `ab-` is checked as `a`).
 */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

/**
 * The API server's messages for a name that breaks its kind's rule (empty when the name is good). `prefix` is the
 * `generateName` case (`ValidateNameFunc(name, true)`), which tolerates a trailing '-'.
 */
export function nameProblems(name: string, rule: NameRule, prefix = false): string[] {
  return RULES[rule](prefix ? maskTrailingDash(name) : name);
}

/** Which rule each kind's names follow (the kind's ValidateNameFunc); every other kind uses a DNS-1123 subdomain. */
export const NAME_RULES: Readonly<Record<string, NameRule>> = {
  namespaces: 'dns1123Label',
  services: 'dns1035Label',
  pods: 'dns1123Subdomain',
  deployments: 'dns1123Subdomain',
  replicasets: 'dns1123Subdomain',
  endpointslices: 'dns1123Subdomain',
  ingresses: 'dns1123Subdomain',
  networkpolicies: 'dns1123Subdomain',
  events: 'dns1123Subdomain',
  nodes: 'dns1123Subdomain',
  backendconfigs: 'dns1123Subdomain',
};

/** `names.SimpleNameGenerator`: at most 58 bytes of the prefix, then five random characters. */
export const MAX_GENERATE_NAME_PREFIX = 58;
