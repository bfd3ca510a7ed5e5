import { describe, expect, it } from 'vitest';
import { GoogleApiError } from '../errors/google-api-error';
import { parseWireBody, type WireSchema } from './wire-schema';

const SCHEMA: WireSchema = {
  name: 'string',
  enabled: 'bool',
  mtu: 'int32',
  size: 'uint32',
  big: 'int64',
  id: 'uint64',
  ratio: 'float',
  weight: 'double',
  tags: { array: 'string' },
  labels: { map: 'string' },
  nested: { object: { inner: 'int32', deep: { array: { object: { x: 'string' } } } } },
  free: 'any',
};

function messageOf(body: unknown): string {
  try {
    parseWireBody(body, SCHEMA);
  } catch (error) {
    expect(error).toBeInstanceOf(GoogleApiError);
    expect((error as GoogleApiError).httpStatus).toBe(400);
    return (error as GoogleApiError).message;
  }
  return 'accepted';
}

describe('parseWireBody', () => {
  it.each([
    [{ name: 'x', enabled: true, mtu: 1460, size: 0, big: '123', tags: ['a'], labels: { a: 'b' } }],
    [{ mtu: '1500' }],
    // Compute ids pass 2^53: read exactly as the decimal strings they travel as
    [{ id: '18446744073709551615' }],
    [{ id: 7 }],
    [{ id: '4567890123456789012' }],
    [{ ratio: 0.5, weight: '1e3' }],
    [{ ratio: 'NaN', weight: '-Infinity' }],
    [{ nested: { inner: 1, deep: [{ x: 'y' }] } }],
    [{ free: { anything: [1, { goes: true }] } }],
    [{ name: null }],
    [{}],
  ])('accepts %j', (body) => {
    expect(messageOf(body)).toBe('accepted');
  });

  it.each([
    [{ bogus: 1 }, `Invalid JSON payload received. Unknown name "bogus" at 'resource': Cannot find field.`],
    // Names of Object.prototype are unknown fields too (found by the property test: a 500 before).
    [{ valueOf: { '': false } }, `Unknown name "valueOf" at 'resource'`],
    [{ constructor: 1 }, `Unknown name "constructor" at 'resource'`],
    [JSON.parse('{"__proto__": {"x": 1}}'), `Unknown name "__proto__" at 'resource'`],
    [{ toString: 'x' }, `Unknown name "toString" at 'resource'`],
    [{ nested: { nope: 1 } }, `Unknown name "nope" at 'resource.nested'`],
    [{ nested: { deep: [{ x: 'y', z: 1 }] } }, `Unknown name "z" at 'resource.nested.deep[0]'`],
    [{ name: 5 }, `Invalid value at 'resource.name' (TYPE_STRING), 5`],
    [{ enabled: 'true' }, `Invalid value at 'resource.enabled' (TYPE_BOOL), "true"`],
    [{ mtu: 1.5 }, `Invalid value at 'resource.mtu' (TYPE_INT32), 1.5`],
    [{ mtu: 2147483648 }, `(TYPE_INT32)`],
    [{ size: -1 }, `Invalid value at 'resource.size' (TYPE_UINT32), -1`],
    [{ mtu: 'abc' }, `(TYPE_INT32), "abc"`],
    [{ id: '18446744073709551616' }, `Invalid value at 'resource.id' (TYPE_UINT64), "18446744073709551616"`],
    [{ id: -1 }, `(TYPE_UINT64), -1`],
    [{ id: true }, `(TYPE_UINT64), true`],
    [{ ratio: 'half' }, `Invalid value at 'resource.ratio' (TYPE_FLOAT), "half"`],
    [{ weight: [] }, `Invalid value at 'resource.weight' (TYPE_DOUBLE), []`],
    [{ tags: 'a' }, `Invalid value at 'resource.tags' (TYPE_MESSAGE)`],
    [{ tags: [1] }, `Invalid value at 'resource.tags[0]' (TYPE_STRING), 1`],
    [{ labels: [] }, `Invalid value at 'resource.labels'`],
    [{ labels: { a: 1 } }, `Invalid value at 'resource.labels[a]' (TYPE_STRING), 1`],
    [{ nested: 'x' }, `Invalid value at 'resource.nested'`],
    [[], `Expected an object at 'resource'`],
    ['text', `Expected an object at 'resource'`],
    [7, `Expected an object at 'resource'`],
  ])('rejects %j', (body, message) => {
    expect(messageOf(body)).toContain(message);
  });

  it('drops nulls, which Google reads as unset', () => {
    expect(parseWireBody({ name: null, nested: { inner: null, deep: [{ x: null }] } }, SCHEMA)).toEqual({
      nested: { deep: [{}] },
    });
  });

  it('treats an absent body as empty and names the body as asked', () => {
    expect(parseWireBody(undefined, SCHEMA)).toEqual({});
    expect(() =>
      parseWireBody({ x: 1 }, { y: 'string' }, 'subnetworksExpandIpCidrRangeRequestResource'),
    ).toThrow(`at 'subnetworksExpandIpCidrRangeRequestResource'`);
  });
});

describe('parseWireBody: null list elements', () => {
  it('refuses a null element of any list (a null field is unset, a null element is not)', () => {
    expect(messageOf({ tags: ['a', null] })).toBe("Invalid value at 'resource.tags[1]' (TYPE_STRING), null");
    expect(messageOf({ nested: { deep: [null] } })).toBe(
      "Invalid value at 'resource.nested.deep[0]' (TYPE_MESSAGE), null",
    );
    expect(parseWireBody({ tags: null, nested: { deep: [{ x: null }] } }, SCHEMA)).toEqual({
      nested: { deep: [{}] },
    });
  });
});

describe('parseWireBody: descriptions', () => {
  const schema: WireSchema = {
    description: 'string',
    rules: { array: { object: { description: 'string' } } },
  };
  it('holds at most 2,048 characters, at any depth', () => {
    expect(parseWireBody({ description: 'd'.repeat(2048) }, schema)).toEqual({
      description: 'd'.repeat(2048),
    });
    expect(() => parseWireBody({ description: 'd'.repeat(2049) }, schema)).toThrow(
      "Invalid value for field 'resource.description': '" +
        'd'.repeat(64) +
        "...'. Must be at most 2048 characters long.",
    );
    expect(() => parseWireBody({ rules: [{ description: 'd'.repeat(1_000_000) }] }, schema)).toThrow(
      "'resource.rules[0].description'",
    );
  });
});
