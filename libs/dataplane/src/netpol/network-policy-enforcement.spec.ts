import { describe, expect, it } from 'vitest';
import { networkPolicyEnforcement } from './network-policy-enforcement';

describe('networkPolicyEnforcement', () => {
  it('enforces with Dataplane V2, whatever networkPolicy says', () => {
    expect(networkPolicyEnforcement({ networkConfig: { datapathProvider: 'ADVANCED_DATAPATH' } })).toEqual({
      enforced: true,
      mode: 'ADVANCED_DATAPATH',
    });
    expect(
      networkPolicyEnforcement({
        networkConfig: { datapathProvider: 'ADVANCED_DATAPATH' },
        networkPolicy: {},
        addonsConfig: { networkPolicyConfig: { disabled: true } },
      }).enforced,
    ).toBe(true);
  });

  it('enforces with networkPolicy.enabled and the addon on (or not mentioned)', () => {
    const on = { networkPolicy: { provider: 'CALICO', enabled: true } };
    expect(networkPolicyEnforcement({ ...on, addonsConfig: { networkPolicyConfig: {} } })).toEqual({
      enforced: true,
      mode: 'networkPolicy.enabled',
    });
    expect(
      networkPolicyEnforcement({ ...on, addonsConfig: { networkPolicyConfig: { disabled: false } } })
        .enforced,
    ).toBe(true);
    expect(networkPolicyEnforcement(on).enforced).toBe(true);
  });

  it('does not enforce with the addon disabled, networkPolicy off, the legacy datapath or nothing said', () => {
    const addonOff = networkPolicyEnforcement({
      networkPolicy: { enabled: true },
      addonsConfig: { networkPolicyConfig: { disabled: true } },
    });
    expect(addonOff.enforced).toBe(false);
    expect(addonOff.mode).toContain('addon is disabled');
    expect(networkPolicyEnforcement({ addonsConfig: { networkPolicyConfig: {} } }).enforced).toBe(false);
    expect(
      networkPolicyEnforcement({ networkConfig: { datapathProvider: 'LEGACY_DATAPATH' }, networkPolicy: {} })
        .enforced,
    ).toBe(false);
    expect(networkPolicyEnforcement({})).toMatchObject({
      enforced: false,
      mode: expect.stringContaining('not enabled'),
    });
    expect(networkPolicyEnforcement({ networkPolicy: 'yes', addonsConfig: [] }).enforced).toBe(false);
  });
});
