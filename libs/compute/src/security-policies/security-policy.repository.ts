import { Injectable } from '@nestjs/common';
import { Database, type Tx } from '@gke-emulator/db';
import type { StoredOperation } from '../operations/operation.model';
import type { WireObject } from '../shared/compute-context';

/** A policy row: `resource` is the policy without its rules, which live one row per priority. */
export interface StoredSecurityPolicy {
  id: bigint;
  project: string;
  /** `global` or a region name */
  scope: string;
  name: string;
  fingerprint: string;
  resource: WireObject;
}

/** A policy with its rules in priority order (the default rule, 2147483647, last). */
export interface SecurityPolicyWithRules extends StoredSecurityPolicy {
  rules: WireObject[];
}

type PolicyRow = {
  id: bigint;
  projectId: string;
  scope: string;
  name: string;
  fingerprint: string;
  resource: unknown;
};
type RuleRow = { priority: number; resource: unknown };

function toStored(row: PolicyRow): StoredSecurityPolicy {
  return {
    id: row.id,
    project: row.projectId,
    scope: row.scope,
    name: row.name,
    fingerprint: row.fingerprint,
    resource: row.resource as WireObject,
  };
}

function withRules(row: PolicyRow & { rules: RuleRow[] }): SecurityPolicyWithRules {
  return { ...toStored(row), rules: row.rules.map((rule) => rule.resource as WireObject) };
}

const RULES_IN_ORDER = { rules: { orderBy: { priority: 'asc' as const } } };

@Injectable()
export class SecurityPolicyRepository {
  constructor(private readonly db: Database) {}

  /**
   * An insert in one statement: the project (when new), the policy, all its rules and the operation. No
   * interactive transaction, whose round trips cost more than the writes themselves for a policy of hundreds of
   * rules; one statement is atomic all the same, and the unique name and rule keys still decide races.
   */
  async insertWithOperation(
    policy: StoredSecurityPolicy,
    rules: readonly WireObject[],
    op: StoredOperation,
    projectNumber: bigint,
  ): Promise<void> {
    await this.db.query(
      `with p as (insert into project (id, number) values ($1, $2) on conflict (id) do nothing),
            s as (insert into security_policy (id, project_id, scope, name, fingerprint, resource)
                  values ($3, $1, $15, $4, $5, $6) returning id),
            r as (insert into security_policy_rule (policy_id, priority, resource)
                  select s.id, (x.rule->>'priority')::int, x.rule from s, jsonb_array_elements($7::jsonb) as x(rule)),
            o as (insert into operation (id, project_id, name, scope, client_operation_id, insert_time, done_at, resource)
                  select $8, $1, $9, $10, $11, $12, $13, $14 from s)
       select 1`,
      [
        policy.project,
        projectNumber.toString(),
        policy.id.toString(),
        policy.name,
        policy.fingerprint,
        policy.resource,
        JSON.stringify(rules),
        op.id.toString(),
        op.name,
        op.scope,
        op.resource['clientOperationId'] ?? null,
        op.insertTime,
        op.doneAt,
        op.resource,
        policy.scope,
      ],
    );
  }

  async find(project: string, scope: string, name: string): Promise<SecurityPolicyWithRules | null> {
    const row = await this.db.prisma.securityPolicy.findUnique({
      where: { projectId_scope_name: { projectId: project, scope, name } },
      include: RULES_IN_ORDER,
    });
    return row ? withRules(row) : null;
  }

  /** The policies of one scope, or of every scope when `scope` is null (aggregated lists). */
  async list(project: string, scope: string | null): Promise<SecurityPolicyWithRules[]> {
    const rows = await this.db.prisma.securityPolicy.findMany({
      where: { projectId: project, ...(scope === null ? {} : { scope }) },
      include: RULES_IN_ORDER,
    });
    return rows.map(withRules);
  }

  /** Locks the policy row: every change to a policy or its rules is serialised on it. */
  async findForUpdate(
    tx: Tx,
    project: string,
    scope: string,
    name: string,
  ): Promise<StoredSecurityPolicy | null> {
    const rows = await tx.$queryRaw<PolicyRow[]>`
      select id, project_id as "projectId", scope, name, fingerprint, resource from security_policy
      where project_id = ${project} and scope = ${scope} and name = ${name} for update`;
    return rows[0] ? toStored(rows[0]) : null;
  }

  async update(tx: Tx, policy: StoredSecurityPolicy): Promise<void> {
    await tx.securityPolicy.update({
      where: { id: policy.id },
      data: { fingerprint: policy.fingerprint, resource: policy.resource as object },
    });
  }

  async delete(tx: Tx, id: bigint): Promise<void> {
    await tx.securityPolicy.delete({ where: { id } });
  }

  async findRule(policyId: bigint, priority: number, tx?: Tx): Promise<WireObject | null> {
    const row = await (tx ?? this.db.prisma).securityPolicyRule.findUnique({
      where: { policyId_priority: { policyId, priority } },
    });
    return row ? (row.resource as WireObject) : null;
  }

  /** A second rule at a taken priority violates security_policy_rule_pkey: the primary key decides races. */
  async insertRule(tx: Tx, policyId: bigint, rule: WireObject): Promise<void> {
    await this.insertRules(tx, policyId, [rule]);
  }

  async updateRule(tx: Tx, policyId: bigint, rule: WireObject): Promise<void> {
    await tx.securityPolicyRule.update({
      where: { policyId_priority: { policyId, priority: Number(rule['priority']) } },
      data: { resource: rule as object },
    });
  }

  /** Whether there was a rule at `priority` to delete. */
  async deleteRule(tx: Tx, policyId: bigint, priority: number): Promise<boolean> {
    return (await tx.securityPolicyRule.deleteMany({ where: { policyId, priority } })).count > 0;
  }

  async replaceRules(tx: Tx, policyId: bigint, rules: readonly WireObject[]): Promise<void> {
    await tx.securityPolicyRule.deleteMany({ where: { policyId } });
    await this.insertRules(tx, policyId, rules);
  }

  /** All rules in one statement: a policy may carry hundreds, and Prisma's createMany costs per row. */
  private async insertRules(tx: Tx, policyId: bigint, rules: readonly WireObject[]): Promise<void> {
    if (rules.length === 0) return;
    const priorities = rules.map((rule) => Number(rule['priority']));
    const resources = JSON.stringify(rules);
    await tx.$executeRaw`
      insert into security_policy_rule (policy_id, priority, resource)
      select ${policyId}, p.priority, r.resource
      from unnest(${priorities}::int[]) with ordinality as p(priority, n)
      join jsonb_array_elements(${resources}::jsonb) with ordinality as r(resource, n) using (n)`;
  }
}
