import { parseIpv4 } from '@gke-emulator/netaddr';
import type { CompiledPeer } from './compiled-policy.types';
import { type IpRange, ipRangesCover } from './ip-range-set.model';
import { matchesSelector } from './label-selector.matcher';
import type { Labels, PodInfo } from './network-policy.types';

/** The other end of the traffic, as a rule's from/to sees it. */
export type TrafficPeer =
  | { readonly kind: 'pod'; readonly pod: PodInfo; readonly namespaceLabels: Labels }
  /** Addresses outside the cluster's pods; a range stands for each of its addresses alike. */
  | { readonly kind: 'ip'; readonly range: IpRange };

function podAddressRange(pod: PodInfo): IpRange | undefined {
  const address = pod.ip === undefined ? null : parseIpv4(pod.ip);
  return address === null ? undefined : { start: address, end: address };
}

/** Whether one element of from/to selects the peer. */
export function matchesPeer(peer: CompiledPeer, remote: TrafficPeer): boolean {
  switch (peer.kind) {
    case 'any':
      return true;
    case 'pods': {
      if (remote.kind !== 'pod') return false;
      const namespaceMatches =
        peer.namespace.kind === 'name'
          ? remote.pod.namespace === peer.namespace.name
          : matchesSelector(peer.namespace.selector, remote.namespaceLabels);
      return namespaceMatches && matchesSelector(peer.pods, remote.pod.labels ?? {});
    }
    case 'ipBlock': {
      // Pod IPs are addresses like any other: an ipBlock holding a pod's IP selects the pod.
      const range = remote.kind === 'ip' ? remote.range : podAddressRange(remote.pod);
      return range !== undefined && ipRangesCover(peer.ranges, range);
    }
  }
}
