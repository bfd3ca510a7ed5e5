import { Injectable } from '@nestjs/common';
import { GoogleErrors, newFingerprint, parseWireBody, renderWire } from '@gke-emulator/common';
import type { ConstraintViolation, Tx } from '@gke-emulator/db';
import type { ComputeContext, WireObject } from '../shared/compute-context';
import {
  DEFAULT_RULE_PRIORITY,
  type RuleBody,
  validateRule,
  validateRuleChange,
} from './cloud-armor.adapter';
import { mergeRule, storedRule } from './security-policy-rule.wire';
import {
  defaultRuleRemoval,
  duplicatePriority,
  missingRule,
  securityPolicyPath,
} from './security-policy.errors';
import { SecurityPolicyRepository, type StoredSecurityPolicy } from './security-policy.repository';
import { SECURITY_POLICY_RULE_SCHEMA } from './security-policy.schema';
import { type WriteOptions, SecurityPolicyWriter } from './security-policy.writer';

export interface RuleWriteOptions {
  requestId?: string;
  validateOnly?: boolean;
}

/** A rule at a taken priority violates the rule table's primary key; the loser of a race hears what a late caller hears. */
function takenPriority(priority: () => number): WriteOptions['onConstraint'] {
  return (violation: ConstraintViolation) =>
    violation.constraint === 'security_policy_rule_pkey' ? duplicatePriority(priority()) : null;
}

/** securityPolicies.addRule / getRule / patchRule / removeRule: one rule, addressed by its priority. */
@Injectable()
export class SecurityPolicyRuleService {
  constructor(
    private readonly policies: SecurityPolicyRepository,
    private readonly writer: SecurityPolicyWriter,
  ) {}

  async getRule(ctx: ComputeContext, scope: string, name: string, priority: number): Promise<WireObject> {
    const policy = await this.policies.find(ctx.project, scope, name);
    if (!policy) throw GoogleErrors.notFound(securityPolicyPath(ctx.project, scope, name));
    const rule = policy.rules.find((candidate) => candidate['priority'] === priority);
    if (!rule) throw missingRule(priority);
    return renderWire(rule, ctx.base);
  }

  /** The primary key decides whether the priority is free, so concurrent adds at one priority have one winner. */
  async addRule(
    ctx: ComputeContext,
    scope: string,
    name: string,
    rawBody: unknown,
    options: RuleWriteOptions,
  ) {
    const body = parseWireBody<RuleBody>(rawBody, SECURITY_POLICY_RULE_SCHEMA);
    const rule = validateRule(body);
    const stored = storedRule(body, rule.priority);
    return this.writer.mutate(
      ctx,
      scope,
      name,
      'addRule',
      async (tx, policy) => {
        await this.policies.insertRule(tx, policy.id, stored);
        await this.touch(tx, policy);
      },
      { ...options, onConstraint: takenPriority(() => rule.priority) },
    );
  }

  /** Merges the body into the rule at `priority` (which may move it to the body's priority). */
  async patchRule(
    ctx: ComputeContext,
    scope: string,
    name: string,
    priority: number,
    rawBody: unknown,
    options: RuleWriteOptions & { updateMask: readonly string[] },
  ) {
    const body = parseWireBody<RuleBody>(rawBody, SECURITY_POLICY_RULE_SCHEMA);
    let target = priority;
    return this.writer.mutate(
      ctx,
      scope,
      name,
      'patchRule',
      async (tx, policy) => {
        const current = await this.policies.findRule(policy.id, priority, tx);
        if (!current) throw missingRule(priority);
        const merged = mergeRule(current, body, options.updateMask);
        const rule = validateRuleChange(current, merged, priority);
        target = rule.priority;
        const stored = storedRule(merged, rule.priority);
        if (rule.priority === priority) {
          await this.policies.updateRule(tx, policy.id, stored);
        } else {
          await this.policies.deleteRule(tx, policy.id, priority);
          await this.policies.insertRule(tx, policy.id, stored);
        }
        await this.touch(tx, policy);
      },
      { ...options, onConstraint: takenPriority(() => target) },
    );
  }

  async removeRule(
    ctx: ComputeContext,
    scope: string,
    name: string,
    priority: number,
    options: RuleWriteOptions,
  ) {
    return this.writer.mutate(
      ctx,
      scope,
      name,
      'removeRule',
      async (tx, policy) => {
        if (priority === DEFAULT_RULE_PRIORITY) throw defaultRuleRemoval(priority);
        if (!(await this.policies.deleteRule(tx, policy.id, priority))) throw missingRule(priority);
        await this.touch(tx, policy);
      },
      options,
    );
  }

  /** Any change to a policy's rules changes the policy's fingerprint. */
  private async touch(tx: Tx, policy: StoredSecurityPolicy): Promise<void> {
    const fingerprint = newFingerprint();
    await this.policies.update(tx, { ...policy, fingerprint, resource: { ...policy.resource, fingerprint } });
  }
}
