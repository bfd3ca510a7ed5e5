// Compute Engine v1 `compute#route` as `routes.list` returns it (subnet routes included), and the routing
// table built from it for one VM.
import type { Cidr } from '@gke-emulator/netaddr';
import type { VpcInstance } from '../vpc-instance.model';

/** `routeType` (output only): SUBNET routes come from subnet ranges, STATIC ones from users, BGP from Cloud Router. */
export type RouteType = 'SUBNET' | 'STATIC' | 'BGP' | 'TRANSIT';

/** A route. Exactly one `nextHop*` field is set. */
export interface Route {
  readonly name: string;
  readonly id?: string;
  readonly description?: string;
  readonly network?: string;
  readonly destRange: string;
  /** 0–65535, default 1000; breaks ties between equally specific routes, lowest wins. */
  readonly priority?: number;
  /** Applies only to instances with one of these tags; absent or empty: every instance. */
  readonly tags?: readonly string[];
  readonly nextHopGateway?: string;
  readonly nextHopInstance?: string;
  readonly nextHopIp?: string;
  /** An internal passthrough NLB forwarding rule (URL) or its IP. */
  readonly nextHopIlb?: string;
  readonly nextHopNetwork?: string;
  readonly nextHopPeering?: string;
  readonly nextHopVpnTunnel?: string;
  readonly nextHopInterconnectAttachment?: string;
  readonly nextHopHub?: string;
  readonly routeType?: RouteType;
  /** ACTIVE, INACTIVE, PENDING or DROPPED (output only); absent means ACTIVE. */
  readonly routeStatus?: string;
}

/** Where a route sends packets. */
export type RouteNextHop =
  | { readonly kind: 'network'; readonly network: string }
  | { readonly kind: 'peering'; readonly peering: string }
  | { readonly kind: 'internet-gateway'; readonly gateway: string }
  | { readonly kind: 'instance'; readonly instance: string }
  | { readonly kind: 'ip'; readonly ip: string }
  | { readonly kind: 'ilb'; readonly forwardingRule: string }
  | { readonly kind: 'vpn-tunnel'; readonly tunnel: string }
  | { readonly kind: 'interconnect-attachment'; readonly attachment: string }
  | { readonly kind: 'hub'; readonly hub: string };

/** Subnet routes (local or peering) are considered before every custom route. */
export type RouteClass = 'subnet' | 'custom';

/** A route that applies to one VM, compiled for lookups. */
export interface EffectiveRoute {
  readonly name: string;
  readonly routeClass: RouteClass;
  readonly routeType: RouteType;
  readonly destRange: Cidr;
  readonly priority: number;
  readonly nextHop: RouteNextHop;
  /** The NEXT_HOP column of `gcloud compute routes list`. */
  readonly nextHopLabel: string;
  readonly route: Route;
}

/** The routes that apply to one VM, subnet routes first, then most specific, then by priority and name. */
export interface InstanceRoutingTable {
  readonly instance: VpcInstance;
  readonly routes: readonly EffectiveRoute[];
}

/** The outcome of a lookup: the equal-cost set of routes (one or more), or no route (the packet is dropped). */
export type RouteSelection =
  | { readonly kind: 'routed'; readonly routeClass: RouteClass; readonly routes: readonly EffectiveRoute[] }
  | { readonly kind: 'no-route' };
