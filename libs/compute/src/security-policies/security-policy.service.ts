import { Injectable } from '@nestjs/common';
import {
  applyListQuery,
  GoogleApiError,
  GoogleErrors,
  newFingerprint,
  newResourceId,
  parseWireBody,
  renderWire,
  sameFingerprint,
} from '@gke-emulator/common';
import { checkLabels } from '../load-balancing/kinds/kind-fields';
import { LoadBalancingRepository } from '../load-balancing/load-balancing.repository';
import { aggregateByScope, REGION_SCOPES } from '../shared/aggregated-list';
import type { ComputeContext, ListQuery, WireObject } from '../shared/compute-context';
import { assertResourceName } from '../shared/names';
import { newProjectNumber } from '../shared/project.repository';
import { computeTimestamp } from '../shared/timestamps';
import {
  type PreconfiguredExpressionSets,
  type RuleBody,
  preconfiguredExpressionSets,
  validateRules,
} from './cloud-armor.adapter';
import { DEFAULT_ALLOW_RULE, clearPath, storedRule } from './security-policy-rule.wire';
import { policyInUse, securityPolicyPath, staleFingerprint } from './security-policy.errors';
import {
  type SecurityPolicyWithRules,
  SecurityPolicyRepository,
  type StoredSecurityPolicy,
} from './security-policy.repository';
import { SECURITY_POLICY_SCHEMA } from './security-policy.schema';
import { OperationFailure, SecurityPolicyWriter } from './security-policy.writer';

interface PolicyBody extends WireObject {
  name?: string;
  description?: string;
  type?: string;
  fingerprint?: string;
  labels?: Record<string, string>;
  rules?: RuleBody[];
}

export const POLICY_TYPES: readonly string[] = ['CLOUD_ARMOR', 'CLOUD_ARMOR_EDGE', 'CLOUD_ARMOR_NETWORK'];
/** Fields the server owns: accepted in bodies (clients send back what they read) and ignored. */
const OUTPUT_ONLY = [
  'kind',
  'id',
  'creationTimestamp',
  'selfLink',
  'selfLinkWithId',
  'region',
  'fingerprint',
  'labelFingerprint',
  'rules',
];
/** The fingerprint Compute shows for an empty label set. */
const EMPTY_LABELS_FINGERPRINT = '42WmSpB8rSM=';

const sortKeys = (item: WireObject) => ({
  name: String(item['name']),
  creationTimestamp: String(item['creationTimestamp']),
});

@Injectable()
export class SecurityPolicyService {
  constructor(
    private readonly policies: SecurityPolicyRepository,
    private readonly writer: SecurityPolicyWriter,
    private readonly references: LoadBalancingRepository,
  ) {}

  async get(ctx: ComputeContext, scope: string, name: string): Promise<WireObject> {
    const policy = await this.policies.find(ctx.project, scope, name);
    if (!policy) throw GoogleErrors.notFound(securityPolicyPath(ctx.project, scope, name));
    return render(policy, ctx.base);
  }

  async list(ctx: ComputeContext, scope: string, query: ListQuery) {
    return this.listOf(ctx, scope, query);
  }

  private async listOf(ctx: ComputeContext, scope: string | null, query: ListQuery) {
    const items = (await this.policies.list(ctx.project, scope)).map((policy) => render(policy, ctx.base));
    return applyListQuery(items, query, sortKeys);
  }

  /** Global policies under `global`, regional ones under their region, every other region listed empty. */
  async aggregatedList(ctx: ComputeContext, query: ListQuery) {
    const page = await this.listOf(ctx, null, query);
    return {
      items: aggregateByScope(page.items, 'securityPolicies', ['global', ...REGION_SCOPES]),
      nextPageToken: page.nextPageToken,
    };
  }

  listPreconfiguredExpressionSets(): PreconfiguredExpressionSets {
    return preconfiguredExpressionSets();
  }

  async insert(
    ctx: ComputeContext,
    scope: string,
    rawBody: unknown,
    requestId?: string,
  ): Promise<WireObject> {
    const body = parseWireBody<PolicyBody>(rawBody, SECURITY_POLICY_SCHEMA);
    const name = assertResourceName(body.name);
    const type = policyType(body.type ?? 'CLOUD_ARMOR');
    if (body.labels !== undefined) checkLabels(body.labels);
    const rules = validatedRules(body.rules) ?? [DEFAULT_ALLOW_RULE];
    const id = newResourceId();
    const path = securityPolicyPath(ctx.project, scope, name);
    const fingerprint = newFingerprint();
    const policy: StoredSecurityPolicy = {
      id,
      project: ctx.project,
      scope,
      name,
      fingerprint,
      resource: {
        ...settableFields(body),
        kind: 'compute#securityPolicy',
        id: id.toString(),
        creationTimestamp: computeTimestamp(new Date()),
        name,
        type,
        fingerprint,
        labelFingerprint: labelFingerprintOf(body.labels),
        ...(scope === 'global' ? {} : { region: `projects/${ctx.project}/regions/${scope}` }),
        selfLink: path,
      },
    };
    return this.writer.insertInOneStatement(
      ctx,
      { path, id, scope },
      (op) => this.policies.insertWithOperation(policy, rules, op, newProjectNumber()),
      {
        requestId,
        onConstraint: (v) =>
          v.constraint === 'security_policy_project_id_scope_name_key'
            ? GoogleErrors.alreadyExists(path)
            : null,
      },
    );
  }

  /**
   * PATCH merges the given policy fields and needs the current `fingerprint`. The API reference says patch
   * "cannot be used to update the rules", yet real Compute replaces the rule set when `rules` is sent (recorded
   * KCC exchanges; `gcloud compute security-policies import` relies on it), so a non-empty `rules` does too.
   */
  async patch(
    ctx: ComputeContext,
    scope: string,
    name: string,
    rawBody: unknown,
    options: { requestId?: string; updateMask: readonly string[] },
  ): Promise<WireObject> {
    const body = parseWireBody<PolicyBody>(rawBody, SECURITY_POLICY_SCHEMA);
    if (body.name !== undefined && body.name !== name) {
      throw GoogleErrors.invalidFieldValue('resource.name', body.name, 'Field cannot be changed.');
    }
    if (body.type !== undefined) policyType(body.type);
    if (body.labels !== undefined) checkLabels(body.labels);
    if (body.fingerprint === undefined || body.fingerprint === '')
      throw GoogleErrors.required('resource.fingerprint');
    const given = body.fingerprint;
    const rules = validatedRules(body.rules);
    return this.writer.mutate(
      ctx,
      scope,
      name,
      'patch',
      async (tx, current) => {
        if (!sameFingerprint(given, current.fingerprint)) throw staleFingerprint();
        const resource: WireObject = { ...current.resource, ...settableFields(body) };
        for (const path of options.updateMask) if (clearable(path)) clearPath(resource, path);
        const fingerprint = newFingerprint();
        resource['fingerprint'] = fingerprint;
        if (body.labels !== undefined) resource['labelFingerprint'] = labelFingerprintOf(body.labels);
        await this.policies.update(tx, { ...current, fingerprint, resource });
        if (rules) await this.policies.replaceRules(tx, current.id, rules);
      },
      { requestId: options.requestId },
    );
  }

  /**
   * A policy still attached to a backend service (its `securityPolicy`/`edgeSecurityPolicy`, recorded in
   * resource_reference) stays: the operation fails with RESOURCE_IN_USE_BY_ANOTHER_RESOURCE naming the first user.
   * The policy row is locked first, so an attachment cannot slip in between the check and the delete.
   */
  async delete(ctx: ComputeContext, scope: string, name: string, requestId?: string): Promise<WireObject> {
    return this.writer.mutate(
      ctx,
      scope,
      name,
      'delete',
      async (tx, policy) => {
        const [user] = await this.references.usersOf({ securityPolicyId: policy.id }, tx);
        if (user)
          return new OperationFailure(policyInUse(securityPolicyPath(ctx.project, scope, name), user));
        await this.policies.delete(tx, policy.id);
      },
      { requestId },
    );
  }
}

function render(policy: SecurityPolicyWithRules, base: string): WireObject {
  return renderWire({ ...policy.resource, rules: policy.rules }, base);
}

function policyType(value: string): string {
  if (POLICY_TYPES.includes(value)) return value;
  throw new GoogleApiError(
    400,
    'invalid',
    `Invalid value at 'resource.type' (type.googleapis.com/google.cloud.compute.v1.SecurityPolicy.Type), ${JSON.stringify(value)}`,
  );
}

/** updateMask clears client fields; the server's, the name and the type stay whatever the mask says. */
function clearable(path: string): boolean {
  const field = path.split('.')[0] ?? '';
  return field !== 'name' && field !== 'type' && !OUTPUT_ONLY.includes(field);
}

/** The client's fields, without the server-owned ones. */
function settableFields(body: PolicyBody): WireObject {
  return Object.fromEntries(
    Object.entries(body).filter(([key]) => key !== 'name' && !OUTPUT_ONLY.includes(key)),
  );
}

/** Rules given at insert (or patch), validated and stored with Google's round-trip defaults; none → undefined. */
function validatedRules(inputs: RuleBody[] | undefined): WireObject[] | undefined {
  if (!inputs || inputs.length === 0) return undefined;
  const rules = validateRules(inputs);
  const byPriority = new Map<number, RuleBody>();
  for (const input of inputs) byPriority.set(Number(input.priority), input);
  return rules.map((rule) => storedRule(byPriority.get(rule.priority) ?? {}, rule.priority));
}

function labelFingerprintOf(labels: Record<string, string> | undefined): string {
  return labels && Object.keys(labels).length > 0 ? newFingerprint() : EMPTY_LABELS_FINGERPRINT;
}
