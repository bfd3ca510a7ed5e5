import { GoogleErrors, relativeReference } from '@gke-emulator/common';
import { parseCidr, parseIpv4 } from '@gke-emulator/netaddr';
import { NAME_PATTERN } from '../shared/names';

export interface RouteBody {
  name?: string;
  description?: string;
  network?: string;
  destRange?: string;
  priority?: number | string;
  tags?: string[];
  nextHopGateway?: string;
  nextHopInstance?: string;
  nextHopIp?: string;
  nextHopIlb?: string;
  nextHopVpnTunnel?: string;
  nextHopNetwork?: string;
  nextHopHub?: string;
  nextHopInterconnectAttachment?: string;
}

/** The next hop of a route, resolved: the one field a route has, and its value as stored. */
export type NextHop =
  | { kind: 'gateway'; value: string }
  | { kind: 'ip'; value: string }
  | { kind: 'instance'; value: string; zone: string; instance: string }
  | { kind: 'ilb'; value: string }
  | { kind: 'vpnTunnel'; value: string };

const NEXT_HOP_FIELDS = [
  'nextHopGateway',
  'nextHopInstance',
  'nextHopIp',
  'nextHopIlb',
  'nextHopVpnTunnel',
  'nextHopNetwork',
  'nextHopHub',
  'nextHopInterconnectAttachment',
] as const;

export const DEFAULT_INTERNET_GATEWAY = 'default-internet-gateway';

export function checkDestRange(value: string | undefined): string {
  if (value === undefined || value === '') throw GoogleErrors.required('resource.destRange');
  const parsed = parseCidr(value);
  if (!parsed.ok)
    throw GoogleErrors.invalidFieldValue('resource.destRange', value, 'Must be a CIDR address range.');
  return value;
}

export function checkRoutePriority(value: number | string | undefined): number {
  if (value === undefined) return 1000;
  const priority = Number(value);
  if (priority > 65535)
    throw GoogleErrors.invalidFieldValue('resource.priority', value, 'Must be less than or equal to 65535');
  return priority;
}

export function checkRouteTags(tags: string[] | undefined): string[] | undefined {
  tags?.forEach((tag, index) => {
    if (!NAME_PATTERN.test(tag)) {
      throw GoogleErrors.invalidFieldValue(
        `resource.tags[${index}]`,
        tag,
        "Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'",
      );
    }
  });
  return tags && tags.length > 0 ? tags : undefined;
}

/** Exactly one next hop, each in the forms Compute accepts (URL, partial path or name). */
export function parseNextHop(project: string, body: RouteBody): NextHop {
  const given = NEXT_HOP_FIELDS.filter((field) => body[field] !== undefined && body[field] !== '');
  if (given.length !== 1) {
    throw GoogleErrors.invalid(
      given.length === 0
        ? "Invalid value for field 'resource': a route needs exactly one next hop (nextHopGateway, nextHopInstance, nextHopIp, nextHopIlb or nextHopVpnTunnel)."
        : `Invalid value for field 'resource': a route has exactly one next hop, got ${given.join(', ')}.`,
    );
  }
  const field = given[0] as (typeof NEXT_HOP_FIELDS)[number];
  const value = String(body[field]);
  switch (field) {
    case 'nextHopGateway': {
      const relative = relativeReference(project, value, 'global/gateways');
      if (relative !== `projects/${project}/global/gateways/${DEFAULT_INTERNET_GATEWAY}`) {
        throw GoogleErrors.invalidFieldValue(
          'resource.nextHopGateway',
          value,
          `The only gateway is 'projects/${project}/global/gateways/${DEFAULT_INTERNET_GATEWAY}'.`,
        );
      }
      return { kind: 'gateway', value: relative };
    }
    case 'nextHopIp':
      if (parseIpv4(value) === null)
        throw GoogleErrors.invalidFieldValue('resource.nextHopIp', value, 'Must be an IPv4 address.');
      return { kind: 'ip', value };
    case 'nextHopInstance': {
      const relative = relativeReference(project, value, 'zones/-/instances');
      const match = relative?.match(/^projects\/([^/]+)\/zones\/([^/]+)\/instances\/([^/]+)$/);
      if (!match || match[2] === '-') {
        throw GoogleErrors.invalidFieldValue(
          'resource.nextHopInstance',
          value,
          'Must be an instance URL (zones/ZONE/instances/NAME).',
        );
      }
      return {
        kind: 'instance',
        value: relative as string,
        zone: match[2] as string,
        instance: match[3] as string,
      };
    }
    case 'nextHopIlb':
      return { kind: 'ilb', value };
    case 'nextHopVpnTunnel':
      return { kind: 'vpnTunnel', value };
    default:
      throw GoogleErrors.invalidFieldValue(
        `resource.${field}`,
        value,
        'This next hop is set by Google Cloud and cannot be given.',
      );
  }
}
