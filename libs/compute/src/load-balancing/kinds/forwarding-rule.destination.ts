import { GoogleErrors } from '@gke-emulator/common';
import type { WireObject } from '../../shared/compute-context';
import type { KindRequest, LoadBalancingRecord, ResourceReferenceInput } from '../load-balancing-kind';
import type { Destination } from './forwarding-rule.ports';
import { GLOBAL, invalid, referenceTo } from './kind-fields';

export interface DestinationOf {
  kind: Destination;
  fields: WireObject;
  reference: ResourceReferenceInput;
}

export interface Placement {
  fields: WireObject;
  references: ResourceReferenceInput[];
  network?: { id: bigint; link: string };
  subnetwork?: { id: bigint; link: string };
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Targets by scope, and the proxies that route by a URL map (the others forward to a backend service). */
const GLOBAL_TARGETS = [
  'targetHttpProxies',
  'targetHttpsProxies',
  'targetTcpProxies',
  'targetSslProxies',
  'targetGrpcProxies',
];
const REGIONAL_TARGETS = ['targetPools', 'targetHttpProxies', 'targetHttpsProxies', 'targetTcpProxies'];
const URL_MAP_TARGETS = ['targetHttpProxies', 'targetHttpsProxies', 'targetGrpcProxies'];

/** The scheme of the backend services behind a proxy (through its URL map's default service), if any. */
async function proxyScheme(
  { resolve }: KindRequest,
  proxy: LoadBalancingRecord,
): Promise<string | undefined> {
  const urlMap = await resolve.loadBalancing(
    ['urlMaps'],
    String(proxy.resource['urlMap']),
    'resource.target',
  );
  const service = urlMap.resource['defaultService'];
  if (typeof service !== 'string') return undefined;
  const backend = await resolve.loadBalancing(
    ['backendServices', 'backendBuckets'],
    service,
    'resource.target',
  );
  // A backend bucket serves any external Application Load Balancer: it has no scheme of its own.
  if (backend.kind === 'backendBuckets') return undefined;
  return String(backend.resource['loadBalancingScheme']);
}

/** The scheme of the backend service behind a TCP or SSL proxy. */
async function serviceScheme({ resolve }: KindRequest, proxy: LoadBalancingRecord): Promise<string> {
  const backend = await resolve.loadBalancing(
    ['backendServices'],
    String(proxy.resource['service']),
    'resource.target',
  );
  return String(backend.resource['loadBalancingScheme']);
}

async function targetOf(request: KindRequest, link: string, scheme: string, protocol: string) {
  const { scope } = request;
  if (scheme === 'INTERNAL') {
    throw invalid(
      'target',
      link,
      'INTERNAL forwarding rules send traffic to a backendService, not a target.',
    );
  }
  const kinds = scope === GLOBAL ? GLOBAL_TARGETS : REGIONAL_TARGETS;
  const target = await request.resolve.loadBalancing(kinds, link, 'resource.target');
  if (target.scope !== scope) {
    throw invalid(
      'target',
      link,
      scope === GLOBAL
        ? 'A global forwarding rule needs a global target.'
        : `The target must be in the region of the forwarding rule ('${scope}').`,
    );
  }
  if (target.kind === 'targetPools' && scheme !== 'EXTERNAL') {
    throw invalid('loadBalancingScheme', scheme, 'Target pools serve EXTERNAL forwarding rules only.');
  }
  if (target.kind === 'targetGrpcProxies' && scheme !== 'INTERNAL_SELF_MANAGED') {
    throw invalid(
      'loadBalancingScheme',
      scheme,
      'A target gRPC proxy serves INTERNAL_SELF_MANAGED forwarding rules only.',
    );
  }
  if (target.kind !== 'targetPools') {
    if (protocol !== 'TCP') throw invalid('IPProtocol', protocol, 'A target proxy takes TCP traffic only.');
    const backendScheme = URL_MAP_TARGETS.includes(target.kind)
      ? await proxyScheme(request, target)
      : await serviceScheme(request, target);
    if (backendScheme !== undefined && backendScheme !== scheme) {
      throw invalid(
        'loadBalancingScheme',
        scheme,
        `The backend services of the target use load balancing scheme ${backendScheme}; the forwarding rule must use the same.`,
      );
    }
  }
  return target;
}

async function backendServiceOf(request: KindRequest, link: string, scheme: string, protocol: string) {
  const { scope } = request;
  if (scope === GLOBAL || (scheme !== 'INTERNAL' && scheme !== 'EXTERNAL')) {
    throw invalid(
      'backendService',
      link,
      'Only regional INTERNAL and EXTERNAL passthrough forwarding rules use a backendService; others use a target.',
    );
  }
  const service = await request.resolve.loadBalancing(['backendServices'], link, 'resource.backendService');
  if (service.scope !== scope) {
    throw invalid('backendService', link, `The backend service must be in region '${scope}'.`);
  }
  const serviceScheme = String(service.resource['loadBalancingScheme']);
  if (serviceScheme !== scheme) {
    throw invalid(
      'backendService',
      link,
      `The backend service has load balancing scheme ${serviceScheme}; the forwarding rule uses ${scheme}.`,
    );
  }
  const serviceProtocol = String(service.resource['protocol']);
  const matches =
    serviceProtocol === 'UNSPECIFIED' ? true : protocol !== 'L3_DEFAULT' && serviceProtocol === protocol;
  if (!matches) {
    throw invalid(
      'IPProtocol',
      protocol,
      `Must match the protocol of the backend service (${serviceProtocol}).`,
    );
  }
  return service;
}

/** `target` xor `backendService`: what the rule forwards to, as a reference. */
export async function destinationOf(
  request: KindRequest,
  scheme: string,
  protocol: string,
): Promise<DestinationOf> {
  const target = text(request.body['target']);
  const backendService = text(request.body['backendService']);
  if (target !== '' && backendService !== '') {
    throw invalid(
      'backendService',
      backendService,
      'A forwarding rule has either a target or a backendService.',
    );
  }
  if (target === '' && backendService === '') {
    throw GoogleErrors.required(scheme === 'INTERNAL' ? 'resource.backendService' : 'resource.target');
  }
  if (target !== '') {
    const record = await targetOf(request, target, scheme, protocol);
    return {
      kind: record.kind as Destination,
      fields: { target: String(record.resource['selfLink']) },
      reference: referenceTo(record),
    };
  }
  const record = await backendServiceOf(request, backendService, scheme, protocol);
  return {
    kind: 'backendServices',
    fields: { backendService: String(record.resource['selfLink']) },
    reference: referenceTo(record),
  };
}

/**
 * `network` and `subnetwork`: internal rules live in a subnetwork (which gives the network, and the range an
 * ephemeral address comes from); external ones have neither, except the network of a regional EXTERNAL_MANAGED
 * rule (its proxy-only subnet's network).
 */
export async function placementOf(
  request: KindRequest,
  internal: boolean,
  scheme: string,
): Promise<Placement> {
  const { scope, body, resolve } = request;
  const subnetLink = text(body['subnetwork']);
  const networkLink = text(body['network']);
  if (scheme === 'INTERNAL_SELF_MANAGED') {
    // Traffic Director rules live in a network (the project's `default` one unless given), in no subnetwork.
    if (subnetLink !== '') {
      throw invalid('subnetwork', subnetLink, 'INTERNAL_SELF_MANAGED forwarding rules have no subnetwork.');
    }
    const network = await resolve.network(networkLink || 'global/networks/default', 'resource.network');
    return {
      fields: { network: network.link },
      references: [{ targetLink: network.link, target: { networkId: network.id } }],
      network,
    };
  }
  if (!internal) {
    if (subnetLink !== '') {
      throw invalid('subnetwork', subnetLink, 'Only internal forwarding rules have a subnetwork.');
    }
    if (networkLink === '') return { fields: {}, references: [] };
    if (scope === GLOBAL || scheme !== 'EXTERNAL_MANAGED') {
      throw invalid(
        'network',
        networkLink,
        'Only internal and regional EXTERNAL_MANAGED forwarding rules have a network.',
      );
    }
    const network = await resolve.network(networkLink, 'resource.network');
    return {
      fields: { network: network.link },
      references: [{ targetLink: network.link, target: { networkId: network.id } }],
      network,
    };
  }
  if (subnetLink === '') throw GoogleErrors.required('resource.subnetwork');
  const subnet = await resolve.subnetwork(subnetLink, 'resource.subnetwork');
  if (scope !== GLOBAL && subnet.region !== scope) {
    throw invalid('subnetwork', subnetLink, `The subnetwork must be in region '${scope}'.`);
  }
  const network = await resolve.network(networkLink || subnet.networkLink, 'resource.network');
  if (network.link !== subnet.networkLink) {
    throw invalid('network', networkLink, 'The subnetwork does not belong to this network.');
  }
  return {
    fields: { network: network.link, subnetwork: subnet.link },
    references: [
      { targetLink: network.link, target: { networkId: network.id } },
      { targetLink: subnet.link, target: { subnetworkId: subnet.id } },
    ],
    network,
    subnetwork: { id: subnet.id, link: subnet.link },
  };
}
