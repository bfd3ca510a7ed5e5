/**
 * A minimal reader for protobuf text format, enough for the cel-spec conformance files (`name: "x"`,
 * `value: { int64_value: 4 }`, nested messages, comments, C-style string escapes). Strings are kept as bytes, as
 * text format strings are byte strings (`"\377"`, `"\xf0\x9f\x90\xb1"`).
 */
export type TextprotoValue =
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'scalar'; readonly text: string }
  | { readonly kind: 'message'; readonly message: TextprotoMessage };

export type TextprotoMessage = ReadonlyMap<string, readonly TextprotoValue[]>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 92,
  "'": 39,
  '"': 34,
  '?': 63,
};

export function parseTextproto(source: string): TextprotoMessage {
  const reader = new Reader(source);
  const message = reader.message(undefined);
  return message;
}

export function textOf(value: TextprotoValue | undefined): string | undefined {
  if (value?.kind === 'bytes') return decoder.decode(value.bytes);
  return value?.kind === 'scalar' ? value.text : undefined;
}

export function messageOf(value: TextprotoValue | undefined): TextprotoMessage | undefined {
  return value?.kind === 'message' ? value.message : undefined;
}

class Reader {
  private pos = 0;

  constructor(private readonly source: string) {}

  message(close: string | undefined): TextprotoMessage {
    const fields = new Map<string, TextprotoValue[]>();
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.source.length || this.peek() === close) {
        if (close !== undefined) this.expect(close);
        return fields;
      }
      const name = this.identifier();
      this.skipSpace();
      if (this.peek() === ':') this.pos++;
      this.skipSpace();
      const values = fields.get(name) ?? [];
      values.push(this.value());
      fields.set(name, values);
      this.skipSpace();
      if (this.peek() === ',' || this.peek() === ';') this.pos++;
    }
  }

  private value(): TextprotoValue {
    const char = this.peek();
    if (char === '{' || char === '<') {
      this.pos++;
      return { kind: 'message', message: this.message(char === '{' ? '}' : '>') };
    }
    if (char === '"' || char === "'") {
      const parts: number[] = [];
      // Adjacent string literals concatenate.
      while (this.peek() === '"' || this.peek() === "'") {
        parts.push(...this.string());
        this.skipSpace();
      }
      return { kind: 'bytes', bytes: Uint8Array.from(parts) };
    }
    const match = /^[-+.\w]+/.exec(this.source.slice(this.pos));
    if (!match) throw this.error('value expected');
    this.pos += match[0].length;
    return { kind: 'scalar', text: match[0] };
  }

  private string(): number[] {
    const quote = this.source[this.pos++];
    const bytes: number[] = [];
    while (this.peek() !== quote) {
      if (this.pos >= this.source.length) throw this.error('unterminated string');
      const codePoint = this.source.codePointAt(this.pos) ?? 0;
      this.pos += codePoint > 0xffff ? 2 : 1;
      if (codePoint !== 92) bytes.push(...encoder.encode(String.fromCodePoint(codePoint)));
      else bytes.push(...this.escape());
    }
    this.pos++;
    return bytes;
  }

  private escape(): number[] {
    const char = this.source[this.pos++] ?? '';
    const simple = SIMPLE_ESCAPES[char];
    if (simple !== undefined) return [simple];
    const take = (pattern: RegExp): string => {
      const digits = pattern.exec(this.source.slice(this.pos))?.[0] ?? '';
      this.pos += digits.length;
      return digits;
    };
    if (/[0-7]/.test(char)) return [parseInt(char + take(/^[0-7]{0,2}/), 8)];
    if (char === 'x' || char === 'X') return [parseInt(take(/^[0-9a-fA-F]{1,2}/), 16)];
    if (char === 'u') return [...encoder.encode(String.fromCodePoint(parseInt(take(/^[0-9a-fA-F]{4}/), 16)))];
    if (char === 'U') return [...encoder.encode(String.fromCodePoint(parseInt(take(/^[0-9a-fA-F]{8}/), 16)))];
    throw this.error(`unknown escape \\${char}`);
  }

  private identifier(): string {
    const match = /^\[?[\w.]+\]?/.exec(this.source.slice(this.pos));
    if (!match) throw this.error('field name expected');
    this.pos += match[0].length;
    return match[0];
  }

  private skipSpace(): void {
    for (;;) {
      const rest = /^(?:\s+|#[^\n]*)/.exec(this.source.slice(this.pos));
      if (!rest) return;
      this.pos += rest[0].length;
    }
  }

  private peek(): string | undefined {
    return this.source[this.pos];
  }

  private expect(char: string): void {
    if (this.source[this.pos] !== char) throw this.error(`'${char}' expected`);
    this.pos++;
  }

  private error(why: string): Error {
    return new Error(`textproto: ${why} at offset ${this.pos}`);
  }
}
