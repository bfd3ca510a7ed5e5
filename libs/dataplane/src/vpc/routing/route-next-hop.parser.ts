import type { Route, RouteNextHop } from './route.model';

const VERSIONED_URL = /^https?:\/\/[^/]+\/(?:compute\/)?(?:v1|beta|alpha)\/(.*)$/;

/** A reference relative to its project: `zones/z/instances/i`, `global/gateways/g`… (bare names stay bare). */
function withinProject(reference: string): string {
  const path = VERSIONED_URL.exec(reference)?.[1] ?? reference;
  return path.replace(/^projects\/[^/]+\//, '');
}

/** The next hop of a route; null when it has none (a malformed route, which can carry no packet). */
export function parseNextHop(route: Route): RouteNextHop | null {
  if (route.nextHopNetwork) return { kind: 'network', network: route.nextHopNetwork };
  if (route.nextHopPeering) return { kind: 'peering', peering: route.nextHopPeering };
  if (route.nextHopGateway) return { kind: 'internet-gateway', gateway: route.nextHopGateway };
  if (route.nextHopInstance) return { kind: 'instance', instance: route.nextHopInstance };
  if (route.nextHopIp) return { kind: 'ip', ip: route.nextHopIp };
  if (route.nextHopIlb) return { kind: 'ilb', forwardingRule: route.nextHopIlb };
  if (route.nextHopVpnTunnel) return { kind: 'vpn-tunnel', tunnel: route.nextHopVpnTunnel };
  if (route.nextHopInterconnectAttachment) {
    return { kind: 'interconnect-attachment', attachment: route.nextHopInterconnectAttachment };
  }
  if (route.nextHopHub) return { kind: 'hub', hub: route.nextHopHub };
  return null;
}

/**
 * The next hop as gcloud's `routes list` shows it: the resource path below its project with `global/<kind>/`
 * dropped (`default-internet-gateway`, `us-central1-a/instances/fw-1`, `us-east1/vpnTunnels/t1`), or the IP.
 */
export function nextHopLabel(hop: RouteNextHop): string {
  const text = (() => {
    switch (hop.kind) {
      case 'network':
        return hop.network;
      case 'peering':
        return hop.peering;
      case 'internet-gateway':
        return hop.gateway;
      case 'instance':
        return hop.instance;
      case 'ip':
        return hop.ip;
      case 'ilb':
        return hop.forwardingRule;
      case 'vpn-tunnel':
        return hop.tunnel;
      case 'interconnect-attachment':
        return hop.attachment;
      case 'hub':
        return hop.hub;
    }
  })();
  return withinProject(text)
    .replace(/^global\/[^/]+\//, '')
    .replace(/^(?:zones|regions)\//, '');
}
