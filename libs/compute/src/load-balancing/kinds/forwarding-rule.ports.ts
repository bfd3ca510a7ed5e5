import type { WireObject } from '../../shared/compute-context';
import { invalid } from './kind-fields';

export type PortRange = readonly [number, number];

export interface PortSpec {
  /** `portRange`, `ports` or `allPorts` as stored, or nothing for protocols without ports */
  fields: WireObject;
  /** the ports the rule takes, for the overlap rule */
  ranges: PortRange[];
}

/** What the rule forwards to decides which port fields apply. */
export type Destination =
  | 'targetPools'
  | 'targetHttpProxies'
  | 'targetHttpsProxies'
  | 'targetTcpProxies'
  | 'targetSslProxies'
  | 'targetGrpcProxies'
  | 'backendServices';

const ALL: PortRange = [1, 65535];
const PROXY_NOUNS: Partial<Record<Destination, string>> = {
  targetHttpProxies: 'target HTTP proxy',
  targetHttpsProxies: 'target HTTPS proxy',
  targetGrpcProxies: 'target gRPC proxy',
};
const PORT_PATTERN = /^(\d+)(?:-(\d+))?$/;
const PORTLESS = ['ESP', 'AH', 'ICMP'];

function parseRange(value: string, field: string): PortRange {
  const match = value.match(PORT_PATTERN);
  const low = Number(match?.[1]);
  const high = match?.[2] === undefined ? low : Number(match[2]);
  if (!match || low < 1 || high > 65535 || low > high) {
    throw invalid(field, value, 'Must be a port or a port range (e.g. 80 or 8000-8080) within 1-65535.');
  }
  return [low, high];
}

/**
 * `portRange`, `ports` (at most five) and `allPorts` are mutually exclusive (compute.proto). `portRange` serves
 * target-based rules and external passthrough ones; `ports` and `allPorts` serve backend-service rules only.
 * Without any, Google forwards every port of a target pool or external backend service (`1-65535`), and port
 * 80 of an HTTP proxy; internal passthrough rules must say which ports.
 */
export function portsOf(
  body: WireObject,
  protocol: string,
  scheme: string,
  destination: Destination,
): PortSpec {
  const given = ['portRange', 'ports', 'allPorts'].filter((field) =>
    field === 'allPorts'
      ? body[field] === true
      : body[field] !== undefined &&
        body[field] !== '' &&
        !(Array.isArray(body[field]) && !body[field].length),
  );
  if (given.length > 1) {
    throw invalid(given[1] as string, '', `${given.join(' and ')} are mutually exclusive.`);
  }
  const field = given[0];
  if (PORTLESS.includes(protocol)) {
    if (field) throw invalid(field, '', `Ports cannot be specified for IP protocol ${protocol}.`);
    return { fields: {}, ranges: [ALL] };
  }
  if (protocol === 'L3_DEFAULT' && field !== 'allPorts') {
    throw invalid('allPorts', 'false', 'The L3_DEFAULT protocol requires allPorts to be true.');
  }
  if (field !== undefined && field !== 'portRange' && destination !== 'backendServices') {
    throw invalid(field, '', `${field} can only be used with a backendService; use portRange with a target.`);
  }
  if (field === 'portRange') {
    const value = String(body['portRange']);
    if (scheme === 'INTERNAL') {
      throw invalid('portRange', value, 'INTERNAL forwarding rules take ports or allPorts, not portRange.');
    }
    const range = parseRange(value, 'portRange');
    checkProxyPort(range, value, scheme, destination);
    return { fields: { portRange: `${range[0]}-${range[1]}` }, ranges: [range] };
  }
  if (field === 'ports') {
    const ports = (body['ports'] as unknown[]).map(String);
    if (ports.length > 5) throw invalid('ports', ports.join(','), 'At most five ports can be specified.');
    const ranges = ports.map((port, i) => parseRange(port, `ports[${i}]`));
    return { fields: { ports }, ranges };
  }
  if (field === 'allPorts') return { fields: { allPorts: true }, ranges: [ALL] };
  if (scheme === 'INTERNAL') {
    throw invalid('ports', '', 'INTERNAL forwarding rules must specify ports or allPorts.');
  }
  if (destination === 'targetHttpProxies') return { fields: { portRange: '80-80' }, ranges: [[80, 80]] };
  if (destination === 'targetHttpsProxies') return { fields: { portRange: '443-443' }, ranges: [[443, 443]] };
  return { fields: { portRange: '1-65535' }, ranges: [ALL] };
}

/** Application Load Balancers listen on one port; the classic external one on 80 or 8080 only. */
function checkProxyPort(range: PortRange, value: string, scheme: string, destination: Destination): void {
  if (!['targetHttpProxies', 'targetHttpsProxies', 'targetGrpcProxies'].includes(destination)) return;
  if (range[0] !== range[1])
    throw invalid('portRange', value, `A ${PROXY_NOUNS[destination]} takes a single port.`);
  if (destination === 'targetHttpProxies' && scheme === 'EXTERNAL' && range[0] !== 80 && range[0] !== 8080) {
    throw invalid('portRange', value, 'Ports for a TargetHttpProxy must be 80 or 8080.');
  }
}

export function rangesOverlap(a: readonly PortRange[], b: readonly PortRange[]): boolean {
  return a.some(([lowA, highA]) => b.some(([lowB, highB]) => lowA <= highB && lowB <= highA));
}

/** The ports a stored rule takes. */
export function storedRanges(resource: WireObject): PortRange[] {
  if (resource['allPorts'] === true) return [ALL];
  if (Array.isArray(resource['ports'])) {
    return (resource['ports'] as unknown[]).map((port) => parseRange(String(port), 'ports'));
  }
  if (typeof resource['portRange'] === 'string') return [parseRange(resource['portRange'], 'portRange')];
  return [ALL];
}
