import { describe, expect, it } from 'vitest';
import { bannerUrl, optionOfStartFailure, OutputTail, stripAnsi } from './output-tail';

describe('bannerUrl', () => {
  it.each([
    ['gke-emulator listening on http://127.0.0.1:8085', 'http://127.0.0.1:8085'],
    ['gke-emulator listening on http://[::1]:40000\r', 'http://[::1]:40000'],
    ['\u001b[32mgke-emulator listening on http://127.0.0.1:1\u001b[39m', 'http://127.0.0.1:1'],
    ['gke-emulator api listening on http://127.0.0.1:1', undefined],
    ['  database: embedded PostgreSQL in /tmp/x', undefined],
    ['', undefined],
  ])('%j → %s', (line, url) => {
    expect(bannerUrl(line)).toBe(url);
  });
});

describe('optionOfStartFailure', () => {
  it.each([
    ['gke-emulator: listen EADDRINUSE: address already in use 127.0.0.1:8085', false, 'port'],
    [
      'gke-emulator: another gke-emulator is using this --data-dir (/x, pid 12): stop it, or use another --data-dir',
      false,
      'dataDir',
    ],
    ['could not start embedded PostgreSQL in /x/pg: postgres exited', false, undefined],
    ['gke-emulator: connect ECONNREFUSED 127.0.0.1:1', true, 'databaseUrl'],
    ['gke-emulator: connect ECONNREFUSED 127.0.0.1:1', false, undefined],
    ['password authentication failed for user "x"', true, 'databaseUrl'],
    ['getaddrinfo ENOTFOUND db.invalid', true, 'databaseUrl'],
    ['TypeError: something else', true, undefined],
  ])('%j (databaseUrl given: %s) → %s', (stderr, databaseUrl, option) => {
    expect(optionOfStartFailure(stderr, { databaseUrl })).toBe(option);
  });
});

describe('OutputTail', () => {
  it('keeps the last lines, joins partial chunks and strips colours', () => {
    const tail = new OutputTail(3);
    expect(tail.push('one\ntw')).toEqual(['one']);
    expect(tail.push('o\nthree\nfour\n\u001b[31mfive')).toEqual(['two', 'three', 'four']);
    expect(tail.toString()).toBe('two\nthree\nfour\nfive');
  });

  it('stripAnsi removes SGR sequences only', () => {
    expect(stripAnsi('\u001b[38;5;3ma\u001b[39m [b]')).toBe('a [b]');
  });
});
