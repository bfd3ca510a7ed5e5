import { describe, expect, it } from 'vitest';
import { newFingerprint, newOperationName, newResourceId } from './ids';

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

  it('fingerprints are 8 random bytes in base64', () => {
    expect(Buffer.from(newFingerprint(), 'base64')).toHaveLength(8);
  });
});
