import { describe, expect, it } from 'vitest';
import { limitWarnings } from './kube-http';

describe('limitWarnings (the API server recorder`s limits)', () => {
  it('keeps few warnings as they are, without duplicates', () => {
    expect(limitWarnings(['a', 'b', 'a'])).toEqual(['a', 'b']);
  });

  it('past 4,096 characters in all, cuts each to 256 and drops the rest', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => `unknown field "spec.k${i}"`);
    const limited = limitWarnings(many);
    expect(limited.length).toBeLessThan(300);
    expect(limited[0]).toBe('unknown field "spec.k0"');
    const long = limitWarnings(Array.from({ length: 40 }, (_, i) => `${i}:${'x'.repeat(1000)}`));
    expect(long.every((text) => text.length <= 256)).toBe(true);
    expect(long.join('').length).toBeLessThanOrEqual(4096 + 256);
  });
});
