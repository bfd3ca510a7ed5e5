import { randomBytes, randomUUID } from 'node:crypto';

/** A resource id as Compute Engine returns them: a decimal unsigned 64-bit number (kept below 2^63 for bigint). */
export function newResourceId(): bigint {
  const id = randomBytes(8).readBigUInt64BE() & 0x7fff_ffff_ffff_ffffn;
  return id < 1_000_000_000_000_000_000n ? id + 1_000_000_000_000_000_000n : id;
}

/** Operation names look like Google's: `operation-<epoch millis>-<hex>-<hex>-<hex>`. */
export function newOperationName(now: Date): string {
  const uuid = randomUUID().split('-');
  return `operation-${now.getTime()}-${uuid[1]}${uuid[4]}-${uuid[2]}-${uuid[3]}`;
}

/** An opaque fingerprint like Google's: 8 random bytes in URL-safe base64 with padding (`BQG_IwrgrQE=`). */
export function newFingerprint(): string {
  return randomBytes(8).toString('base64url') + '=';
}

/**
 * Fingerprints are bytes: clients decode and re-encode them, possibly in the other base64 alphabet (gcloud sends
 * back `-` for `+`), so they are equal when their bytes are.
 */
export function sameFingerprint(a: string, b: string): boolean {
  const decode = (value: string) => Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  const left = decode(a);
  return left.length > 0 && left.equals(decode(b));
}
