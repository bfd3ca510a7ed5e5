import { describe, expect, it } from 'vitest';
import { GoogleApiError } from '@gke-emulator/common';
import {
  assertZone,
  instanceNameOf,
  memberAlreadyExists,
  parseInsertBody,
  parseInstanceReferences,
  parseListInstances,
  parseNamedPorts,
  parseSetNamedPorts,
} from './instance-group.rules';

const P = 'proj';
const Z = 'us-central1-a';

function errorOf(fn: () => unknown): GoogleApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GoogleApiError) return error;
    throw error;
  }
  throw new Error('no error thrown');
}

describe('assertZone', () => {
  it('accepts a zone of a known region', () => {
    expect(assertZone(P, 'europe-west1-b')).toBe('europe-west1-b');
  });
  it('answers 404 for an unknown region or a malformed zone', () => {
    expect(errorOf(() => assertZone(P, 'mars-north1-a')).httpStatus).toBe(404);
    expect(errorOf(() => assertZone(P, 'us-central1')).message).toBe(
      "The resource 'projects/proj/zones/us-central1' was not found",
    );
  });
});

describe('parseInsertBody', () => {
  it('takes the name, description, named ports and a network reference', () => {
    expect(
      parseInsertBody(P, {
        name: 'web',
        description: 'd',
        namedPorts: [{ name: 'http', port: 80 }],
        network: `https://www.googleapis.com/compute/v1/projects/${P}/global/networks/vpc`,
      }),
    ).toEqual({ name: 'web', description: 'd', namedPorts: [{ name: 'http', port: 80 }], network: 'vpc' });
  });
  it('leaves the network to the first instance when the body names none', () => {
    expect(parseInsertBody(P, { name: 'web' })).toEqual({ name: 'web', namedPorts: [] });
  });
  it('refuses a missing or invalid name, and a network of another project', () => {
    expect(errorOf(() => parseInsertBody(P, {})).reason).toBe('required');
    expect(errorOf(() => parseInsertBody(P, { name: 'Web' })).httpStatus).toBe(400);
    expect(
      errorOf(() => parseInsertBody(P, { name: 'web', network: 'projects/other/global/networks/vpc' }))
        .message,
    ).toContain('Cross-project references');
  });
  it('refuses fields of the wrong type, as Compute parses bodies', () => {
    expect(errorOf(() => parseInsertBody(P, { name: 'web', namedPorts: 'http:80' })).httpStatus).toBe(400);
  });
});

describe('parseNamedPorts', () => {
  it('lets one name carry several ports (Google’s own example)', () => {
    expect(
      parseNamedPorts(
        [
          { name: 'http', port: 80 },
          { name: 'http', port: '8080' },
        ],
        'resource.namedPorts',
      ),
    ).toEqual([
      { name: 'http', port: 80 },
      { name: 'http', port: 8080 },
    ]);
  });
  it('refuses a port outside 1-65535, a missing port or name, a bad name, the same pair twice', () => {
    for (const ports of [
      [{ name: 'http', port: 0 }],
      [{ name: 'http', port: 65536 }],
      [{ name: 'http' }],
      [{ port: 80 }],
      [{ name: 'HTTP', port: 80 }],
      [
        { name: 'http', port: 80 },
        { name: 'http', port: 80 },
      ],
    ]) {
      expect(
        errorOf(() => parseNamedPorts(ports, 'resource.namedPorts')).httpStatus,
        JSON.stringify(ports),
      ).toBe(400);
    }
    expect(errorOf(() => parseNamedPorts([{ name: 'http', port: 0 }], 'resource.namedPorts')).message).toBe(
      "Invalid value for field 'resource.namedPorts[0].port': '0'. Must be between 1 and 65535.",
    );
  });
});

describe('instance references', () => {
  it('reads a URL, a partial path or a name, in the group’s zone', () => {
    for (const ref of [
      `https://compute.googleapis.com/compute/v1/projects/${P}/zones/${Z}/instances/n1`,
      `projects/${P}/zones/${Z}/instances/n1`,
      `zones/${Z}/instances/n1`,
      'n1',
    ]) {
      expect(instanceNameOf(P, Z, ref, 'f')).toBe('n1');
    }
  });
  it('refuses an instance of another zone or project', () => {
    expect(errorOf(() => instanceNameOf(P, Z, 'zones/us-central1-b/instances/n1', 'f')).message).toContain(
      "Instance must be in zone 'us-central1-a'",
    );
    expect(errorOf(() => instanceNameOf(P, Z, `projects/x/zones/${Z}/instances/n1`, 'f')).httpStatus).toBe(
      400,
    );
  });
  it('takes each instance once and requires `instance`', () => {
    expect(
      parseInstanceReferences(
        P,
        Z,
        { instances: [{ instance: 'a' }, { instance: 'zones/us-central1-a/instances/a' }] },
        'addInstances',
      ),
    ).toEqual(['a']);
    expect(parseInstanceReferences(P, Z, {}, 'removeInstances')).toEqual([]);
    expect(errorOf(() => parseInstanceReferences(P, Z, { instances: [{}] }, 'addInstances')).message).toBe(
      "Required field 'resource.instances[0].instance' not specified",
    );
  });
});

describe('parseSetNamedPorts', () => {
  it('keeps the fingerprint the caller read, when given', () => {
    expect(parseSetNamedPorts({ namedPorts: [{ name: 'a', port: 1 }], fingerprint: 'abc=' })).toEqual({
      namedPorts: [{ name: 'a', port: 1 }],
      fingerprint: 'abc=',
    });
    expect(parseSetNamedPorts({})).toEqual({ namedPorts: [] });
  });
});

describe('memberAlreadyExists', () => {
  it('is Compute’s 400, in its words', () => {
    const error = memberAlreadyExists(
      'projects/p/zones/z/instances/i',
      'projects/p/zones/z/instanceGroups/g',
    );
    expect(error.httpStatus).toBe(400);
    expect(error.reason).toBe('memberAlreadyExists');
    expect(error.message).toBe(
      "Resource 'projects/p/zones/z/instances/i' is already a member of 'projects/p/zones/z/instanceGroups/g'.",
    );
  });
});

describe('parseListInstances', () => {
  it('takes no body, ALL or RUNNING, and refuses another state', () => {
    expect(() => parseListInstances(undefined)).not.toThrow();
    expect(() => parseListInstances({ instanceState: 'RUNNING' })).not.toThrow();
    expect(errorOf(() => parseListInstances({ instanceState: 'STOPPED' })).httpStatus).toBe(400);
  });
});
