import { describe, expect, it } from 'vitest';
import { relativeReference, renderWire } from './links';

describe('relativeReference', () => {
  it.each([
    ['https://www.googleapis.com/compute/v1/projects/p/global/networks/n', 'projects/p/global/networks/n'],
    [
      'https://compute.googleapis.com/compute/v1/projects/p/global/networks/n',
      'projects/p/global/networks/n',
    ],
    ['http://127.0.0.1:8085/compute/v1/projects/p/global/networks/n', 'projects/p/global/networks/n'],
    ['https://www.googleapis.com/compute/beta/projects/p/global/networks/n', 'projects/p/global/networks/n'],
    ['projects/q/global/networks/n', 'projects/q/global/networks/n'],
    ['global/networks/n', 'projects/p/global/networks/n'],
    ['regions/us-east1/subnetworks/s', 'projects/p/regions/us-east1/subnetworks/s'],
    ['n', 'projects/p/global/networks/n'],
    [' n ', 'projects/p/global/networks/n'],
  ])('%s → %s', (reference, expected) => {
    expect(relativeReference('p', reference, 'global/networks')).toBe(expected);
  });

  it.each(['https://example.com/other/path', 'Bad_Name', '', 'http://[::1'])('rejects %j', (reference) => {
    expect(relativeReference('p', reference, 'global/networks')).toBeNull();
  });
});

describe('renderWire', () => {
  it('renders link fields on the base at any depth and leaves other strings alone', () => {
    const base = 'http://127.0.0.1:9/compute/v1/';
    expect(
      renderWire(
        {
          selfLink: 'projects/p/global/networks/n',
          name: 'projects/p/not-a-link',
          subnetworks: ['projects/p/regions/r/subnetworks/s'],
          nested: { network: 'projects/p/global/networks/n', region: 'https://elsewhere/keep' },
        },
        base,
      ),
    ).toEqual({
      name: 'projects/p/not-a-link',
      nested: { network: `${base}projects/p/global/networks/n`, region: 'https://elsewhere/keep' },
      selfLink: `${base}projects/p/global/networks/n`,
      subnetworks: [`${base}projects/p/regions/r/subnetworks/s`],
    });
  });

  it('orders keys alphabetically at every level, as Google does', () => {
    const rendered = renderWire({ b: 1, a: { d: 1, c: [{ f: 1, e: 2 }] } }, 'x/');
    expect(JSON.stringify(rendered)).toBe('{"a":{"c":[{"e":2,"f":1}],"d":1},"b":1}');
  });
});
