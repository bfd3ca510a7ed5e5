import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';

/**
 * `matches()` as Cloud Armor runs it: a partial (unanchored) RE2 match compiled with `RE2::Latin1`, so `.` and
 * character classes see bytes, not code points (rules-language reference). We emulate Latin-1 by turning the
 * UTF-8 bytes of both the pattern and the subject into one character per byte (U+0000..U+00FF) and running the
 * RE2 engine bundled with @bufbuild/cel over them; reached through a tiny CEL program so only the package's
 * public API is used.
 */
// Planned on first use: processes that never evaluate a rule do not pay for it at start.
let stdMatches: ReturnType<typeof plan> | undefined;
const encoder = new TextEncoder();

/** One character per UTF-8 byte of `text`. */
export function toLatin1(text: string): string {
  let out = '';
  for (const byte of encoder.encode(text)) out += String.fromCharCode(byte);
  return out;
}

/** True/false, or the RE2 syntax error for an invalid pattern. */
export function latin1Matches(subject: string, pattern: string): boolean | Error {
  stdMatches ??= plan(celEnv(), parse('subject.matches(pattern)'));
  const result = stdMatches({ subject: toLatin1(subject), pattern: toLatin1(pattern) });
  if (isCelError(result)) return new Error(result.message);
  return result === true;
}

/** Why RE2 rejects `pattern`, or undefined when it compiles. */
export function regexProblem(pattern: string): string | undefined {
  const result = latin1Matches('', pattern);
  return result instanceof Error ? result.message : undefined;
}
