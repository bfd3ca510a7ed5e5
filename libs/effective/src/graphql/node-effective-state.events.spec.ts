import { describe, expect, it } from 'vitest';
import { parseDataplaneNodeNotification } from './node-effective-state.events';

describe('parseDataplaneNodeNotification', () => {
  it.each([
    [
      '{"clusterId":"12","generation":"7","nodes":["a","b"]}',
      { clusterId: '12', generation: '7', nodes: ['a', 'b'] },
    ],
    ['{"clusterId":"12","generation":"7","nodes":null}', { clusterId: '12', generation: '7', nodes: null }],
    ['{"clusterId":12,"generation":7,"nodes":[]}', { clusterId: '12', generation: '7', nodes: [] }],
  ])('%s', (payload, expected) => {
    expect(parseDataplaneNodeNotification(payload)).toEqual(expected);
  });

  it.each([
    '',
    'not json',
    'null',
    '[]',
    '{"generation":"7","nodes":null}',
    '{"clusterId":"x","generation":"7","nodes":null}',
    '{"clusterId":"1","nodes":null}',
    '{"clusterId":"1","generation":"7"}',
    '{"clusterId":"1","generation":"7","nodes":[1]}',
    '{"clusterId":"1","generation":"7","nodes":"a"}',
  ])('ignores %j', (payload) => {
    expect(parseDataplaneNodeNotification(payload)).toBeNull();
  });
});
