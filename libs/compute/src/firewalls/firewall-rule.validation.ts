import { GoogleApiError, GoogleErrors } from '@gke-emulator/common';
import { parseCidr, parseIpv4 } from '@gke-emulator/netaddr';
import type { WireObject } from '../shared/compute-context';
import { NAME_PATTERN } from '../shared/names';

export interface ProtocolPorts {
  IPProtocol?: string;
  ports?: string[];
}

export interface FirewallBody {
  name?: string;
  description?: string;
  network?: string;
  priority?: number | string;
  direction?: string;
  allowed?: ProtocolPorts[];
  denied?: ProtocolPorts[];
  sourceRanges?: string[];
  destinationRanges?: string[];
  sourceTags?: string[];
  targetTags?: string[];
  sourceServiceAccounts?: string[];
  targetServiceAccounts?: string[];
  disabled?: boolean;
  logConfig?: { enable?: boolean; metadata?: string };
}

/** The validated, server-filled part of a firewall rule (everything but identity and links). */
export interface FirewallRuleFields {
  description?: string;
  priority: number;
  direction: 'INGRESS' | 'EGRESS';
  allowed?: ProtocolPorts[];
  denied?: ProtocolPorts[];
  sourceRanges?: string[];
  destinationRanges?: string[];
  sourceTags?: string[];
  targetTags?: string[];
  sourceServiceAccounts?: string[];
  targetServiceAccounts?: string[];
  disabled: boolean;
  logConfig: WireObject;
}

const NAMED_PROTOCOLS = new Set(['tcp', 'udp', 'icmp', 'esp', 'ah', 'sctp', 'ipip', 'all']);
const PORTED_PROTOCOLS = new Set(['tcp', 'udp', 'sctp', '6', '17', '132']);
/** "only 100 ports or port ranges can be used in a firewall rule" (GCE cloud provider, gce_loadbalancer_external.go) */
const MAX_PORTS_PER_RULE = 100;
const MAX_RANGES = 5000;
const MAX_TAGS = 30;
const SERVICE_ACCOUNT = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function invalid(field: string, value: unknown, why: string): never {
  throw GoogleErrors.invalidFieldValue(field, value, why);
}

function checkPriority(value: number | string | undefined): number {
  if (value === undefined) return 1000;
  const priority = Number(value);
  if (priority < 0) invalid('resource.priority', value, 'Must be greater than or equal to 0');
  if (priority > 65535) invalid('resource.priority', value, 'Must be less than or equal to 65535');
  return priority;
}

function checkPort(field: string, port: string): void {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(port);
  const low = match ? Number(match[1]) : NaN;
  const high = match?.[2] !== undefined ? Number(match[2]) : low;
  if (!match || low > 65535 || high > 65535 || low > high) {
    invalid(field, port, 'Must be a port or a port range (e.g. 80 or 8000-8080) between 0 and 65535.');
  }
}

function checkProtocolPorts(field: string, list: ProtocolPorts[]): ProtocolPorts[] {
  let portCount = 0;
  return list.map((entry, index) => {
    const at = `${field}[${index}]`;
    const protocol = entry.IPProtocol;
    if (protocol === undefined || protocol === '') throw GoogleErrors.required(`${at}.IPProtocol`);
    const lower = protocol.toLowerCase();
    const numeric = /^\d{1,3}$/.test(protocol) && Number(protocol) <= 255;
    if (!NAMED_PROTOCOLS.has(lower) && !numeric) {
      invalid(
        `${at}.IPProtocol`,
        protocol,
        // Google's wording, as Terraform users have quoted it.
        'Must be one of ["ah", "all", "esp", "icmp", "ipip", "sctp", "tcp", "udp"] or an IP protocol number between 0 and 255.',
      );
    }
    const ports = entry.ports ?? [];
    if (ports.length > 0 && !PORTED_PROTOCOLS.has(lower)) {
      invalid(
        `${at}.ports[0]`,
        ports[0],
        'Ports may only be specified on rules whose protocol is one of [TCP, UDP, SCTP].',
      );
    }
    ports.forEach((port, i) => checkPort(`${at}.ports[${i}]`, port));
    portCount += ports.length;
    if (portCount > MAX_PORTS_PER_RULE) {
      invalid(
        `${at}.ports`,
        ports.join(','),
        `A firewall rule may specify at most ${MAX_PORTS_PER_RULE} ports or port ranges.`,
      );
    }
    return {
      IPProtocol: NAMED_PROTOCOLS.has(lower) ? lower : protocol,
      ...(ports.length > 0 ? { ports } : {}),
    };
  });
}

function checkRanges(field: string, ranges: string[] | undefined): string[] | undefined {
  if (ranges === undefined) return undefined;
  if (ranges.length > MAX_RANGES) invalid(field, ranges.length, `At most ${MAX_RANGES} ranges are allowed.`);
  ranges.forEach((range, index) => {
    const v4 = range.includes('/') ? parseCidr(range).ok : parseIpv4(range) !== null;
    const v6 = /^[0-9a-fA-F:]+(?:\/\d{1,3})?$/.test(range) && range.includes(':');
    if (!v4 && !v6) invalid(`${field}[${index}]`, range, 'Must be a CIDR address range.');
  });
  return ranges;
}

function checkTags(field: string, tags: string[] | undefined): string[] | undefined {
  if (tags === undefined) return undefined;
  if (tags.length > MAX_TAGS) invalid(field, tags.length, `At most ${MAX_TAGS} tags are allowed.`);
  tags.forEach((tag, index) => {
    if (!NAME_PATTERN.test(tag))
      invalid(`${field}[${index}]`, tag, "Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'");
  });
  return tags;
}

function checkServiceAccounts(field: string, accounts: string[] | undefined): string[] | undefined {
  accounts?.forEach((account, index) => {
    if (!SERVICE_ACCOUNT.test(account))
      invalid(`${field}[${index}]`, account, 'Must be a service account email address.');
  });
  if (accounts && accounts.length > 10)
    invalid(field, accounts.length, 'At most 10 service accounts are allowed.');
  return accounts;
}

const nonEmpty = <T>(list: T[] | undefined): T[] | undefined => (list && list.length > 0 ? list : undefined);

/**
 * Google's validation of a firewall rule, and its server-filled defaults: INGRESS, priority 1000, a source of
 * 0.0.0.0/0 when an ingress rule names none (destination 0.0.0.0/0 for egress), logging off, enabled.
 */
export function validateFirewallRule(body: FirewallBody): FirewallRuleFields {
  const direction = body.direction ?? 'INGRESS';
  if (direction !== 'INGRESS' && direction !== 'EGRESS') {
    invalid('resource.direction', direction, 'Must be one of [INGRESS, EGRESS].');
  }
  const allowed = nonEmpty(body.allowed);
  const denied = nonEmpty(body.denied);
  if ((allowed && denied) || (!allowed && !denied)) {
    throw GoogleErrors.invalid(
      "Invalid value for field 'resource': exactly one of 'allowed' or 'denied' must be specified.",
    );
  }
  const sourceTags = checkTags('resource.sourceTags', nonEmpty(body.sourceTags));
  const targetTags = checkTags('resource.targetTags', nonEmpty(body.targetTags));
  const sourceServiceAccounts = checkServiceAccounts(
    'resource.sourceServiceAccounts',
    nonEmpty(body.sourceServiceAccounts),
  );
  const targetServiceAccounts = checkServiceAccounts(
    'resource.targetServiceAccounts',
    nonEmpty(body.targetServiceAccounts),
  );
  if (direction === 'EGRESS' && (sourceTags || sourceServiceAccounts)) {
    // Google's own answer (400 badRequest), as gcloud shows it.
    throw new GoogleApiError(
      400,
      'badRequest',
      'Should not specify source tag or service account for egress direction.',
    );
  }
  if (sourceServiceAccounts && (sourceTags || targetTags)) {
    invalid(
      'resource.sourceServiceAccounts',
      sourceServiceAccounts.join(','),
      'Service accounts cannot be used together with network tags.',
    );
  }
  if (targetServiceAccounts && (targetTags || sourceTags)) {
    invalid(
      'resource.targetServiceAccounts',
      targetServiceAccounts.join(','),
      'Service accounts cannot be used together with network tags.',
    );
  }
  let sourceRanges = checkRanges('resource.sourceRanges', nonEmpty(body.sourceRanges));
  let destinationRanges = checkRanges('resource.destinationRanges', nonEmpty(body.destinationRanges));
  if (direction === 'INGRESS' && !sourceRanges && !sourceTags && !sourceServiceAccounts)
    sourceRanges = ['0.0.0.0/0'];
  if (direction === 'EGRESS' && !destinationRanges) destinationRanges = ['0.0.0.0/0'];
  if (
    body.logConfig?.metadata !== undefined &&
    !['INCLUDE_ALL_METADATA', 'EXCLUDE_ALL_METADATA'].includes(body.logConfig.metadata)
  ) {
    invalid(
      'resource.logConfig.metadata',
      body.logConfig.metadata,
      'Must be one of [INCLUDE_ALL_METADATA, EXCLUDE_ALL_METADATA].',
    );
  }
  const logEnabled = body.logConfig?.enable ?? false;
  return {
    ...(body.description !== undefined ? { description: body.description } : {}),
    priority: checkPriority(body.priority),
    direction,
    ...(allowed ? { allowed: checkProtocolPorts('resource.allowed', allowed) } : {}),
    ...(denied ? { denied: checkProtocolPorts('resource.denied', denied) } : {}),
    ...(sourceRanges ? { sourceRanges } : {}),
    ...(destinationRanges ? { destinationRanges } : {}),
    ...(sourceTags ? { sourceTags } : {}),
    ...(targetTags ? { targetTags } : {}),
    ...(sourceServiceAccounts ? { sourceServiceAccounts } : {}),
    ...(targetServiceAccounts ? { targetServiceAccounts } : {}),
    disabled: body.disabled ?? false,
    logConfig: logEnabled
      ? { enable: true, metadata: body.logConfig?.metadata ?? 'INCLUDE_ALL_METADATA' }
      : { enable: false },
  };
}
