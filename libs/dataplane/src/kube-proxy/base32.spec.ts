import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { encodeBase32 } from './base32';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A bit-by-bit reference: 5-bit groups of the big-endian bit string, zero-padded, then '='. */
function referenceBase32(bytes: Uint8Array): string {
  const bits = [...bytes].map((byte) => byte.toString(2).padStart(8, '0')).join('');
  let out = '';
  for (let i = 0; i < bits.length; i += 5) {
    out += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
  }
  return out.padEnd(Math.ceil(out.length / 8) * 8, '=');
}

describe('encodeBase32', () => {
  it.each([
    ['', ''],
    ['f', 'MY======'],
    ['fo', 'MZXQ===='],
    ['foo', 'MZXW6==='],
    ['foob', 'MZXW6YQ='],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI======'],
  ])('encodes the RFC 4648 vector %j as %j', (input, output) => {
    expect(encodeBase32(utf8(input))).toBe(output);
  });

  it('matches a bit-by-bit reference on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(encodeBase32(bytes)).toBe(referenceBase32(bytes));
      }),
    );
  });
});
