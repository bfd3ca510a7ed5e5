import { describe, expect, it } from 'vitest';
import { compileSelector, matchesSelector } from './label-selector.matcher';
import type { LabelSelector, Labels } from './network-policy.types';

describe('label selectors', () => {
  const cases: { name: string; selector: LabelSelector; labels: Labels; expected: boolean }[] = [
    { name: 'empty selector matches everything', selector: {}, labels: {}, expected: true },
    {
      name: 'empty matchLabels matches everything',
      selector: { matchLabels: {} },
      labels: { a: '1' },
      expected: true,
    },
    {
      name: 'matchLabels equal',
      selector: { matchLabels: { app: 'web' } },
      labels: { app: 'web' },
      expected: true,
    },
    {
      name: 'matchLabels differ',
      selector: { matchLabels: { app: 'web' } },
      labels: { app: 'db' },
      expected: false,
    },
    {
      name: 'matchLabels missing key',
      selector: { matchLabels: { app: 'web' } },
      labels: {},
      expected: false,
    },
    {
      name: 'matchLabels are ANDed',
      selector: { matchLabels: { app: 'web', tier: 'fe' } },
      labels: { app: 'web' },
      expected: false,
    },
    {
      name: 'In',
      selector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] },
      labels: { pod: 'c' },
      expected: true,
    },
    {
      name: 'In without the key',
      selector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b'] }] },
      labels: {},
      expected: false,
    },
    {
      name: 'NotIn with another value',
      selector: { matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['x'] }] },
      labels: { ns: 'y' },
      expected: true,
    },
    {
      name: 'NotIn matches objects without the key',
      selector: { matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['x'] }] },
      labels: {},
      expected: true,
    },
    {
      name: 'NotIn with a listed value',
      selector: { matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['x'] }] },
      labels: { ns: 'x' },
      expected: false,
    },
    {
      name: 'Exists',
      selector: { matchExpressions: [{ key: 'k', operator: 'Exists' }] },
      labels: { k: '' },
      expected: true,
    },
    {
      name: 'DoesNotExist',
      selector: { matchExpressions: [{ key: 'k', operator: 'DoesNotExist' }] },
      labels: { k: 'v' },
      expected: false,
    },
    {
      name: 'matchLabels AND matchExpressions',
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
      labels: { app: 'web' },
      expected: false,
    },
    {
      name: 'label named like an Object prototype member',
      selector: { matchExpressions: [{ key: 'toString', operator: 'Exists' }] },
      labels: {},
      expected: false,
    },
  ];

  it.each(cases)('$name', ({ selector, labels, expected }) => {
    expect(matchesSelector(compileSelector(selector), labels)).toBe(expected);
  });

  it('refuses an unknown operator (validate first)', () => {
    expect(() => compileSelector({ matchExpressions: [{ key: 'k', operator: 'Equals' }] })).toThrow(
      RangeError,
    );
  });

  it('normalizes matchLabels into In requirements', () => {
    expect(compileSelector({ matchLabels: { a: '1' } })).toEqual({
      requirements: [{ key: 'a', operator: 'In', values: ['1'] }],
    });
  });
});
