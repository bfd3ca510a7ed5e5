import { describe, expect, it } from 'vitest';
import { KubeStatusError } from './kube-status';
import {
  formatLabelSelector,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors';

describe('label selectors', () => {
  it.each([
    ['app=web', { app: 'web' }, true],
    ['app==web', { app: 'web' }, true],
    ['app=web', { app: 'db' }, false],
    ['app!=web', {}, true],
    ['app!=web', { app: 'web' }, false],
    ['app', { app: '' }, true],
    ['!app', { app: 'x' }, false],
    ['!app', {}, true],
    ['tier in (front, back)', { tier: 'back' }, true],
    ['tier in (front,back)', {}, false],
    ['tier notin (front)', {}, true],
    ['tier notin (front)', { tier: 'front' }, false],
    ['app=web,tier=front', { app: 'web', tier: 'front' }, true],
    ['app=web, tier=front', { app: 'web' }, false],
    ['example.com/app=x', { 'example.com/app': 'x' }, true],
    ['', { any: 'thing' }, true],
    ['app=', { app: '' }, true],
  ])('%s on %j is %s', (selector, labels, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it.each([
    'app in (a',
    'app in ()',
    '=web',
    'app=web,',
    'a b',
    'app=bad value!',
    'Bad_Prefix/x=1',
    'app in a',
    `${'x'.repeat(64)}=1`,
    '!app=x',
  ])('refuses %j with 400 BadRequest', (selector) => {
    const error = (() => {
      try {
        parseLabelSelector(selector);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(KubeStatusError);
    expect(error).toMatchObject({ code: 400, reason: 'BadRequest' });
  });

  it('formats LabelSelectors as kubectl shows them', () => {
    expect(
      formatLabelSelector({
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 't', operator: 'In', values: ['a', 'b'] }],
      }),
    ).toBe('app=web,t in (a,b)');
    expect(formatLabelSelector({})).toBe('<none>');
  });
});

describe('field selectors', () => {
  const supported = ['metadata.name', 'spec.nodeName', 'status.phase'];
  it('parses =, == and != with escapes', () => {
    expect(parseFieldSelector('metadata.name=a\\,b,status.phase!=Failed', supported)).toEqual([
      { field: 'metadata.name', operator: 'equals', value: 'a,b' },
      { field: 'status.phase', operator: 'notEquals', value: 'Failed' },
    ]);
    expect(matchesFields(parseFieldSelector('spec.nodeName==n1', supported), { 'spec.nodeName': 'n1' })).toBe(
      true,
    );
    expect(matchesFields(parseFieldSelector('spec.nodeName=', supported), { 'spec.nodeName': '' })).toBe(
      true,
    );
  });
  it.each([
    ['spec.foo=x', 'field label not supported: spec.foo'],
    ['metadata.name', "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
    ['metadata.name=a\\x', 'invalid field selector: invalid escape sequence: \\x'],
  ])('refuses %j: %s', (selector, message) => {
    expect(() => parseFieldSelector(selector, supported)).toThrow(message);
  });
});
