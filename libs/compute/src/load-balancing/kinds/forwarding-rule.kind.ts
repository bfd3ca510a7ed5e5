import { GoogleErrors, sameFingerprint } from '@gke-emulator/common';
import type { Database, Tx } from '@gke-emulator/db';
import { parseCidr, parseIpv4 } from '@gke-emulator/netaddr';
import type { WireObject } from '../../shared/compute-context';
import { NAME_PATTERN } from '../../shared/names';
import type { KindRequest, KindVerb, LoadBalancingKind, PreparedResource } from '../load-balancing-kind';
import { addressOf, checkOverlap } from './forwarding-rule.address';
import { destinationOf, placementOf } from './forwarding-rule.destination';
import { ForwardingRuleIps } from './forwarding-rule-ips.repository';
import { portsOf } from './forwarding-rule.ports';
import {
  checkFingerprint,
  checkLabels,
  enumField,
  fingerprint,
  GLOBAL,
  invalid,
  labelFingerprintOf,
  present,
  storedBody,
  stringList,
} from './kind-fields';
import {
  FORWARDING_RULE,
  REGION_SET_LABELS_REQUEST,
  TARGET_REFERENCE,
} from '../../shared/wire-schemas.generated';

const SCHEMES = ['EXTERNAL', 'EXTERNAL_MANAGED', 'INTERNAL', 'INTERNAL_MANAGED', 'INTERNAL_SELF_MANAGED'];
export const PROTOCOLS = ['TCP', 'UDP', 'ESP', 'AH', 'SCTP', 'ICMP', 'L3_DEFAULT'];
/** What a patch may change (compute.proto: "you can only patch the network_tier field", and global access). */
const PATCHABLE = ['networkTier', 'allowGlobalAccess', 'sourceIpRanges', 'fingerprint'];

type Mode = 'write' | 'patch' | 'verb';

/** The optional fields each allowed only for some rules. */
function extrasOf(request: KindRequest, scheme: string): WireObject {
  const { ctx, scope, name, body } = request;
  const regionalInternal = scope !== GLOBAL && scheme.startsWith('INTERNAL');
  const out: WireObject = {};
  if (body['allowGlobalAccess'] === true) {
    if (!regionalInternal) {
      throw invalid(
        'allowGlobalAccess',
        'true',
        'Global access applies to regional internal forwarding rules only.',
      );
    }
    out['allowGlobalAccess'] = true;
  }
  const label = body['serviceLabel'];
  if (typeof label === 'string' && label !== '') {
    if (scheme !== 'INTERNAL')
      throw invalid('serviceLabel', label, 'Service labels apply to INTERNAL rules only.');
    if (!NAME_PATTERN.test(label)) throw invalid('serviceLabel', label, 'Must comply with RFC1035.');
    out['serviceLabel'] = label;
    out['serviceName'] = `${label}.${name}.il4.${scope}.lb.${ctx.project}.internal`;
  }
  const sources = stringList(body['sourceIpRanges']);
  if (sources.length > 0) {
    if (scope === GLOBAL || scheme !== 'EXTERNAL') {
      throw invalid(
        'sourceIpRanges',
        sources.join(','),
        'Source IP ranges apply to regional EXTERNAL rules only.',
      );
    }
    if (sources.length > 64) throw invalid('sourceIpRanges', '', 'At most 64 source IP ranges can be set.');
    sources.forEach((source, i) => {
      if (parseIpv4(source) === null && !parseCidr(source).ok) {
        throw invalid(`sourceIpRanges[${i}]`, source, 'Must be an IP address or a CIDR range.');
      }
    });
    out['sourceIpRanges'] = sources;
  }
  if (body['isMirroringCollector'] === true) {
    if (scheme !== 'INTERNAL')
      throw invalid('isMirroringCollector', 'true', 'Applies to INTERNAL rules only.');
    out['isMirroringCollector'] = true;
  }
  return out;
}

/** A patch changes only what Google lets it change; everything else must come back as it is stored. */
function checkUnchanged(fields: WireObject, current: WireObject): void {
  const { name: _name, ...stored } = storedBody(current);
  for (const key of new Set([...Object.keys(fields), ...Object.keys(stored)])) {
    // Derived fields follow the field they derive from, which is compared itself.
    if (PATCHABLE.includes(key) || key === 'labelFingerprint' || key === 'serviceName') continue;
    if (JSON.stringify(fields[key]) !== JSON.stringify(stored[key])) {
      throw invalid(key, fields[key] ?? '', 'This field cannot be changed by a patch request.');
    }
  }
}

async function build(request: KindRequest, mode: Mode, ips: ForwardingRuleIps): Promise<PreparedResource> {
  const { ctx, scope, name, body, current } = request;
  if (mode === 'patch') checkFingerprint(body, current);
  const scheme = enumField(body, 'loadBalancingScheme', SCHEMES, 'EXTERNAL');
  if (scope === GLOBAL && scheme === 'INTERNAL') {
    throw invalid('loadBalancingScheme', scheme, 'INTERNAL forwarding rules are regional.');
  }
  if (scope !== GLOBAL && scheme === 'INTERNAL_SELF_MANAGED') {
    throw invalid('loadBalancingScheme', scheme, 'INTERNAL_SELF_MANAGED forwarding rules are global.');
  }
  const internal = scheme.startsWith('INTERNAL');
  const protocol = enumField(body, 'IPProtocol', PROTOCOLS, 'TCP');
  const tier = enumField(body, 'networkTier', ['PREMIUM', 'STANDARD'], 'PREMIUM');
  if (tier === 'STANDARD' && (scope === GLOBAL || internal)) {
    throw invalid(
      'networkTier',
      tier,
      scope === GLOBAL
        ? 'Global forwarding rules must use the PREMIUM network tier.'
        : 'Internal forwarding rules must use the PREMIUM network tier.',
    );
  }
  // Labels "can only be added or modified by the setLabels method" (compute.proto): an insert ignores them, as
  // the recordings show (2024 and 2026).
  const labels = mode === 'write' ? {} : ((body['labels'] as Record<string, string> | undefined) ?? {});
  checkLabels(labels);
  const destination = await destinationOf(request, scheme, protocol);
  const placement = await placementOf(request, internal, scheme);
  const ports = portsOf(body, protocol, scheme, destination.kind);
  const extras = extrasOf(request, scheme);
  const context = { request, ips, internal, tier, placement, self: { project: ctx.project, scope, name } };
  const address = await addressOf(context);
  // An ephemeral IP is free of every rule of its space by construction: only a given one can overlap.
  if (!address.allocate) await checkOverlap(context, address.ip, protocol, ports.ranges);

  const fields: WireObject = {
    description: body['description'] ?? '',
    IPAddress: address.ip,
    IPProtocol: protocol,
    ...ports.fields,
    loadBalancingScheme: scheme,
    ...destination.fields,
    ...placement.fields,
    networkTier: tier,
    ...extras,
    ...present(body, ['ipVersion', 'metadataFilters']),
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    labelFingerprint: labelFingerprintOf(labels),
    ...fingerprint(),
  };
  if (mode === 'patch' && current) checkUnchanged(fields, current);
  const allocate = address.allocate;
  return {
    fields,
    ...(allocate ? { complete: async (tx: Tx) => ({ IPAddress: await allocate(tx) }) } : {}),
    references: [
      destination.reference,
      ...placement.references,
      ...(address.reference ? [address.reference] : []),
    ],
  };
}

export function forwardingRuleVerbs(ips: ForwardingRuleIps): Record<string, KindVerb> {
  return {
    // `setTarget`: another target of the same kind of load balancer (body `targetReference`).
    setTarget: {
      bodyName: 'targetReferenceResource',
      operationType: 'SetTarget', // sic, recorded from Google Cloud

      schema: TARGET_REFERENCE,
      apply: (request) =>
        build(
          { ...request, body: { ...storedBody(request.current), target: request.body['target'] } },
          'verb',
          ips,
        ),
    },
    // `setLabels`: labels change only here, against the current label fingerprint (412 when stale).
    setLabels: {
      bodyName: 'regionSetLabelsRequestResource',
      schema: REGION_SET_LABELS_REQUEST,
      apply(request) {
        const labels = (request.body['labels'] as Record<string, string> | undefined) ?? {};
        checkLabels(labels, 'labels');
        const given = request.body['labelFingerprint'];
        const currentFingerprint = String(request.current['labelFingerprint'] ?? '');
        if (typeof given !== 'string' || !sameFingerprint(given, currentFingerprint)) {
          throw GoogleErrors.conditionNotMet(
            'Labels fingerprint either invalid or resource labels have changed',
          );
        }
        return build({ ...request, body: { ...storedBody(request.current), labels } }, 'verb', ips);
      },
    },
  };
}

/**
 * Forwarding rules (`forwardingRules`, regional and global): the IP (ephemeral, given, or a reserved address
 * that then shows IN_USE), protocol and ports, and what they forward to (a target pool or HTTP proxy, or a
 * backend service for passthrough load balancers), with Google's defaults and its overlap rule. They need the
 * database for addresses, hence a factory.
 */
export function forwardingRules(db: Database): LoadBalancingKind {
  const ips = new ForwardingRuleIps(db);
  return {
    collection: 'forwardingRules',
    wireKind: 'compute#forwardingRule',
    resourceNoun: 'forwarding_rule',
    scopes: 'both',
    patchable: true,
    updatable: false,
    schema: FORWARDING_RULE,
    prepare: (request) => build(request, request.current ? 'patch' : 'write', ips),
    verbs: forwardingRuleVerbs(ips),
    usersBeyondReferences: (tx, record) => ips.routesThrough(tx, record),
  };
}
