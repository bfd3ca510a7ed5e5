import { PROTOCOLS, type Protocol } from './network-policy.types';

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** An inclusive range of ports. */
export interface PortRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Ports allowed per protocol. Every list is canonical: sorted, disjoint, adjacent ranges merged, so two
 * equal sets have equal JSON.
 */
export type ConnectionSet = Readonly<Record<Protocol, readonly PortRange[]>>;

const FULL_RANGE: readonly PortRange[] = [{ start: MIN_PORT, end: MAX_PORT }];

/** Sorts and merges overlapping or adjacent ranges. */
export function normalizePortRanges(ranges: readonly PortRange[]): PortRange[] {
  const sorted = ranges.filter((r) => r.start <= r.end).sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: PortRange[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && range.start <= last.end + 1) {
      merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, range.end) };
    } else {
      merged.push({ start: range.start, end: range.end });
    }
  }
  return merged;
}

export function intersectPortRanges(a: readonly PortRange[], b: readonly PortRange[]): PortRange[] {
  const result: PortRange[] = [];
  let i = 0;
  let j = 0;
  // Both lists are canonical, so a merge walk suffices.
  while (i < a.length && j < b.length) {
    const left = a[i] as PortRange;
    const right = b[j] as PortRange;
    const start = Math.max(left.start, right.start);
    const end = Math.min(left.end, right.end);
    if (start <= end) result.push({ start, end });
    if (left.end < right.end) i++;
    else j++;
  }
  return result;
}

export function portRangesContain(ranges: readonly PortRange[], port: number): boolean {
  return ranges.some((range) => range.start <= port && port <= range.end);
}

function isFullPortRange(ranges: readonly PortRange[]): boolean {
  return ranges.length === 1 && ranges[0]?.start === MIN_PORT && ranges[0].end === MAX_PORT;
}

export function emptyConnections(): ConnectionSet {
  return { TCP: [], UDP: [], SCTP: [] };
}

export function allConnections(): ConnectionSet {
  return { TCP: FULL_RANGE, UDP: FULL_RANGE, SCTP: FULL_RANGE };
}

/** The given ranges of one protocol (all its ports when ranges is omitted). */
export function protocolConnections(
  protocol: Protocol,
  ranges: readonly PortRange[] = FULL_RANGE,
): ConnectionSet {
  return { ...emptyConnections(), [protocol]: normalizePortRanges(ranges) };
}

export function unionConnections(a: ConnectionSet, b: ConnectionSet): ConnectionSet {
  return {
    TCP: normalizePortRanges([...a.TCP, ...b.TCP]),
    UDP: normalizePortRanges([...a.UDP, ...b.UDP]),
    SCTP: normalizePortRanges([...a.SCTP, ...b.SCTP]),
  };
}

export function intersectConnections(a: ConnectionSet, b: ConnectionSet): ConnectionSet {
  return {
    TCP: intersectPortRanges(a.TCP, b.TCP),
    UDP: intersectPortRanges(a.UDP, b.UDP),
    SCTP: intersectPortRanges(a.SCTP, b.SCTP),
  };
}

export function isEmptyConnections(set: ConnectionSet): boolean {
  return PROTOCOLS.every((protocol) => set[protocol].length === 0);
}

export function isAllConnections(set: ConnectionSet): boolean {
  return PROTOCOLS.every((protocol) => isFullPortRange(set[protocol]));
}

export function connectionsContain(set: ConnectionSet, protocol: Protocol, port: number): boolean {
  return portRangesContain(set[protocol], port);
}

function samePortRanges(a: readonly PortRange[], b: readonly PortRange[]): boolean {
  return (
    a.length === b.length &&
    a.every((range, index) => range.start === b[index]?.start && range.end === b[index].end)
  );
}

/** True when every connection of inner is also in outer. */
export function connectionsInclude(outer: ConnectionSet, inner: ConnectionSet): boolean {
  return PROTOCOLS.every((protocol) =>
    samePortRanges(
      intersectPortRanges(outer[protocol], inner[protocol]),
      normalizePortRanges(inner[protocol]),
    ),
  );
}

export function equalConnections(a: ConnectionSet, b: ConnectionSet): boolean {
  return PROTOCOLS.every((protocol) => samePortRanges(a[protocol], b[protocol]));
}

export const ALL_CONNECTIONS_TEXT = 'All Connections';
export const NO_CONNECTIONS_TEXT = 'No Connections';

/**
 * np-guard's text: "All Connections", or "<PROTOCOL> <ranges>" items sorted as strings and joined by
 * commas, e.g. "TCP 8080,9090,UDP 8080" or "SCTP 1-100".
 */
export function formatConnections(set: ConnectionSet): string {
  if (isAllConnections(set)) return ALL_CONNECTIONS_TEXT;
  const items = PROTOCOLS.filter((protocol) => set[protocol].length > 0).map(
    (protocol) =>
      `${protocol} ${set[protocol].map((r) => (r.start === r.end ? `${r.start}` : `${r.start}-${r.end}`)).join(',')}`,
  );
  return items.length === 0 ? NO_CONNECTIONS_TEXT : items.sort().join(',');
}
