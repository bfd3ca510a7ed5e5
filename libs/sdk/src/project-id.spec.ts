import { describe, expect, it } from 'vitest';
import { PROJECT_ID, ProjectIds } from './project-id';

describe('ProjectIds', () => {
  it('hands out valid Google project ids, unique per call', () => {
    const ids = new ProjectIds();
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const id = ids.next();
      expect(id).toMatch(PROJECT_ID);
      expect(id.length).toBeLessThanOrEqual(30);
      seen.add(id);
    }
    expect(seen.size).toBe(5000);
  });

  it.each([[Buffer.from([0, 0, 0, 0])], [Buffer.from([255, 255, 255, 255])], [Buffer.from([1, 2, 3, 4])]])(
    'stays valid at the edges of the random tag (%o) and with the longest prefix',
    (random) => {
      const ids = new ProjectIds('abcdefghijkl', random);
      const id = ids.next();
      expect(id).toMatch(PROJECT_ID);
      expect(id.startsWith('abcdefghijkl-')).toBe(true);
    },
  );

  it('differs between processes (their random tags)', () => {
    const a = new ProjectIds('test', Buffer.from([0, 0, 0, 1])).next();
    const b = new ProjectIds('test', Buffer.from([0, 0, 0, 2])).next();
    expect(a).not.toBe(b);
  });

  it.each(['', 'Test', '1abc', 'a-b', 'abcdefghijklm', 'ab_c'])(
    'rejects the prefix %j, naming it',
    (prefix) => {
      expect(() => new ProjectIds(prefix)).toThrow(/^prefix: /);
    },
  );

  it.each([
    ['abcdef', true],
    ['a-b-c-d', true],
    ['abcde', false],
    ['abcdef-', false],
    ['1bcdef', false],
    ['a'.repeat(30), true],
    ['a'.repeat(31), false],
    ['abcDef', false],
  ])('PROJECT_ID(%j) is %s', (id, valid) => {
    expect(PROJECT_ID.test(id)).toBe(valid);
  });
});
