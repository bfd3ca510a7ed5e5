import { describe, expect, it } from 'vitest';
import { newFingerprint, newOperationName, newResourceId, sameFingerprint } from './ids';

describe('ids', () => {
  it('resource ids are 19-digit decimal numbers that fit a signed bigint', () => {
    for (let i = 0; i < 2000; i++) {
      const id = newResourceId();
      expect(id.toString()).toMatch(/^[1-9]\d{18}$/);
      expect(id <= 0x7fff_ffff_ffff_ffffn).toBe(true);
    }
  });

  it('operation names look like Google operation names', () => {
    expect(newOperationName(new Date(1_700_000_000_000))).toMatch(
      /^operation-1700000000000-[0-9a-f]{16}-[0-9a-f]{4}-[0-9a-f]{4}$/,
    );
  });

  it('fingerprints are 8 random bytes in URL-safe base64 with padding', () => {
    for (let i = 0; i < 200; i++) {
      const fingerprint = newFingerprint();
      expect(fingerprint).toMatch(/^[A-Za-z0-9_-]{11}=$/);
      expect(Buffer.from(fingerprint, 'base64url')).toHaveLength(8);
    }
  });

  it('compares fingerprints by their bytes, whatever the base64 alphabet', () => {
    expect(sameFingerprint('+OpkIZJgZyM=', '-OpkIZJgZyM=')).toBe(true);
    expect(sameFingerprint('BQG_IwrgrQE=', 'BQG/IwrgrQE=')).toBe(true);
    expect(sameFingerprint('BQG_IwrgrQE=', 'BQG_IwrgrQE')).toBe(true);
    expect(sameFingerprint('BQG_IwrgrQE=', 'AQG_IwrgrQE=')).toBe(false);
    expect(sameFingerprint('', '')).toBe(false);
    expect(sameFingerprint('!!!', 'BQG_IwrgrQE=')).toBe(false);
  });
});
