import { GoogleErrors } from '@gke-emulator/common';

export const NAME_PATTERN = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const NAME_REGEX_TEXT = '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)';

/** RFC 1035 names, 1-63 characters, as Compute validates `resource.name`. */
export function assertResourceName(value: unknown, field = 'resource.name'): string {
  if (value === undefined || value === '') throw GoogleErrors.required(field);
  if (typeof value !== 'string' || !NAME_PATTERN.test(value)) {
    throw GoogleErrors.invalidFieldValue(field, value, `Must be a match of regex '${NAME_REGEX_TEXT}'`);
  }
  return value;
}

/** Path parameters that are not valid names cannot name an existing resource. */
export function isResourceName(value: string): boolean {
  return NAME_PATTERN.test(value) || /^[1-9][0-9]{0,19}$/.test(value);
}
