/**
 * The string transformations Cloud Armor adds to CEL. Behaviour follows the rules-language reference
 * (docs.cloud.google.com/armor/docs/rules-language-reference) and, where it is silent, Google's open-source
 * Cloud Armor CEL environment (github.com/cel-expr/cloud-armor-rules, pkg/cloudarmor/cloudarmor.go).
 */

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decoded bytes as text: UTF-8 when valid, else one character per byte (Latin-1) so no byte is lost. */
export function bytesToText(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return String.fromCharCode(...bytes);
  }
}

/** ASCII-only case mapping, as Google's library (`lowerASCII`): 'É' stays 'É'. */
export function lowerAscii(text: string): string {
  return text.replace(/[A-Z]+/g, (run) => run.toLowerCase());
}

export function upperAscii(text: string): string {
  return text.replace(/[a-z]+/g, (run) => run.toUpperCase());
}

const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Doc: URL-safe characters are first mapped to the standard alphabet ('-' -> '+', '_' -> '/'); input that is not
 * valid base64 decodes to ''. Padding is optional (Google's library retries without padding).
 */
export function base64Decode(text: string): string {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  const body = standard.replace(/=+$/, '');
  if (!BASE64_CHARS.test(standard) || body.length % 4 === 1) return '';
  if (standard.length !== body.length && standard.length % 4 !== 0) return '';
  const bytes: number[] = [];
  let bits = 0;
  let buffer = 0;
  for (const char of body) {
    buffer = (buffer << 6) | base64Value(char);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return bytesToText(Uint8Array.from(bytes));
}

function base64Value(char: string): number {
  const code = char.charCodeAt(0);
  if (code >= 65 && code <= 90) return code - 65;
  if (code >= 97 && code <= 122) return code - 71;
  if (code >= 48 && code <= 57) return code + 4;
  return char === '+' ? 62 : 63;
}

const HEX2 = /^[0-9a-fA-F]{2}$/;
const HEX4 = /^[0-9a-fA-F]{4}$/;

/** Doc: `%##` is decoded, '+' becomes a space, invalid encodings are kept as they are. */
export function urlDecode(text: string): string {
  return percentDecode(text, false);
}

/** As `urlDecode`, plus Microsoft's `%uXXXX` form (`Match%u002BValue` -> `Match+Value`). */
export function urlDecodeUni(text: string): string {
  return percentDecode(text, true);
}

function percentDecode(text: string, unicode: boolean): string {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    if (char === '+') {
      out.push(0x20);
      continue;
    }
    if (char === '%') {
      const uHex = text.slice(i + 2, i + 6);
      if (unicode && (text[i + 1] === 'u' || text[i + 1] === 'U') && HEX4.test(uHex)) {
        out.push(...encoder.encode(String.fromCharCode(parseInt(uHex, 16))));
        i += 5;
        continue;
      }
      const hex = text.slice(i + 1, i + 3);
      if (HEX2.test(hex)) {
        out.push(parseInt(hex, 16));
        i += 2;
        continue;
      }
    }
    const codePoint = text.codePointAt(i) ?? 0;
    if (codePoint > 0xffff) i++;
    out.push(...encoder.encode(String.fromCodePoint(codePoint)));
  }
  return bytesToText(Uint8Array.from(out));
}

/**
 * Non-ASCII code points become `%uXXXX` (lowercase hex, 4 to 6 digits); ASCII and lone surrogates are copied
 * (doc: '¬' -> '%u00ac'; digit rules from Google's library `writeHexStr`).
 */
export function utf8ToUnicode(text: string): string {
  let out = '';
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    const isSurrogate = codePoint >= 0xd800 && codePoint <= 0xdfff;
    out += codePoint < 0x80 || isSurrogate ? char : `%u${codePoint.toString(16).padStart(4, '0')}`;
  }
  return out;
}
