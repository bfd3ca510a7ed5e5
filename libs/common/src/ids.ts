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

/** A short opaque fingerprint, base64 like Google's 8-byte fingerprints. */
export function newFingerprint(): string {
  return randomBytes(8).toString('base64');
}
