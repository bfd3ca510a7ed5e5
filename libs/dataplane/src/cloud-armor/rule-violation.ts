/**
 * Why a rule was rejected, shaped so an API layer can answer with Google's 400 error
 * (`{error: {code: 400, message, errors: [{domain: 'global', reason, message}]}}`) without knowing which check failed.
 */
export interface RuleViolation {
  /** Google's `errors[].reason`: 'invalid' for bad values, 'required' for missing ones. */
  readonly reason: 'invalid' | 'required';
  /** Wire path of the offending field, e.g. `resource.match.expr`. */
  readonly field: string;
  /** The complete error message, e.g. `Invalid value for field 'resource.priority': '-1'. …`. */
  readonly message: string;
  /**
   * Where the wording after the field/value prefix comes from: `google-observed` = copied from a real API response
   * quoted in public issues/docs; `google-documented` = Google's API/field reference text; `emulator` = our own.
   */
  readonly wording: 'google-observed' | 'google-documented' | 'emulator';
}

export type Validated<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly violations: readonly RuleViolation[] };

// Google quotes at most 100 characters of an offending value and then appends '...'
// (seen in "Invalid value for field 'resource.match.expr': '{  \"expression\": …(:?blob...'").
const MAX_QUOTED_VALUE = 100;

/** Renders a field value the way Compute error messages quote it. */
export function quoteFieldValue(value: unknown): string {
  const text = renderValue(value);
  return text.length > MAX_QUOTED_VALUE ? `${text.slice(0, MAX_QUOTED_VALUE)}...` : text;
}

function renderValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => renderJson(item)).join(', ')}]`;
  // Messages render as JSON with their line breaks dropped: "{\n  \"k\": v\n}" becomes "{  \"k\": v}".
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `  ${renderJson(k)}: ${renderJson(v)}`).join(',')}}`;
}

function renderJson(value: unknown): string {
  if (typeof value === 'string') {
    // Google's JSON printer escapes the apostrophe: 'x' prints as \u0027x\u0027.
    return JSON.stringify(value).replace(/'/g, '\\u0027');
  }
  if (value !== null && typeof value === 'object') return renderValue(value);
  return JSON.stringify(value) ?? '';
}

export function invalidField(
  field: string,
  value: unknown,
  detail: string,
  wording: RuleViolation['wording'],
): RuleViolation {
  return {
    reason: 'invalid',
    field,
    message: `Invalid value for field '${field}': '${quoteFieldValue(value)}'. ${detail}`,
    wording,
  };
}

/** Google's wording for an absent required field (same as the other Compute resources in this emulator). */
export function requiredField(field: string): RuleViolation {
  return {
    reason: 'required',
    field,
    message: `Required field '${field}' not specified`,
    wording: 'google-observed',
  };
}
