import { describe, expect, it } from 'vitest';
import { gceLabelProblem, isGceLabelKey, isGceLabelValue, MAX_GCE_LABELS } from './gce-labels';

describe('Google Cloud label keys', () => {
  it.each([
    ['a', true],
    ['env', true],
    ['cost-center_2', true],
    ['a'.repeat(63), true],
    ['é', true],
    ['ключ', true],
    ['日本', true], // Lo: letters without case count as lowercase
    ['a٣', true], // any Unicode digit after the first character
    ['', false],
    ['a'.repeat(64), false],
    ['Env', false],
    ['eNv', false],
    ['1abc', false],
    ['-a', false],
    ['_a', false],
    ['a.b', false],
    ['a/b', false],
    ['a b', false],
    ['É', false],
    ['a😀', false],
    ['a\u0000', false],
  ])('%j → %s', (key, ok) => expect(isGceLabelKey(key)).toBe(ok));

  it('counts characters, not bytes or UTF-16 units', () => {
    expect(isGceLabelKey('é'.repeat(63))).toBe(true);
    expect(isGceLabelKey('é'.repeat(64))).toBe(false);
    expect(isGceLabelKey('𝑎'.repeat(2))).toBe(true); // U+1D44E is Ll, two UTF-16 units each
  });
});

describe('Google Cloud label values', () => {
  it.each([
    ['', true],
    ['1', true],
    ['-_-', true],
    ['v'.repeat(63), true],
    ['ü', true],
    ['v'.repeat(64), false],
    ['Web', false],
    ['a.b', false],
    ['a:b', false],
    ['a b', false],
  ])('%j → %s', (value, ok) => expect(isGceLabelValue(value)).toBe(ok));
});

describe('gceLabelProblem', () => {
  it('finds nothing wrong with good labels, up to 64 of them', () => {
    expect(gceLabelProblem({})).toBeUndefined();
    const full = Object.fromEntries(Array.from({ length: MAX_GCE_LABELS }, (_, i) => [`k${i}`, '']));
    expect(gceLabelProblem(full)).toBeUndefined();
  });

  it('names the count first, then the first bad key or value in order', () => {
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`K${i}`, 'X']));
    expect(gceLabelProblem(many)).toEqual({ kind: 'count', count: 65 });
    expect(gceLabelProblem({ ok: 'fine', Bad: 'x', worse: 'Y' })).toEqual({ kind: 'key', key: 'Bad' });
    expect(gceLabelProblem({ ok: 'Fine', Bad: 'x' })).toEqual({ kind: 'value', key: 'ok', value: 'Fine' });
    expect(gceLabelProblem({ n: 5 })).toBeUndefined();
  });
});
