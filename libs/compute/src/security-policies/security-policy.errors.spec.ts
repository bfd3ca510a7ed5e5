import { describe, expect, it } from 'vitest';
import { securityPolicyPath } from './security-policy.errors';

describe('securityPolicyPath (securityPolicies and regionSecurityPolicies share one implementation)', () => {
  it('names a global policy under global/ and a regional one under its region', () => {
    expect(securityPolicyPath('p', 'global', 'armor')).toBe('projects/p/global/securityPolicies/armor');
    expect(securityPolicyPath('p', 'us-central1', 'armor')).toBe(
      'projects/p/regions/us-central1/securityPolicies/armor',
    );
  });
});
