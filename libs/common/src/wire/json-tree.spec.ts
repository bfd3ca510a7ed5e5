import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkJsonTree, type JsonTreeRules } from './json-tree';

const REJECT: JsonTreeRules = { maxDepth: 100, loneSurrogates: 'reject' };
const REPLACE: JsonTreeRules = { maxDepth: 100, loneSurrogates: 'replace' };

function nested(depth: number): unknown {
  return JSON.parse('{"a":'.repeat(depth - 1) + '[1]' + '}'.repeat(depth - 1));
}

describe('checkJsonTree', () => {
  it('accepts ordinary bodies, surrogate pairs included', () => {
    expect(
      checkJsonTree({ name: 'n', labels: { a: 'b' }, list: [1, 'x', null, { y: '😀' }] }, REJECT),
    ).toBeUndefined();
    expect(checkJsonTree('plain', REJECT)).toBeUndefined();
    expect(checkJsonTree(null, REJECT)).toBeUndefined();
  });

  it('bounds nesting, arrays and objects alike, naming the key where it stopped', () => {
    expect(checkJsonTree(nested(100), REJECT)).toBeUndefined();
    expect(checkJsonTree(nested(101), REJECT)).toEqual({
      kind: 'tooDeep',
      path: 'a'.repeat(1) + '.a'.repeat(99),
      key: 'a',
    });
    expect(checkJsonTree(JSON.parse('['.repeat(102) + ']'.repeat(102)), REJECT)).toMatchObject({
      kind: 'tooDeep',
      key: '0',
    });
    // Far deeper than any recursive walker could go: the check is iterative.
    expect(checkJsonTree(nested(200_000), REJECT)).toMatchObject({ kind: 'tooDeep' });
  });

  it('refuses NUL in values and keys, with the path', () => {
    expect(checkJsonTree({ spec: { ports: [{ name: 'a\u0000' }] } }, REJECT)).toEqual({
      kind: 'nul',
      path: 'spec.ports[0].name',
    });
    expect(checkJsonTree({ labels: { 'k\u0000': 'v' } }, REPLACE)).toEqual({
      kind: 'nul',
      path: 'labels.k\u0000',
    });
    expect(checkJsonTree(['\u0000'], REJECT)).toEqual({ kind: 'nul', path: '[0]' });
  });

  it('refuses lone surrogates, or replaces them with U+FFFD as Go does', () => {
    expect(checkJsonTree({ d: 'a\ud800b' }, REJECT)).toEqual({ kind: 'loneSurrogate', path: 'd' });
    expect(checkJsonTree({ d: 'a\udc00' }, REJECT)).toEqual({ kind: 'loneSurrogate', path: 'd' });
    const body = { d: 'a\ud800b\udc00', list: ['\ud83d'], ['k\udfff']: 1 } as Record<string, unknown>;
    expect(checkJsonTree(body, REPLACE)).toBeUndefined();
    expect(body).toEqual({ d: 'a\ufffdb\ufffd', list: ['\ufffd'], 'k\ufffd': 1 });
  });

  it('property: any JSON value either passes or is reported, and a passing value is well formed', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 6 }),
        fc.string({
          unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((code) => String.fromCharCode(code)),
        }),
        (value, text) => {
          const tree = { value, text };
          const problem = checkJsonTree(tree, { maxDepth: 5, loneSurrogates: 'replace' });
          if (problem) return;
          const serialised = JSON.stringify(tree);
          expect(serialised.includes('\\u0000')).toBe(false);
          // JSON.stringify writes a lone surrogate as a `\\udXXX` escape, a pair as the character itself.
          expect(/\\ud[89a-f][0-9a-f]{2}/i.test(serialised)).toBe(false);
        },
      ),
    );
  });
});
