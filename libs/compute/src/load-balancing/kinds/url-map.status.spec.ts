import { describe, expect, it } from 'vitest';
import { urlMapStatus } from './url-map.status';

describe('url map status (real logs: status.quotaUsage {forwardingRules: 0, units: "61"})', () => {
  it('reports the forwarding rules reaching the map and its quota units as an int64 string', () => {
    expect(urlMapStatus(0)).toEqual({ quotaUsage: { forwardingRules: 0, units: '61' } });
    expect(urlMapStatus(2).quotaUsage.forwardingRules).toBe(2);
  });
});
