import { relativeReference } from '@gke-emulator/common';
import type { WireObject } from '../../shared/compute-context';
import type {
  KindRequest,
  KindVerb,
  LoadBalancingKind,
  PreparedResource,
  ResourceReferenceInput,
} from '../load-balancing-kind';
import {
  enumField,
  floatField,
  invalid,
  present,
  referenceTo,
  regionOfZone,
  storedBody,
  stringList,
} from './kind-fields';
import { TARGET_POOL } from '../../shared/wire-schemas.generated';

const SESSION_AFFINITIES = ['NONE', 'CLIENT_IP', 'CLIENT_IP_PROTO'];
const INSTANCE = /^projects\/[^/]+\/zones\/([^/]+)\/instances\/[^/]+$/;

/** An instance link made relative; instances are not emulated, so only its shape and zone are checked. */
function instanceLink(project: string, region: string, link: string, field: string): string {
  const relative = relativeReference(project, link, 'zones');
  const zone = relative?.match(INSTANCE)?.[1];
  if (!relative || !zone) throw invalid(field, link, 'Must be a link to an instance.');
  if (regionOfZone(zone) !== region) {
    throw invalid(field, link, `Instances of a target pool must be in zones of region '${region}'.`);
  }
  return relative;
}

async function prepare({ ctx, scope, name, body, resolve }: KindRequest): Promise<PreparedResource> {
  const references: ResourceReferenceInput[] = [];
  const instances = [
    ...new Set(
      stringList(body['instances']).map((link, i) =>
        instanceLink(ctx.project, scope, link, `instances[${i}]`),
      ),
    ),
  ];
  const checks = stringList(body['healthChecks']);
  if (checks.length > 1) {
    throw invalid('healthChecks', checks.join(','), 'Only one health check may be specified.');
  }
  const healthChecks: string[] = [];
  for (const [index, link] of checks.entries()) {
    // Target pools take legacy HTTP health checks only; they are global, so a bare name means a global one.
    const global = link.includes('/') ? link : `global/httpHealthChecks/${link}`;
    const record = await resolve.loadBalancing(
      ['httpHealthChecks'],
      global,
      `resource.healthChecks[${index}]`,
    );
    healthChecks.push(String(record.resource['selfLink']));
    references.push(referenceTo(record));
  }
  const failoverRatio = floatField(body['failoverRatio'], 'resource.failoverRatio', 0, 1);
  const backupLink = typeof body['backupPool'] === 'string' ? body['backupPool'] : '';
  if ((failoverRatio === undefined) !== (backupLink === '')) {
    throw invalid(
      failoverRatio === undefined ? 'failoverRatio' : 'backupPool',
      '',
      'backupPool and failoverRatio must be set together.',
    );
  }
  const fields: WireObject = {
    ...present(body, ['description']),
    sessionAffinity: enumField(body, 'sessionAffinity', SESSION_AFFINITIES, 'NONE'),
    ...(instances.length > 0 ? { instances } : {}),
    ...(healthChecks.length > 0 ? { healthChecks } : {}),
  };
  if (backupLink !== '') {
    const backup = await resolve.loadBalancing(['targetPools'], backupLink, 'resource.backupPool');
    if (backup.scope !== scope || backup.name === name) {
      throw invalid('backupPool', backupLink, `Must be another target pool of region '${scope}'.`);
    }
    fields['backupPool'] = String(backup.resource['selfLink']);
    fields['failoverRatio'] = failoverRatio;
    references.push(referenceTo(backup));
  }
  return { fields, references };
}

type Change = (stored: WireObject, request: KindRequest & { query: Record<string, unknown> }) => WireObject;

/** A verb that edits one list of the stored pool and re-validates the result. */
function listVerb(bodyName: string, schema: KindVerb['schema'], change: Change): KindVerb {
  return {
    bodyName,
    schema,
    apply: (request) => prepare({ ...request, body: change(storedBody(request.current), request) }),
  };
}

function itemsOf(body: WireObject, list: string, key: string): string[] {
  const items = Array.isArray(body[list]) ? (body[list] as WireObject[]) : [];
  return items.map((item) => String(item[key] ?? ''));
}

const INSTANCES = { instances: { array: { object: { instance: 'string' } } } } as const;
const HEALTH_CHECKS = { healthChecks: { array: { object: { healthCheck: 'string' } } } } as const;

const VERBS: Record<string, KindVerb> = {
  addInstance: listVerb('targetPoolsAddInstanceRequestResource', INSTANCES, (stored, { body }) => ({
    ...stored,
    instances: [...stringList(stored['instances']), ...itemsOf(body, 'instances', 'instance')],
  })),
  removeInstance: listVerb('targetPoolsRemoveInstanceRequestResource', INSTANCES, (stored, { ctx, body }) => {
    const gone = new Set(
      itemsOf(body, 'instances', 'instance').map((l) => relativeReference(ctx.project, l, 'zones')),
    );
    return { ...stored, instances: stringList(stored['instances']).filter((l) => !gone.has(l)) };
  }),
  addHealthCheck: listVerb('targetPoolsAddHealthCheckRequestResource', HEALTH_CHECKS, (stored, { body }) => ({
    ...stored,
    healthChecks: [...stringList(stored['healthChecks']), ...itemsOf(body, 'healthChecks', 'healthCheck')],
  })),
  removeHealthCheck: listVerb(
    'targetPoolsRemoveHealthCheckRequestResource',
    HEALTH_CHECKS,
    (stored, { ctx, body }) => {
      const gone = new Set(
        itemsOf(body, 'healthChecks', 'healthCheck').map((l) =>
          relativeReference(ctx.project, l, 'global/httpHealthChecks'),
        ),
      );
      return { ...stored, healthChecks: stringList(stored['healthChecks']).filter((l) => !gone.has(l)) };
    },
  ),
  // `setBackup?failoverRatio=…` with the backup pool as `target`; no target removes the backup.
  setBackup: listVerb('targetReferenceResource', { target: 'string' }, (stored, { body, query }) => {
    const { backupPool: _b, failoverRatio: _f, ...rest } = stored;
    const target = typeof body['target'] === 'string' ? body['target'] : '';
    if (target === '') return rest;
    return { ...rest, backupPool: target, failoverRatio: query['failoverRatio'] ?? stored['failoverRatio'] };
  }),
};

/**
 * Target pools (`targetPools`, regional): the instances of an external passthrough Network Load Balancer (links
 * kept, instances are not emulated), one legacy HTTP health check and an optional backup pool (references).
 * Google has no patch or update for them; the add/remove verbs change them.
 */
export const TARGET_POOLS: LoadBalancingKind = {
  collection: 'targetPools',
  wireKind: 'compute#targetPool',
  resourceNoun: 'target_pool',
  scopes: 'regional',
  patchable: false,
  updatable: false,
  schema: TARGET_POOL,
  prepare,
  verbs: VERBS,
};
