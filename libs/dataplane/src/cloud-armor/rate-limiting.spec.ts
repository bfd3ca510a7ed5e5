import { readOracle } from '@gke-emulator/test-oracles';
import { describe, expect, it } from 'vitest';
import { normalizeArmorRequest } from './armor-request.normalizer';
import { resolveRateLimitKey } from './rate-limit-key';
import { RateLimiter } from './rate-limiter';
import type { EnforceOnKey } from './security-policy-rule.model';
import { validateSecurityPolicyRule } from './security-policy-rule.validation';
import {
  compileSecurityPolicy,
  evaluateSecurityPolicy,
  type ArmorDecision,
} from './security-policy.evaluator';
import { applyRuleChange, validateSecurityPolicyRules } from './security-policy.validation';
import type {
  ArmorRequest,
  SecurityPolicyRuleInput,
  SecurityPolicyRuleRateLimitOptions,
} from './security-policy.types';

// Each case quotes the statement of rate-limiting-semantics.md it checks; the quote must be in the oracle as is.
const oracle = readOracle('cloud-armor', 'rate-limiting-semantics.md').replace(/\s+/g, ' ');

class FakeClock {
  ms = 1_700_000_000_000;
  now(): number {
    return this.ms;
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

const DEFAULT_ALLOW: SecurityPolicyRuleInput = {
  priority: 2147483647,
  action: 'allow',
  match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } },
};

const BASE: ArmorRequest = { sourceIp: '198.51.100.7', method: 'GET', path: '/', scheme: 'https' };

function rateRule(
  options: SecurityPolicyRuleRateLimitOptions,
  extra: Partial<SecurityPolicyRuleInput> = {},
): SecurityPolicyRuleInput {
  return {
    priority: 100,
    action: 'throttle',
    match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } },
    rateLimitOptions: { conformAction: 'allow', exceedAction: 'deny(429)', ...options },
    ...extra,
  };
}

function throttle(count: number, extra: SecurityPolicyRuleRateLimitOptions = {}): SecurityPolicyRuleInput {
  return rateRule({ rateLimitThreshold: { count, intervalSec: 60 }, ...extra });
}

/** Runs requests through a fresh policy + limiter; returns the enforced action kinds/statuses. */
function harness(rule: SecurityPolicyRuleInput) {
  const validated = validateSecurityPolicyRules([rule, DEFAULT_ALLOW]);
  if (!validated.ok) throw new Error(validated.violations[0]?.message);
  const policy = compileSecurityPolicy(validated.value, { name: 'p' });
  const clock = new FakeClock();
  const limiter = new RateLimiter(clock);
  const send = (request: Partial<ArmorRequest> = {}): ArmorDecision =>
    evaluateSecurityPolicy(policy, { ...BASE, ...request }, { rateLimiter: limiter });
  const outcome = (d: ArmorDecision) => (d.action.kind === 'deny' ? d.action.status : d.action.kind);
  const burst = (n: number, request: Partial<ArmorRequest> = {}) =>
    Array.from({ length: n }, () => outcome(send(request)));
  return { clock, send, burst, outcome };
}

function rejects(rule: SecurityPolicyRuleInput, field: string): void {
  const result = validateSecurityPolicyRule(rule);
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.violations[0]?.field).toBe(field);
}

function keyTypes(keys: EnforceOnKey[], request: Partial<ArmorRequest>) {
  return resolveRateLimitKey(keys, normalizeArmorRequest({ ...BASE, ...request }));
}

describe('rate-limiting semantics (rate-limiting-semantics.md)', () => {
  it.each([
    {
      quote: 'a throttle rule may later be changed to rate_based_ban, not vice-versa',
      check: () => {
        const banOptions = { rateLimitThreshold: { count: 5, intervalSec: 60 }, banDurationSec: 600 };
        const ban = rateRule(banOptions, { action: 'rate_based_ban' });
        const first = validateSecurityPolicyRules([throttle(5), DEFAULT_ALLOW]);
        if (!first.ok) throw new Error('setup');
        const upgraded = applyRuleChange(first.value, ban, 100);
        expect(upgraded.ok).toBe(true);
        if (!upgraded.ok) return;
        const downgraded = applyRuleChange(upgraded.value, throttle(5), 100);
        expect(downgraded.ok).toBe(false);
      },
    },
    {
      quote: '`rateLimitOptions.rateLimitThreshold = {count, intervalSec}`: requests per key per interval.',
      check: () => {
        const { clock, burst } = harness(throttle(3));
        expect(burst(4)).toEqual(['allow', 'allow', 'allow', 429]);
        clock.advance(59.9);
        expect(burst(1)).toEqual([429]);
        clock.advance(0.1);
        expect(burst(4)).toEqual(['allow', 'allow', 'allow', 429]);
        rejects(
          rateRule({ rateLimitThreshold: { count: 3, intervalSec: 7 } }),
          'resource.rateLimitOptions.rateLimitThreshold.intervalSec',
        );
        rejects(
          rateRule({ rateLimitThreshold: { count: 0, intervalSec: 60 } }),
          'resource.rateLimitOptions.rateLimitThreshold.count',
        );
      },
    },
    {
      quote: '`conformAction`: action for requests under the threshold — only `"allow"` is valid.',
      check: () =>
        rejects(throttle(3, { conformAction: 'deny(403)' }), 'resource.rateLimitOptions.conformAction'),
    },
    {
      quote:
        '`exceedAction`: for requests above threshold — `deny(STATUS)` (e.g. deny(429)) or `redirect` (with exceedRedirectOptions).',
      check: () => {
        rejects(throttle(3, { exceedAction: 'deny(451)' }), 'resource.rateLimitOptions.exceedAction');
        rejects(throttle(3, { exceedAction: 'redirect' }), 'resource.rateLimitOptions.exceedRedirectOptions');
        const redirect = { type: 'EXTERNAL_302', target: 'https://example.com/slow-down' };
        const { send, burst } = harness(
          throttle(1, { exceedAction: 'redirect', exceedRedirectOptions: redirect }),
        );
        burst(1);
        expect(send().action).toEqual({ kind: 'redirect', ...redirect });
      },
    },
    {
      quote: '`rate_based_ban` only: `banThreshold = {count, intervalSec}` and `banDurationSec`',
      check: () => {
        rejects(throttle(3, { banDurationSec: 600 }), 'resource.rateLimitOptions.banDurationSec');
        rejects(
          throttle(3, { banThreshold: { count: 3, intervalSec: 60 } }),
          'resource.rateLimitOptions.banThreshold',
        );
      },
    },
    {
      quote:
        'the key will be banned for the configured ban_duration_sec when the number of requests that exceed the rate_limit_threshold also exceed this ban_threshold',
      check: () => {
        const rule = rateRule(
          {
            rateLimitThreshold: { count: 2, intervalSec: 60 },
            banThreshold: { count: 5, intervalSec: 120 },
            banDurationSec: 300,
          },
          { action: 'rate_based_ban' },
        );
        const { clock, burst } = harness(rule);
        // 2 conform, 3 exceed (5 requests, not above the ban threshold), the 6th crosses it and starts the ban.
        expect(burst(6)).toEqual(['allow', 'allow', 429, 429, 429, 429]);
        clock.advance(61);
        expect(burst(1)).toEqual([429]);
      },
    },
    {
      quote:
        'banDurationSec = "time (in seconds) the traffic will continue to be banned by the rate limit after the rate falls below the threshold"',
      check: () => {
        const rule = rateRule(
          { rateLimitThreshold: { count: 1, intervalSec: 10 }, banDurationSec: 300 },
          { action: 'rate_based_ban' },
        );
        const { clock, burst } = harness(rule);
        expect(burst(2)).toEqual(['allow', 429]);
        clock.advance(299);
        expect(burst(1)).toEqual([429]);
        clock.advance(1);
        expect(burst(2)).toEqual(['allow', 429]);
      },
    },
    {
      quote: '`enforceOnKey` (default ALL)',
      check: () => {
        const shared = harness(throttle(1));
        expect([
          shared.burst(1, { sourceIp: '192.0.2.1' }),
          shared.burst(1, { sourceIp: '192.0.2.2' }),
        ]).toEqual([['allow'], [429]]);
        const perIp = harness(throttle(1, { enforceOnKey: 'IP' }));
        expect([
          perIp.burst(1, { sourceIp: '192.0.2.1' }),
          perIp.burst(1, { sourceIp: '192.0.2.2' }),
        ]).toEqual([['allow'], ['allow']]);
      },
    },
    {
      quote: 'HTTP_HEADER (enforceOnKeyName; value truncated to first 128 bytes; missing header -> ALL)',
      check: () => {
        const key = [{ type: 'HTTP_HEADER', name: 'X-Api-Key' }] as const;
        expect(keyTypes([...key], {}).types).toEqual(['ALL']);
        const long = 'k'.repeat(128);
        expect(keyTypes([...key], { headers: { 'x-api-key': `${long}A` } }).value).toBe(
          keyTypes([...key], { headers: { 'X-API-KEY': `${long}B` } }).value,
        );
        rejects(throttle(1, { enforceOnKey: 'HTTP_HEADER' }), 'resource.rateLimitOptions.enforceOnKeyName');
        const { burst } = harness(
          throttle(1, { enforceOnKey: 'HTTP_HEADER', enforceOnKeyName: 'x-api-key' }),
        );
        expect([
          ...burst(1, { headers: { 'x-api-key': 'a' } }),
          ...burst(1, { headers: { 'x-api-key': 'b' } }),
        ]).toEqual(['allow', 'allow']);
      },
    },
    {
      quote: 'XFF_IP (first IP of X-Forwarded-For; missing/invalid -> IP)',
      check: () => {
        const key = [{ type: 'XFF_IP' }] as const;
        expect(keyTypes([...key], { headers: { 'x-forwarded-for': '203.0.113.9, 10.0.0.1' } }).value).toBe(
          'XFF_IP=203.0.113.9',
        );
        expect(keyTypes([...key], { headers: { 'x-forwarded-for': 'unknown' } }).value).toBe(
          'IP=198.51.100.7',
        );
        expect(keyTypes([...key], {}).types).toEqual(['IP']);
      },
    },
    {
      quote: 'HTTP_COOKIE (128 bytes; missing -> ALL)',
      check: () => {
        const key = [{ type: 'HTTP_COOKIE', name: 'session' }] as const;
        expect(keyTypes([...key], { headers: { cookie: 'a=1; session=abc' } }).value).toBe('HTTP_COOKIE=abc');
        expect(keyTypes([...key], { headers: { cookie: 'a=1' } }).types).toEqual(['ALL']);
        const long = 's'.repeat(200);
        expect(keyTypes([...key], { headers: { cookie: `session=${long}` } }).value).toBe(
          `HTTP_COOKIE=${'s'.repeat(128)}`,
        );
      },
    },
    {
      quote: 'HTTP_PATH (128 bytes)',
      check: () => {
        const path = `/${'p'.repeat(300)}`;
        expect(keyTypes([{ type: 'HTTP_PATH' }], { path }).value).toBe(`HTTP_PATH=${path.slice(0, 128)}`);
      },
    },
    {
      quote: 'SNI (128 bytes; plain HTTP -> ALL)',
      check: () => {
        expect(keyTypes([{ type: 'SNI' }], { sni: 'api.example.com' }).value).toBe('SNI=api.example.com');
        expect(keyTypes([{ type: 'SNI' }], { scheme: 'http', sni: 'api.example.com' }).types).toEqual([
          'ALL',
        ]);
      },
    },
    {
      quote: 'REGION_CODE',
      check: () => {
        const { burst } = harness(throttle(1, { enforceOnKey: 'REGION_CODE' }));
        expect([
          ...burst(1, { regionCode: 'AU' }),
          ...burst(1, { regionCode: 'NZ' }),
          ...burst(1, { regionCode: 'AU' }),
        ]).toEqual(['allow', 'allow', 429]);
      },
    },
    {
      quote: 'TLS_JA3_FINGERPRINT / TLS_JA4_FINGERPRINT (absent -> ALL)',
      check: () => {
        expect(keyTypes([{ type: 'TLS_JA3_FINGERPRINT' }], {}).types).toEqual(['ALL']);
        expect(keyTypes([{ type: 'TLS_JA4_FINGERPRINT' }], { tlsJa4Fingerprint: 't13d' }).value).toBe(
          'TLS_JA4_FINGERPRINT=t13d',
        );
      },
    },
    {
      quote: 'USER_IP (fallback IP)',
      check: () => {
        expect(keyTypes([{ type: 'USER_IP' }], { userIp: '2001:db8::1' }).value).toBe('USER_IP=2001:db8::1');
        expect(keyTypes([{ type: 'USER_IP' }], {}).value).toBe('IP=198.51.100.7');
      },
    },
    {
      quote: '`enforceOnKeyConfigs[]` combines several key types into one composite key.',
      check: () => {
        const configs = [{ enforceOnKeyType: 'IP' }, { enforceOnKeyType: 'HTTP_PATH' }];
        const { burst } = harness(throttle(1, { enforceOnKeyConfigs: configs }));
        expect([
          ...burst(1, { path: '/a' }),
          ...burst(1, { path: '/b' }),
          ...burst(1, { path: '/a' }),
        ]).toEqual(['allow', 'allow', 429]);
        rejects(
          throttle(1, { enforceOnKeyConfigs: configs, enforceOnKey: 'IP' }),
          'resource.rateLimitOptions.enforceOnKey',
        );
        const four = [...configs, { enforceOnKeyType: 'SNI' }, { enforceOnKeyType: 'REGION_CODE' }];
        rejects(throttle(1, { enforceOnKeyConfigs: four }), 'resource.rateLimitOptions.enforceOnKeyConfigs');
      },
    },
    {
      quote: 'Threshold is applied **per associated backend service**',
      check: () => {
        const { burst } = harness(throttle(1));
        expect([...burst(2, { backendService: 'web' }), ...burst(2, { backendService: 'api' })]).toEqual([
          'allow',
          429,
          'allow',
          429,
        ]);
      },
    },
    {
      quote: 'Preview mode applies (log only).',
      check: () => {
        const { send } = harness({ ...throttle(1), preview: true });
        send();
        const decision = send();
        expect(decision.action).toEqual({ kind: 'allow' });
        expect(decision.rule?.priority).toBe(2147483647);
        expect(decision.previewHits[0]).toMatchObject({
          priority: 100,
          outcome: { kind: 'deny', status: 429 },
        });
      },
    },
    {
      quote: 'fixed window of intervalSec per key',
      check: () => {
        // The window starts with the key's first request: 1 at t=0, 2 at t=59 (3 in window), 4th at t=59.5 exceeds.
        const { clock, burst } = harness(throttle(3));
        burst(1);
        clock.advance(59);
        expect(burst(2)).toEqual(['allow', 'allow']);
        clock.advance(0.5);
        expect(burst(1)).toEqual([429]);
        clock.advance(0.5);
        expect(burst(1)).toEqual(['allow']);
      },
    },
  ])('$quote', ({ quote, check }) => {
    expect(oracle).toContain(quote);
    check();
  });

  it('forgets idle keys when swept', () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock);
    const settings = {
      threshold: { count: 1, intervalSec: 10 },
      conformAction: 'allow',
      exceedAction: { kind: 'deny', status: 429 },
      keys: [{ type: 'ALL' }],
    } as const;
    limiter.hit('a', settings);
    clock.advance(9);
    expect(limiter.sweep()).toBe(0);
    clock.advance(1);
    expect(limiter.sweep()).toBe(1);
    expect(limiter.size).toBe(0);
  });
});
