// Figures of the Compute resources issue (docs/benchmarks.md, "Compute resources"):
//   - 1,000 firewall rules in one network: getEffectiveFirewalls p50, and a list with a regex filter p50;
//   - a security policy with 200 rules: insert p50 and addRule p50 (when the emulator serves securityPolicies).
// Usage: node bench/compute-resources.mjs [--rules 1000] [--samples 50] [--cli dist/cli/main.js]
// Starts one ephemeral emulator on 127.0.0.1, talks only to it, and stops it at the end (also on error).
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { call, startEmulator, timed as timedRuns } from './emulator.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const RULES = Math.min(5000, Number(option('--rules', '1000')));
const SAMPLES = Math.min(500, Number(option('--samples', '50')));
const CLI = resolve(ROOT, option('--cli', 'dist/cli/main.js'));
const DEADLINE = Date.now() + 10 * 60_000;

const emulator = await startEmulator(CLI, {
  extraArgs: ['--ephemeral', '--no-worker'],
  env: { ...process.env, DATABASE_URL: '' },
});
const timed = (samples, run) => timedRuns(samples, run, DEADLINE);

try {
  const port = emulator.port;
  const base = '/compute/v1/projects/bench';
  await call(port, 'POST', `${base}/global/networks`, { name: 'vpc', autoCreateSubnetworks: false });
  const started = performance.now();
  for (let i = 0; i < RULES && Date.now() < DEADLINE; i++) {
    const res = await call(port, 'POST', `${base}/global/firewalls`, {
      name: `fw-${i}`,
      network: 'global/networks/vpc',
      priority: 1000 + (i % 50),
      allowed: [{ IPProtocol: 'tcp', ports: [String(1000 + i)] }],
      sourceRanges: [`10.${i % 250}.0.0/16`],
      targetTags: [`tag-${i % 20}`],
    });
    if (res.status !== 200)
      throw new Error(`firewall insert ${i}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
  }
  const setupS = (performance.now() - started) / 1000;
  const effective = await timed(SAMPLES, () =>
    call(port, 'GET', `${base}/global/networks/vpc/getEffectiveFirewalls`),
  );
  const filtered = await timed(SAMPLES, () =>
    call(port, 'GET', `${base}/global/firewalls?filter=${encodeURIComponent('name eq fw-1.*')}`),
  );

  let policy = null;
  const probe = await call(port, 'GET', `${base}/global/securityPolicies`);
  if (probe.status === 200) {
    const rule = (priority) => ({
      priority,
      action: priority % 2 ? 'allow' : 'deny(403)',
      match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: [`10.${priority % 250}.0.0/16`] } },
    });
    const defaultRule = {
      priority: 2147483647,
      action: 'allow',
      match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } },
    };
    const rules = [...Array.from({ length: 199 }, (_, i) => rule(1000 + i)), defaultRule];
    const insert = await timed(Math.min(SAMPLES, 20), (i) =>
      call(port, 'POST', `${base}/global/securityPolicies`, { name: `sp-${i}`, rules }),
    );
    const addRule = await timed(SAMPLES, (i) =>
      call(port, 'POST', `${base}/global/securityPolicies/sp-0/addRule`, rule(5000 + i)),
    );
    // The same with CEL expressions: each must be parsed and checked against Cloud Armor's functions. The sample
    // index is part of every path literal, so no policy repeats an expression of an earlier one and a cache of
    // parsed expressions cannot answer for the parser.
    const celRule = (sample, priority) => ({
      priority,
      action: 'deny(403)',
      match: {
        expr: {
          expression: `origin.region_code == 'US' && request.path.startsWith('/s${sample}/p${priority}')`,
        },
      },
    });
    const celRules = (sample) => [
      ...Array.from({ length: 199 }, (_, i) => celRule(sample, 1000 + i)),
      defaultRule,
    ];
    const celSamples = Array.from({ length: Math.min(SAMPLES, 20) }, (_, i) => celRules(i));
    const celInsert = await timed(celSamples.length, (i) =>
      call(port, 'POST', `${base}/global/securityPolicies`, { name: `cel-${i}`, rules: celSamples[i] }),
    );
    policy = {
      insert200RulesP50Ms: insert.p50,
      insert200CelRulesP50Ms: celInsert.p50,
      addRuleP50Ms: addRule.p50,
    };
  }

  const figures = {
    firewallRules: RULES,
    setupSeconds: Number(setupS.toFixed(1)),
    getEffectiveFirewallsP50Ms: Number(effective.p50.toFixed(1)),
    getEffectiveFirewallsP90Ms: Number(effective.p90.toFixed(1)),
    listRegexFilterP50Ms: Number(filtered.p50.toFixed(1)),
    listRegexFilterP90Ms: Number(filtered.p90.toFixed(1)),
    securityPolicy: policy ?? 'securityPolicies not served by this build',
  };
  const verdict = (value, target) => (value < target ? 'PASS' : 'FAIL');
  console.log(
    `getEffectiveFirewalls, ${RULES} rules: p50 ${figures.getEffectiveFirewallsP50Ms} ms (< 50) ${verdict(effective.p50, 50)}`,
  );
  console.log(
    `list firewalls, regex filter:        p50 ${figures.listRegexFilterP50Ms} ms (< 50) ${verdict(filtered.p50, 50)}`,
  );
  if (policy) {
    console.log(
      `security policy insert, 200 rules:    p50 ${policy.insert200RulesP50Ms.toFixed(1)} ms (< 20) ${verdict(policy.insert200RulesP50Ms, 20)}`,
    );
    console.log(
      `security policy insert, 200 CEL rules: p50 ${policy.insert200CelRulesP50Ms.toFixed(1)} ms (< 20) ${verdict(policy.insert200CelRulesP50Ms, 20)}`,
    );
    console.log(
      `security policy addRule:              p50 ${policy.addRuleP50Ms.toFixed(1)} ms (< 20) ${verdict(policy.addRuleP50Ms, 20)}`,
    );
  }
  console.log(JSON.stringify(figures));
} finally {
  await emulator.stop();
}
