import { describe, expect, it } from 'vitest';
import { mayEnter } from './system-account';

const account = { uid: 990, gid: 990 };

describe('mayEnter', () => {
  it.each([
    [{ mode: 0o700, uid: 0, gid: 0 }, false, 'a private folder of root (/root, mktemp -d)'],
    [{ mode: 0o711, uid: 0, gid: 0 }, true, 'traversable by others'],
    [{ mode: 0o755, uid: 0, gid: 0 }, true, 'readable by others'],
    [{ mode: 0o750, uid: 0, gid: 990 }, true, "the account's group may enter"],
    [{ mode: 0o705, uid: 0, gid: 990 }, false, 'group bits rule for the group, not the others bits'],
    [{ mode: 0o700, uid: 990, gid: 0 }, true, 'its own folder'],
    [{ mode: 0o077, uid: 990, gid: 990 }, false, "owner bits rule for the owner, even when others' allow"],
  ])('%j → %s (%s)', (stat, expected) => {
    expect(mayEnter(stat, account)).toBe(expected);
  });
});
