import { describe, expect, it } from 'vitest';

import { parseNetworkReference, sameNetwork } from './network-reference.matcher';

describe('parseNetworkReference', () => {
  it.each([
    ['https://www.googleapis.com/compute/v1/projects/p1/global/networks/vpc', 'p1', 'vpc'],
    ['https://compute.googleapis.com/compute/beta/projects/p1/global/networks/vpc', 'p1', 'vpc'],
    ['http://127.0.0.1:8085/compute/v1/projects/p1/global/networks/vpc', 'p1', 'vpc'],
    ['projects/p1/global/networks/vpc', 'p1', 'vpc'],
    ['global/networks/vpc', null, 'vpc'],
    ['vpc', null, 'vpc'],
    ['', null, 'default'],
    [undefined, null, 'default'],
  ])('reads %s', (reference, project, name) => {
    expect(parseNetworkReference(reference)).toEqual({ project, name });
  });
});

describe('sameNetwork', () => {
  it.each([
    [
      'projects/p1/global/networks/vpc',
      'https://www.googleapis.com/compute/v1/projects/p1/global/networks/vpc',
      true,
    ],
    ['projects/p1/global/networks/vpc', 'projects/p2/global/networks/vpc', false],
    ['projects/p1/global/networks/vpc', 'vpc', true],
    ['global/networks/vpc', 'projects/p2/global/networks/vpc', true],
    ['vpc', 'other', false],
    [undefined, 'default', true],
    [undefined, 'vpc', false],
  ])('%s vs %s → %s', (a, b, same) => {
    expect(sameNetwork(a, b)).toBe(same);
    expect(sameNetwork(b, a)).toBe(same);
  });
});
