// RFC 4648 base32 with the standard alphabet and '=' padding, as Go's base32.StdEncoding writes it.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Encodes bytes as padded standard base32 (5 bytes become 8 characters). */
export function encodeBase32(bytes: Uint8Array): string {
  let output = '';
  let buffer = 0;
  let bufferedBits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bufferedBits += 8;
    while (bufferedBits >= 5) {
      bufferedBits -= 5;
      output += ALPHABET[(buffer >>> bufferedBits) & 0x1f];
    }
  }
  if (bufferedBits > 0) output += ALPHABET[(buffer << (5 - bufferedBits)) & 0x1f];
  while (output.length % 8 !== 0) output += '=';
  return output;
}
