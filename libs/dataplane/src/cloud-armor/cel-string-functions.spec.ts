import { describe, expect, it } from 'vitest';
import {
  base64Decode,
  lowerAscii,
  upperAscii,
  urlDecode,
  urlDecodeUni,
  utf8ToUnicode,
} from './cel-string-functions';

describe.each([
  {
    fn: lowerAscii,
    cases: [
      ['API.Example.com', 'api.example.com'],
      ['ÉCOLE', 'École'], // only ASCII letters change
    ],
  },
  {
    fn: upperAscii,
    cases: [
      ['get', 'GET'],
      ['straße', 'STRAßE'],
    ],
  },
  {
    fn: base64Decode,
    cases: [
      ['bXlWYWx1ZQ==', 'myValue'],
      ['bXlWYWx1ZQ', 'myValue'], // unpadded
      ['YWJj', 'abc'],
      ['-_8', '\u00fb\u00ff'], // URL-safe alphabet mapped to + and /, bytes fb ff are not UTF-8
      ['not base64!', ''], // invalid input decodes to ''
      ['Y', ''],
    ],
  },
  {
    fn: urlDecode,
    cases: [
      ['x=%3c', 'x=<'],
      ['value=Url+Encoded%21', 'value=Url Encoded!'],
      ['%zz%4', '%zz%4'], // invalid encodings are kept
      ['%C3%A9', 'é'],
      ['%u0041', '%u0041'],
    ],
  },
  {
    fn: urlDecodeUni,
    cases: [
      ['Match%2BValue', 'Match+Value'],
      ['Match%u002BValue', 'Match+Value'],
      ['value=Unicode%20Url%u0020Encoded%u0021', 'value=Unicode Url Encoded!'],
      ['abcde+123456%e4%bd%a0%e5%a5%bd%u4F60%u597D', 'abcde 123456你好你好'],
      ['%u12', '%u12'],
    ],
  },
  {
    fn: utf8ToUnicode,
    cases: [
      ['\u00ac', '%u00ac'],
      ['Ā ā Ă ă Ѐ Ё', '%u0100 %u0101 %u0102 %u0103 %u0400 %u0401'],
      ['a\\n', 'a\\n'],
      ['😀', '%u1f600'],
    ],
  },
])('$fn.name', ({ fn, cases }) => {
  it.each(cases)('%j -> %j', (input, output) => {
    expect(fn(input)).toBe(output);
  });
});
