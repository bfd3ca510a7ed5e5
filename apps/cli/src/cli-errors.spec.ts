import { describe, expect, it } from 'vitest';
import {
  databaseConnectionMessage,
  editDistance,
  unknownCommandMessage,
  unreachableMessage,
} from './cli-errors';

const commands = ['start', 'env', 'reset', 'print-graphql-schema'];

describe('editDistance', () => {
  it.each([
    ['start', 'start', 0],
    ['strat', 'start', 1],
    ['stat', 'start', 1],
    ['starts', 'start', 1],
    ['rest', 'reset', 1],
    ['evn', 'env', 1],
    ['', 'env', 3],
    ['abc', 'xyz', 3],
  ])('%s -> %s is %d', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('unknownCommandMessage', () => {
  it.each([
    ['strat', "unknown command 'strat' (did you mean 'start'?)"],
    ['sart', "unknown command 'sart' (did you mean 'start'?)"],
    ['evn', "unknown command 'evn' (did you mean 'env'?)"],
    ['rest', "unknown command 'rest' (did you mean 'reset'?)"],
    ['print', "unknown command 'print' (did you mean 'print-graphql-schema'?)"],
    ['deploy', "unknown command 'deploy' (commands: start, env, reset, print-graphql-schema)"],
  ])('%s', (given, message) => expect(unknownCommandMessage(given, commands)).toBe(message));
});

describe('databaseConnectionMessage', () => {
  const url = 'postgresql://app:secret@db.example:6543/emulator';
  const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

  it('names the variable, the host, the port, the role and the cause, never the password', () => {
    expect(databaseConnectionMessage(withCode('ECONNREFUSED'), url)).toBe(
      'DATABASE_URL: cannot connect to db.example:6543 as app (connection refused)',
    );
    expect(databaseConnectionMessage(withCode('ENOTFOUND'), url)).toContain('(host not found)');
    expect(databaseConnectionMessage(withCode('28P01', 'password authentication failed'), url)).toBe(
      'DATABASE_URL: cannot connect to db.example:6543 as app (password authentication failed)',
    );
    expect(databaseConnectionMessage(withCode('ECONNREFUSED'), url)).not.toContain('secret');
  });

  it('finds the code in a cause, and defaults the port to 5432', () => {
    const wrapped = new Error('outer', { cause: withCode('ETIMEDOUT') });
    expect(databaseConnectionMessage(wrapped, 'postgresql://h/db')).toBe(
      'DATABASE_URL: cannot connect to h:5432 (connection timed out)',
    );
  });

  it('leaves other errors alone', () => {
    expect(databaseConnectionMessage(new Error('boom'), url)).toBeUndefined();
    expect(databaseConnectionMessage(withCode('42P01'), url)).toBeUndefined();
  });
});

describe('unreachableMessage', () => {
  it('names the command, the URL and where the URL came from', () => {
    const error = new TypeError('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
    });
    expect(unreachableMessage('reset', 'http://127.0.0.1:8085', 'the default URL', error)).toBe(
      'reset: no emulator answers at http://127.0.0.1:8085 (connection refused; URL from the default URL)',
    );
  });
});
