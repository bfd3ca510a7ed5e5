import type { FirewallVerdict, InstanceFirewall } from './effective-firewall-rule.model';
import { evaluatePacket } from './firewall.evaluator';

/** One end of a connection: an address, and the VM's firewall when the address belongs to a VM in a VPC. */
export interface ConnectionEndpoint {
  readonly ip: string;
  readonly firewall?: InstanceFirewall;
}

/** A new connection (its first packet) from `source` to `destination`. */
export interface ConnectionRequest {
  readonly source: ConnectionEndpoint;
  readonly destination: ConnectionEndpoint;
  readonly protocol: string | number;
  readonly port?: number;
}

export interface ConnectionVerdict {
  /** Both firewalls let the first packet through. */
  readonly allowed: boolean;
  /** The source VM's EGRESS verdict; null when the source is not a VM (the internet, on-premises…). */
  readonly egress: FirewallVerdict | null;
  /** The destination VM's INGRESS verdict; null when the destination is not a VM. */
  readonly ingress: FirewallVerdict | null;
  /**
   * Firewalls are stateful: once a connection is allowed, its return traffic is allowed both ways by connection
   * tracking, whatever the rules say about the reverse direction.
   */
  readonly replyAllowed: boolean;
}

/**
 * Evaluates both ends of a flow: EGRESS on the source VM and INGRESS on the destination VM, the source VM's tags
 * and service account being visible to the destination's source-tag / source-account rules. Both verdicts are
 * computed even when the first denies, so that a caller can show each side.
 */
export function evaluateConnection(request: ConnectionRequest): ConnectionVerdict {
  const { source, destination, protocol, port } = request;
  const packet = { srcIp: source.ip, dstIp: destination.ip, protocol, port };
  const egress = source.firewall ? evaluatePacket(source.firewall, { ...packet, direction: 'EGRESS' }) : null;
  const ingress = destination.firewall
    ? evaluatePacket(destination.firewall, {
        ...packet,
        direction: 'INGRESS',
        peer: source.firewall?.instance,
      })
    : null;
  const allowed = egress?.action !== 'deny' && ingress?.action !== 'deny';
  return { allowed, egress, ingress, replyAllowed: allowed };
}
