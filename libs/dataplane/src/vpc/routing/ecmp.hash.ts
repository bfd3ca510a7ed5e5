import { compareNames } from '../compare-names';
import type { EffectiveRoute } from './route.model';

/** The fields Google hashes to keep a flow on one member of an ECMP set (L3 and L4 headers). */
export interface FlowKey {
  readonly srcIp: string;
  readonly dstIp: string;
  readonly protocol: string | number;
  readonly srcPort?: number;
  readonly dstPort?: number;
}

// FNV-1a, 32 bits: cheap, stable across runs, and good enough to spread flows.
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * The member of an equal-cost set a flow uses: the same flow always gets the same route. Members are ordered by
 * name first, so the choice does not depend on the order routes were listed in.
 */
export function pickEcmpRoute(routes: readonly EffectiveRoute[], flow: FlowKey): EffectiveRoute | null {
  if (routes.length === 0) return null;
  const members = [...routes].sort((a, b) => compareNames(a.name, b.name));
  const key = [flow.srcIp, flow.dstIp, String(flow.protocol), flow.srcPort ?? '', flow.dstPort ?? ''].join(
    '|',
  );
  return members[fnv1a(key) % members.length] ?? null;
}
