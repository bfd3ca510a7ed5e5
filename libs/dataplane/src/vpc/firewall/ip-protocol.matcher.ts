/** An inclusive port range. A single port is a range of one. */
export interface PortRange {
  readonly first: number;
  readonly last: number;
}

/** One compiled `{IPProtocol, ports}` entry: a protocol number or every protocol, and ports or every port. */
export interface ProtocolMatcher {
  readonly protocol: number | 'all';
  /** null: every port (and protocols without ports, like ICMP). */
  readonly ports: readonly PortRange[] | null;
}

// The names Compute accepts in `IPProtocol`, with their IANA numbers; anything else must be a number.
const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = {
  icmp: 1,
  ipip: 4,
  tcp: 6,
  udp: 17,
  esp: 50,
  ah: 51,
  sctp: 132,
};

const DECIMAL = /^(?:0|[1-9][0-9]{0,2})$/;
const PORT_RANGE = /^(\d{1,5})(?:-(\d{1,5}))?$/;

/** The IANA number of a protocol name (any case) or decimal string; null when it is neither. `all` is not a protocol. */
export function protocolNumber(protocol: string | number): number | null {
  if (typeof protocol === 'number')
    return Number.isInteger(protocol) && protocol >= 0 && protocol <= 255 ? protocol : null;
  const text = protocol.trim().toLowerCase();
  const named = Object.hasOwn(PROTOCOL_NUMBERS, text) ? PROTOCOL_NUMBERS[text] : undefined;
  if (named !== undefined) return named;
  if (!DECIMAL.test(text)) return null;
  const number = Number(text);
  return number <= 255 ? number : null;
}

/** Parses `"22"` or `"1000-2000"`. Throws RangeError otherwise: the API validates ports on write. */
export function parsePortRange(text: string): PortRange {
  const match = PORT_RANGE.exec(text.trim());
  const first = Number(match?.[1]);
  const last = match?.[2] === undefined ? first : Number(match[2]);
  if (!match || first > 65535 || last > 65535 || first > last)
    throw new RangeError(`Not a port range: ${text}`);
  return { first, last };
}

/**
 * Compiles `{protocol, ports}` entries. An unknown protocol name can never match a packet, so it is dropped
 * rather than widened to "all".
 */
export function compileProtocols(
  entries: readonly { readonly protocol: string; readonly ports?: readonly string[] }[],
): ProtocolMatcher[] {
  const matchers: ProtocolMatcher[] = [];
  for (const entry of entries) {
    const protocol = entry.protocol.trim().toLowerCase() === 'all' ? 'all' : protocolNumber(entry.protocol);
    if (protocol === null) continue;
    const ports = entry.ports && entry.ports.length > 0 ? entry.ports.map(parsePortRange) : null;
    matchers.push({ protocol, ports });
  }
  return matchers;
}

/** True when some entry covers the packet. A port list never matches a packet without a port (ICMP, ESP…). */
export function matchesProtocol(
  matchers: readonly ProtocolMatcher[],
  protocol: number,
  port: number | undefined,
): boolean {
  return matchers.some(
    (matcher) =>
      (matcher.protocol === 'all' || matcher.protocol === protocol) &&
      (matcher.ports === null ||
        (port !== undefined && matcher.ports.some((range) => port >= range.first && port <= range.last))),
  );
}
