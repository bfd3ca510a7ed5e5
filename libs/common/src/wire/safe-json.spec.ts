import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonSafely, PrototypeKeyError, refusePrototypeKeys } from './safe-json';

describe('parseJsonSafely', () => {
  it.each([
    '{"__proto__":{"polluted":1}}',
    '{"a":[{"b":{"__proto__":{}}}]}',
    '{"\\u005f_proto__":{"polluted":1}}',
    '{"__pr\\u006fto__":null}',
  ])('refuses %s', (text) => {
    expect(() => parseJsonSafely(text)).toThrow(PrototypeKeyError);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each(['{"constructor":{"prototype":{"x":1}}}', '{"a":"__proto__"}', '{"\\u0061":"\\u00e9"}', '[]', '1'])(
    'parses %s as JSON.parse does',
    (text) => {
      expect(parseJsonSafely(text)).toEqual(JSON.parse(text));
    },
  );

  it('agrees with JSON.parse on any JSON without the key', () => {
    fc.assert(
      // fast-check's JSON values may hold an own `__proto__` key, which parseJsonSafely refuses by design.
      fc.property(
        fc.jsonValue().filter((value) => !JSON.stringify(value).includes('"__proto__"')),
        (value) => {
          const text = JSON.stringify(value);
          expect(parseJsonSafely(text)).toEqual(JSON.parse(text));
        },
      ),
    );
  });

  it('throws SyntaxError on invalid JSON', () => {
    expect(() => parseJsonSafely('{"a":')).toThrow(SyntaxError);
  });
});

describe('refusePrototypeKeys', () => {
  it('finds an own __proto__ key at any depth, and only then', () => {
    const nested = JSON.parse('{"a":[1,{"b":{"__proto__":{}}}]}') as unknown;
    expect(() => refusePrototypeKeys(nested)).toThrow(PrototypeKeyError);
    expect(() => refusePrototypeKeys({ a: [{ constructor: { prototype: 1 } }] })).not.toThrow();
    expect(() => refusePrototypeKeys(null)).not.toThrow();
  });

  it('walks 100,000-deep values without overflowing the stack', () => {
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => refusePrototypeKeys(deep)).not.toThrow();
  });
});
