import { describe, expect, it } from 'vitest';
import {
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  nameProblems,
  regexError,
} from './names';

// The server's messages, spelled out once here (k8s.io/apimachinery/pkg/util/validation at v0.32.4).
const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const QUALIFIED =
  "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";

describe('regexError (validation.RegexError)', () => {
  it('lists examples each followed by a comma and joined by " or ", or none', () => {
    expect(regexError('m', 'f')).toBe("m (regex used for validation is 'f')");
    expect(regexError('m', 'f', 'a')).toBe("m (e.g. 'a', regex used for validation is 'f')");
    expect(regexError('m', 'f', 'a', 'b')).toBe("m (e.g. 'a',  or 'b', regex used for validation is 'f')");
  });
});

describe('isDns1123Subdomain', () => {
  it.each([
    ['a', []],
    ['example.com', []],
    ['0-9.a-b', []],
    ['a'.repeat(253), []],
    ['a.'.repeat(126) + 'a', []],
    ['a'.repeat(254), ['must be no more than 253 characters']],
    ['A'.repeat(254), ['must be no more than 253 characters', SUBDOMAIN]],
    ['', [SUBDOMAIN]],
    ['Upper', [SUBDOMAIN]],
    ['-a', [SUBDOMAIN]],
    ['a-', [SUBDOMAIN]],
    ['a..b', [SUBDOMAIN]],
    ['a_b', [SUBDOMAIN]],
    ['a/b', [SUBDOMAIN]],
    ['é', [SUBDOMAIN]],
  ])('%j', (value, expected) => expect(isDns1123Subdomain(value)).toEqual(expected));

  it('counts bytes, not characters (Go len)', () => {
    expect(isDns1123Subdomain('é'.repeat(127))).toEqual(['must be no more than 253 characters', SUBDOMAIN]);
    expect(isDns1123Subdomain('é'.repeat(126))).toEqual([SUBDOMAIN]);
  });
});

describe('isDns1123Label', () => {
  it.each([
    ['a', []],
    ['123-abc', []],
    ['a'.repeat(63), []],
    ['a'.repeat(64), ['must be no more than 63 characters']],
    ['a.b', ['must not contain dots']],
    ['a'.repeat(60) + '.bcd', ['must be no more than 63 characters', 'must not contain dots']],
    ['A', [LABEL]],
    ['a_b', [LABEL]],
    ['', [LABEL]],
    ['-', [LABEL]],
  ])('%j', (value, expected) => expect(isDns1123Label(value)).toEqual(expected));
});

describe('isDns1035Label', () => {
  it.each([
    ['a', []],
    ['abc-123', []],
    ['a'.repeat(63), []],
    ['a'.repeat(64), ['must be no more than 63 characters']],
    ['1abc', [DNS1035]],
    ['a.b', [DNS1035]],
    ['My-svc', [DNS1035]],
    ['a-', [DNS1035]],
  ])('%j', (value, expected) => expect(isDns1035Label(value)).toEqual(expected));
});

describe('isQualifiedName', () => {
  it.each([
    ['a', []],
    ['MyName', []],
    ['my.name_x-1', []],
    ['example.com/MyName', []],
    ['k8s.io/a', []],
    ['a'.repeat(63), []],
    [`${'a'.repeat(253)}/${'b'.repeat(63)}`, []],
    ['a'.repeat(64), ['name part must be no more than 63 characters']],
    ['A'.repeat(64) + '-', ['name part must be no more than 63 characters', NAME_PART]],
    ['', ['name part must be non-empty', NAME_PART]],
    ['-a', [NAME_PART]],
    ['a b', [NAME_PART]],
    ['/a', ['prefix part must be non-empty']],
    ['a/', ['name part must be non-empty', NAME_PART]],
    ['Example.com/a', [`prefix part ${SUBDOMAIN}`]],
    [`${'a'.repeat(254)}/b`, ['prefix part must be no more than 253 characters']],
    ['a/b/c', [QUALIFIED]],
    ['//', [QUALIFIED]],
  ])('%j', (value, expected) => expect(isQualifiedName(value)).toEqual(expected));
});

describe('isValidLabelValue', () => {
  it.each([
    ['', []],
    ['MyValue', []],
    ['my_value', []],
    ['1.2.3', []],
    ['a'.repeat(63), []],
    ['a'.repeat(64), ['must be no more than 63 characters']],
    ['-a', [VALUE]],
    ['a.', [VALUE]],
    ['a/b', [VALUE]],
    ['a b', [VALUE]],
    ['ü', [VALUE]],
    ['ü'.repeat(32), ['must be no more than 63 characters', VALUE]],
  ])('%j', (value, expected) => expect(isValidLabelValue(value)).toEqual(expected));
});

describe('nameProblems', () => {
  it('uses the rule given', () => {
    expect(nameProblems('a.b', 'dns1123Subdomain')).toEqual([]);
    expect(nameProblems('a.b', 'dns1123Label')).toEqual(['must not contain dots']);
    expect(nameProblems('a.b', 'dns1035Label')).toEqual([DNS1035]);
  });

  it('checks a generateName with its trailing dash masked as the server masks it (two bytes become "a")', () => {
    expect(nameProblems('web-', 'dns1123Subdomain', true)).toEqual([]);
    expect(nameProblems('web-', 'dns1123Subdomain')).toEqual([SUBDOMAIN]);
    // The server drops the dash and the byte before it: "a.-" is checked as "aa".
    expect(nameProblems('a.-', 'dns1123Subdomain', true)).toEqual([]);
    expect(nameProblems('-', 'dns1123Subdomain', true)).toEqual([SUBDOMAIN]);
    expect(nameProblems('Web-', 'dns1123Subdomain', true)).toEqual([SUBDOMAIN]);
    expect(nameProblems('1svc-', 'dns1035Label', true)).toEqual([DNS1035]);
    expect(nameProblems('svc-', 'dns1035Label', true)).toEqual([]);
  });
});
