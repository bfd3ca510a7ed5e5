// One Connectivity Test, computed: the packet's path from its source through the VPC (egress firewall, route,
// forwarding rule and load balancer with its backends' health, ingress firewall) to a VM, and, where the VM is a GKE
// node, on inside it (kube-proxy's DNAT and the endpoint it may pick, the hop to the endpoint's node, NetworkPolicy
// on both ends, delivery to the pod). Every branch (load balancer backend, kube-proxy endpoint) is one trace.
import { parseIpv4 } from '@gke-emulator/netaddr';
import {
  type ArmorRequest,
  type CompiledSecurityPolicy,
  RateLimiter,
  type SecurityPolicyRule,
  compileSecurityPolicy,
  evaluateSecurityPolicy,
  reportArmorDecision,
} from '../cloud-armor';
import { tracePacket } from '../kube-proxy';
import { type DirectionVerdict, type PodInfo, evaluateConnection, formatPolicyRef } from '../netpol';
import { type FirewallVerdict, evaluatePacket, selectRoute } from '../vpc';
import { STEP_STATE_DOCS, type StepState } from './network-management-enums.generated';
import type {
  EndpointInfo,
  KubeProxyStepInfo,
  LoadBalancerBackend,
  ReachabilityDetails,
  Step,
  Trace,
} from './reachability.types';
import { type TraceIndex, relativeUri, resourceName, traceIndex } from './trace-index';
import type {
  TraceCluster,
  TraceForwardingRule,
  TraceHttpBackendService,
  TraceHttpLoadBalancer,
  TraceInputs,
  TraceInstance,
  TraceQuery,
} from './trace-inputs.types';
import { type UrlRedirect, routeUrlMap } from './url-map.matcher';
import { abortStep, dropStep, firewallInfo, instanceInfo, routeInfo } from './trace-step.mappers';

/** Where Google Front Ends' connections to backends (and their health checks) come from. */
const GFE_RANGES = ['35.191.0.0/16', '130.211.0.0/22'];
/** The address a trace shows as the proxy's side of the new connection (the first of GFE_RANGES). */
const GFE_SOURCE = '35.191.0.1';

const compiledPolicies = new WeakMap<readonly SecurityPolicyRule[], CompiledSecurityPolicy>();

function compiledPolicy(name: string, rules: readonly SecurityPolicyRule[]): CompiledSecurityPolicy {
  let compiled = compiledPolicies.get(rules);
  if (!compiled) {
    compiled = compileSecurityPolicy(rules, { name });
    compiledPolicies.set(rules, compiled);
  }
  return compiled;
}

/** Where a URL-map redirect sends the client. */
function redirectLocation(redirect: UrlRedirect, scheme: string, host: string, path: string): string {
  const [rawPath = '/', query] = path.split('?', 2) as [string, string?];
  const newPath =
    redirect.pathRedirect ?? (redirect.prefixRedirect !== undefined ? redirect.prefixRedirect : rawPath);
  const keepQuery = query !== undefined && redirect.stripQuery !== true;
  return `${redirect.httpsRedirect ? 'https' : scheme}://${redirect.hostRedirect ?? host}${newPath}${keepQuery ? `?${query}` : ''}`;
}

const REDIRECT_CODES: Readonly<Record<string, string>> = {
  MOVED_PERMANENTLY_DEFAULT: '301',
  FOUND: '302',
  SEE_OTHER: '303',
  TEMPORARY_REDIRECT: '307',
  PERMANENT_REDIRECT: '308',
};

/** Past this many paths, the rest are left out (a Service with hundreds of endpoints behind many nodes). */
export const MAX_TRACES = 64;
const PORT_PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP']);

interface Path {
  readonly steps: readonly Step[];
  readonly probability: number;
}

/** The packet as it travels: addresses change with DNAT and masquerade. */
interface Packet {
  readonly srcIp: string;
  readonly dstIp: string;
  readonly port: number | undefined;
  readonly protocol: string;
  /** The pod that sent it, when a pod did (NetworkPolicy egress, kube-proxy on its node). */
  readonly srcPod?: { cluster: TraceCluster; pod: PodInfo };
}

function firstSentence(text: string): string {
  const end = text.indexOf('. ');
  return end < 0 ? text : text.slice(0, end + 1);
}

class Composer {
  readonly traces: Trace[] = [];
  private readonly index: TraceIndex;
  private readonly project: string;

  constructor(
    private readonly inputs: TraceInputs,
    private readonly query: TraceQuery,
    private readonly endpointInfo: EndpointInfo,
  ) {
    this.index = traceIndex(inputs);
    this.project = inputs.project;
  }

  private step(
    state: StepState,
    fields: Omit<Step, 'state' | 'projectId' | 'causesDrop' | 'description'> & {
      description?: string;
      causesDrop?: boolean;
    },
  ): Step {
    const { description, causesDrop, ...infos } = fields;
    return {
      description: description ?? firstSentence(STEP_STATE_DOCS[state]),
      state,
      causesDrop: causesDrop ?? false,
      projectId: this.project,
      ...infos,
    };
  }

  private end(path: Path, ...steps: Step[]): void {
    if (this.traces.length >= MAX_TRACES) return;
    this.traces.push({
      endpointInfo: this.endpointInfo,
      steps: [...path.steps, ...steps],
      probability: Number(path.probability.toFixed(6)),
    });
  }

  private then(path: Path, ...steps: Step[]): Path {
    return { steps: [...path.steps, ...steps], probability: path.probability };
  }

  // ---- the VPC ----------------------------------------------------------------------------------------------

  /** A firewall check: the step, and whether the packet passes. bypassFirewallChecks skips it. */
  private firewall(
    path: Path,
    instance: TraceInstance,
    direction: 'INGRESS' | 'EGRESS',
    packet: Packet,
    peer?: TraceInstance,
  ): Path | null {
    if (this.query.bypassFirewallChecks) return path;
    const port = packet.port !== undefined && PORT_PROTOCOLS.has(packet.protocol) ? packet.port : undefined;
    const key = `fw|${instance.name}|${direction}|${packet.srcIp}|${packet.dstIp}|${packet.protocol}|${port ?? ''}|${peer?.name ?? ''}`;
    const verdict: FirewallVerdict = this.index.memo(key, () =>
      evaluatePacket(instance.firewall, {
        direction,
        srcIp: packet.srcIp,
        dstIp: packet.dstIp,
        protocol: packet.protocol.toLowerCase(),
        ...(port !== undefined ? { port } : {}),
        ...(peer ? { peer: peer.firewall.instance } : {}),
      }),
    );
    const denied = verdict.action === 'deny';
    const state = direction === 'INGRESS' ? 'APPLY_INGRESS_FIREWALL_RULE' : 'APPLY_EGRESS_FIREWALL_RULE';
    const step = this.step(state, {
      description: `Config checking state: verify ${direction} firewall rule.`,
      causesDrop: denied,
      firewall: firewallInfo(this.project, instance.networkUri, verdict.rule),
    });
    if (denied) {
      this.end(
        path,
        step,
        dropStep(this.project, 'FIREWALL_RULE', {
          resourceUri: instance.uri,
          sourceIp: packet.srcIp,
          destinationIp: packet.dstIp,
        }),
      );
      return null;
    }
    return this.then(path, step);
  }

  /** A packet leaving a VM (a node, or a pod on it) for an address outside it. */
  private fromInstance(path: Path, instance: TraceInstance, packet: Packet): void {
    const afterEgress = this.firewall(path, instance, 'EGRESS', packet);
    if (!afterEgress) return;
    const selection = selectRoute(instance.routing, packet.dstIp);
    if (selection.kind === 'no-route') {
      this.end(
        afterEgress,
        dropStep(this.project, 'NO_ROUTE', { resourceUri: instance.networkUri, destinationIp: packet.dstIp }),
      );
      return;
    }
    const [route] = selection.routes;
    if (!route) return;
    const routed = this.then(
      afterEgress,
      this.step('APPLY_ROUTE', { route: routeInfo(this.project, instance.networkUri, route) }),
    );
    switch (route.nextHop.kind) {
      case 'internet-gateway':
        this.toInternet(routed, instance, packet);
        return;
      case 'network':
      case 'instance':
      case 'ip':
        this.arriveInVpc(routed, packet, instance);
        return;
      case 'ilb': {
        const hop = route.nextHop.forwardingRule;
        const rule = this.inputs.forwardingRules.find(
          (candidate) => candidate.ip === hop || relativeUri(candidate.uri) === relativeUri(hop),
        );
        if (!rule) {
          this.end(
            routed,
            dropStep(this.project, 'ROUTE_NEXT_HOP_RESOURCE_NOT_FOUND', {
              resourceUri: hop,
            }),
          );
          return;
        }
        this.loadBalancer(routed, rule, packet, instance);
        return;
      }
      default:
        this.end(
          routed,
          this.step('FORWARD', {
            description: `Final state: packet forwarded to ${route.nextHopLabel}, whose configuration is not modelled.`,
            forward: { target: 'IMPORTED_CUSTOM_ROUTE_NEXT_HOP', resourceUri: route.nextHopLabel },
          }),
        );
    }
  }

  private toInternet(path: Path, instance: TraceInstance, packet: Packet): void {
    const rules = this.index.forwardingRulesByIp
      .get(packet.dstIp)
      ?.filter((rule) => rule.scheme === 'EXTERNAL');
    if (rules?.length) {
      this.loadBalancer(path, rules[0] as TraceForwardingRule, packet, undefined);
      return;
    }
    const external = this.index.instanceByExternalIp.get(packet.dstIp);
    if (external) {
      this.fromInternetToInstance(path, external, packet);
      return;
    }
    if (this.index.networkOf(packet.dstIp)) {
      this.end(path, dropStep(this.project, 'PRIVATE_TRAFFIC_TO_INTERNET', { destinationIp: packet.dstIp }));
      return;
    }
    if (!instance.externalIp && !packet.srcPod) {
      this.end(path, dropStep(this.project, 'NO_EXTERNAL_ADDRESS', { resourceUri: instance.uri }));
      return;
    }
    this.end(
      path,
      this.step('DELIVER', {
        description: 'Final state: packet delivered to the internet.',
        deliver: { target: 'INTERNET', ipAddress: packet.dstIp },
      }),
    );
  }

  /** The packet is inside a VPC network, bound for an internal address. */
  private arriveInVpc(path: Path, packet: Packet, from: TraceInstance | undefined): void {
    const rules = this.index.forwardingRulesByIp
      .get(packet.dstIp)
      ?.filter((rule) => rule.scheme === 'INTERNAL');
    if (rules?.length) {
      this.loadBalancer(path, rules[0] as TraceForwardingRule, packet, from);
      return;
    }
    const instance = this.index.instanceByIp.get(packet.dstIp);
    if (instance) {
      const arrived = this.arriveAtInstance(path, instance, packet, from);
      if (arrived) this.insideNode(arrived, instance, packet);
      return;
    }
    const pod = this.index.pod(packet.dstIp);
    const node = pod?.pod.nodeName ? this.index.instanceByName.get(pod.pod.nodeName) : undefined;
    if (pod && node) {
      const arrived = this.arriveAtInstance(path, node, packet, from);
      if (arrived) this.toPod(arrived, pod.cluster, node, packet, pod.pod);
      return;
    }
    this.end(path, dropStep(this.project, 'UNKNOWN_INTERNAL_ADDRESS', { destinationIp: packet.dstIp }));
  }

  private arriveAtInstance(
    path: Path,
    instance: TraceInstance,
    packet: Packet,
    from: TraceInstance | undefined,
  ): Path | null {
    const allowed = this.firewall(path, instance, 'INGRESS', packet, from);
    if (!allowed) return null;
    if (!instance.running) {
      this.end(allowed, dropStep(this.project, 'INSTANCE_NOT_RUNNING', { resourceUri: instance.uri }));
      return null;
    }
    return this.then(allowed, this.step('ARRIVE_AT_INSTANCE', { instance: instanceInfo(instance) }));
  }

  private fromInternetToInstance(path: Path, instance: TraceInstance, packet: Packet): void {
    const translated: Packet = { ...packet, dstIp: instance.internalIp };
    const natted = this.then(
      path,
      this.step('NAT', {
        description: `Transition state: the instance's external address ${packet.dstIp} translated to its internal address ${instance.internalIp}.`,
      }),
    );
    const arrived = this.arriveAtInstance(natted, instance, translated, undefined);
    if (arrived) this.insideNode(arrived, instance, translated);
  }

  // ---- load balancers -------------------------------------------------------------------------------------

  private forwardingRuleMatches(rule: TraceForwardingRule, packet: Packet): { ok: boolean; range: string } {
    const protocolOk = rule.protocol === 'L3_DEFAULT' || rule.protocol.toUpperCase() === packet.protocol;
    if (rule.allPorts || (!rule.portRange && !rule.ports?.length))
      return { ok: protocolOk, range: '1-65535' };
    const ranges = rule.ports?.length ? rule.ports : rule.portRange ? [rule.portRange] : [];
    const port = packet.port;
    const inRange = ranges.some((range) => {
      const [low, high] = range.split('-').map(Number);
      return port !== undefined && low !== undefined && port >= low && port <= (high ?? low);
    });
    return { ok: protocolOk && inRange, range: ranges.join(',') };
  }

  private loadBalancer(
    path: Path,
    rule: TraceForwardingRule,
    packet: Packet,
    from: TraceInstance | undefined,
  ): void {
    const match = this.forwardingRuleMatches(rule, packet);
    const ruleStep = this.step('APPLY_FORWARDING_RULE', {
      causesDrop: !match.ok,
      forwardingRule: {
        displayName: rule.name,
        uri: rule.uri,
        matchedProtocol: rule.protocol,
        matchedPortRange: match.range,
        vip: rule.ip,
        target: rule.target,
        ...(rule.networkUri ? { networkUri: rule.networkUri } : {}),
        ...(rule.region ? { region: rule.region } : {}),
        loadBalancerName: resourceName(rule.target),
      },
    });
    if (!match.ok) {
      this.end(
        path,
        ruleStep,
        dropStep(this.project, 'FORWARDING_RULE_MISMATCH', {
          resourceUri: rule.uri,
          destinationIp: packet.dstIp,
        }),
      );
      return;
    }
    if (rule.http) {
      this.httpLoadBalancer(this.then(path, ruleStep), rule, rule.http, packet);
      return;
    }
    const lb = rule.loadBalancer;
    const backends = (lb?.backends ?? []).flatMap((uri) => {
      const instance = this.index.instanceByName.get(resourceName(uri));
      return instance ? [instance] : [];
    });
    const health = backends.map((instance) =>
      this.index.memo(`lb|${rule.uri}|${instance.name}|${packet.port ?? ''}|${packet.protocol}`, () =>
        this.backendHealth(rule, instance, packet),
      ),
    );
    const arriveState =
      rule.scheme === 'EXTERNAL' ? 'ARRIVE_AT_EXTERNAL_LOAD_BALANCER' : 'ARRIVE_AT_INTERNAL_LOAD_BALANCER';
    const lbStep = this.step(arriveState, {
      ...(lb
        ? {
            loadBalancer: {
              loadBalancerType: lb.loadBalancerType,
              ...(lb.healthCheckUri ? { healthCheckUri: lb.healthCheckUri } : {}),
              backends: health,
              backendType: lb.backendType,
              backendUri: lb.backendUri,
            },
          }
        : {}),
    });
    const atLb = this.then(path, ruleStep, lbStep);
    if (backends.length === 0) {
      this.end(atLb, dropStep(this.project, 'FORWARDING_RULE_NO_INSTANCES', { resourceUri: rule.uri }));
      return;
    }
    // Google's passthrough load balancers spread over the healthy backends, and over all when none is healthy.
    const healthy = backends.filter((_, i) => health[i]?.healthState === 'HEALTHY');
    const chosen = healthy.length > 0 ? healthy : backends;
    for (const instance of chosen) {
      const branch = { steps: atLb.steps, probability: atLb.probability / chosen.length };
      const arrived = this.arriveAtInstance(branch, instance, packet, from);
      if (arrived) this.insideNode(arrived, instance, packet);
    }
  }

  /** Whether a backend node passes the load balancer's health check, and why. */
  private backendHealth(
    rule: TraceForwardingRule,
    instance: TraceInstance,
    packet: Packet,
  ): LoadBalancerBackend {
    const lb = rule.loadBalancer;
    const allowing: string[] = [];
    const blocking: string[] = [];
    for (const range of lb?.healthCheckSourceRanges ?? []) {
      const probe = range.split('/')[0] ?? range;
      const verdict = evaluatePacket(instance.firewall, {
        direction: 'INGRESS',
        srcIp: probe,
        dstIp: instance.internalIp,
        protocol: 'tcp',
        port: lb?.healthCheckPort ?? 80,
      });
      (verdict.action === 'allow' ? allowing : blocking).push(verdict.rule.name);
    }
    const firewallOk = blocking.length === 0;
    const base = {
      displayName: instance.name,
      uri: instance.uri,
      healthCheckFirewallState: firewallOk ? ('CONFIGURED' as const) : ('MISCONFIGURED' as const),
      healthCheckAllowingFirewallRules: [...new Set(allowing)],
      healthCheckBlockingFirewallRules: [...new Set(blocking)],
    };
    if (!firewallOk) {
      return {
        ...base,
        healthState: 'UNHEALTHY',
        healthDetail: `health-check probes to port ${lb?.healthCheckPort ?? 80} are blocked by ${[...new Set(blocking)].join(', ')}`,
      };
    }
    const cluster = instance.cluster ? this.index.clusterByUri.get(instance.cluster) : undefined;
    const service =
      cluster && packet.port !== undefined
        ? this.index.serviceAt(cluster, rule.ip, packet.port, packet.protocol)
        : undefined;
    if (cluster && service?.externalTrafficPolicy === 'Local') {
      const local = this.index
        .endpointsOf(cluster, service)
        .filter((endpoint) => endpoint.nodeName === instance.name);
      const name = `${service.namespace}/${service.name}`;
      return local.length > 0
        ? {
            ...base,
            healthState: 'HEALTHY',
            healthDetail: `${local.length} ready endpoint(s) of ${name} on this node (externalTrafficPolicy: Local, healthCheckNodePort ${service.healthCheckNodePort ?? '-'})`,
          }
        : {
            ...base,
            healthState: 'UNHEALTHY',
            healthDetail: `no ready endpoint of ${name} on this node (externalTrafficPolicy: Local, healthCheckNodePort ${service.healthCheckNodePort ?? '-'} answers 503)`,
          };
    }
    return {
      ...base,
      healthState: 'HEALTHY',
      healthDetail: cluster
        ? `kube-proxy answers the health check on port ${lb?.healthCheckPort ?? 10256} (externalTrafficPolicy: Cluster)`
        : 'the health check passes',
    };
  }

  // ---- Application Load Balancers (HTTP(S)) --------------------------------------------------------------

  /**
   * The proxy ends the client's connection: the URL map routes the request to a backend service (or a redirect),
   * Cloud Armor and then IAP on that backend service decide whether it passes, and the proxy opens a new
   * connection from a Google Front End address to a healthy backend instance on the backend service's port (GKE
   * Ingress: the Service's NodePort, where kube-proxy takes over).
   */
  private httpLoadBalancer(
    path: Path,
    rule: TraceForwardingRule,
    lb: TraceHttpLoadBalancer,
    packet: Packet,
  ): void {
    const given = this.query.http ?? {};
    const scheme = (
      given.scheme ?? (lb.targetProxyUri.includes('/targetHttpsProxies/') ? 'https' : 'http')
    ).toLowerCase();
    const host = given.host ?? packet.dstIp;
    const requestPath = given.path ?? '/';
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(given.headers ?? {}))
      headers[name.toLowerCase()] = String(value);
    headers['host'] ??= host;
    const method = (given.method ?? 'GET').toUpperCase();
    const route = routeUrlMap(lb.urlMap, { host, path: requestPath, headers });
    const service = route.service ? lb.backendServices[relativeUri(route.service)] : undefined;
    const request = {
      method,
      host,
      path: requestPath,
      scheme,
      sourceIp: packet.srcIp,
      headers,
      ...(given.identity ? { identity: given.identity } : {}),
    };
    const redirect = route.redirect
      ? {
          location: redirectLocation(route.redirect, scheme, host, requestPath),
          responseCode: REDIRECT_CODES[route.redirect.redirectResponseCode ?? ''] ?? '301',
        }
      : undefined;
    const routed = route.service ? relativeUri(route.service) : undefined;
    const arriveState =
      rule.scheme === 'EXTERNAL' ? 'ARRIVE_AT_EXTERNAL_LOAD_BALANCER' : 'ARRIVE_AT_INTERNAL_LOAD_BALANCER';
    const http = {
      request,
      targetProxy: lb.targetProxyUri,
      urlMap: lb.urlMapUri,
      ...(route.hostRule ? { hostRule: `hostRules[${route.hostRule.index}] ${route.hostRule.host}` } : {}),
      ...(route.pathMatcher ? { pathMatcher: route.pathMatcher } : {}),
      matched: route.matched,
      ...(routed ? { backendService: routed } : {}),
      ...(redirect ? { redirect } : {}),
    };
    const routing = `${method} ${scheme}://${host}${requestPath} routed by URL map ${resourceName(lb.urlMapUri)}${route.hostRule ? ` (host rule ${route.hostRule.host}, ` : ' ('}${route.matched})`;

    if (redirect) {
      this.end(
        path,
        this.step(arriveState, {
          description: `${routing}: the load balancer answers ${redirect.responseCode} redirect to ${redirect.location}.`,
          causesDrop: true,
          http,
        }),
        dropStep(this.project, 'DROPPED_INSIDE_GOOGLE_MANAGED_SERVICE', {
          resourceUri: lb.urlMapUri,
          sourceIp: packet.srcIp,
          destinationIp: packet.dstIp,
          description: `Final state: the URL map redirects the request (${redirect.responseCode} to ${redirect.location}); no backend receives it.`,
        }),
      );
      return;
    }
    if (routed?.includes('/backendBuckets/')) {
      this.end(
        path,
        this.step(arriveState, {
          description: `${routing} to backend bucket ${resourceName(routed)}.`,
          http,
        }),
        this.step('DELIVER', {
          description: `Final state: request delivered to backend bucket ${resourceName(routed)}.`,
          deliver: { target: 'STORAGE_BUCKET', resourceUri: routed },
        }),
      );
      return;
    }
    if (!service) {
      this.end(
        path,
        this.step(arriveState, {
          description: `${routing}: ${routed ? `backend service ${routed} is not known` : 'nothing to route to'}.`,
          causesDrop: true,
          http,
        }),
        dropStep(this.project, 'DROPPED_INSIDE_GOOGLE_MANAGED_SERVICE', {
          resourceUri: routed ?? lb.urlMapUri,
          destinationIp: packet.dstIp,
          description:
            'Final state: the load balancer has no backend service for the request (it answers 404/502).',
        }),
      );
      return;
    }

    const backends = service.backends.flatMap((uri) => {
      const instance = this.index.instanceByName.get(resourceName(uri));
      return instance ? [instance] : [];
    });
    const health = backends.map((instance) =>
      this.index.memo(`http|${service.uri}|${instance.name}`, () =>
        this.httpBackendHealth(service, instance),
      ),
    );
    let current = this.then(
      path,
      this.step(arriveState, {
        description: `${routing} to backend service ${service.name}.`,
        http,
        loadBalancer: {
          loadBalancerType: 'HTTP_PROXY',
          ...(service.healthCheckUri ? { healthCheckUri: service.healthCheckUri } : {}),
          backends: health,
          backendType: 'BACKEND_SERVICE',
          backendUri: service.uri,
        },
      }),
    );

    // Cloud Armor first, then IAP (Cloud Armor is evaluated before IAP).
    if (service.securityPolicy) {
      const policy = service.securityPolicy;
      const armorRequest: ArmorRequest = {
        sourceIp: packet.srcIp,
        method,
        path: requestPath.split('?')[0] || '/',
        ...(requestPath.includes('?') ? { query: requestPath.slice(requestPath.indexOf('?') + 1) } : {}),
        scheme,
        headers,
        ...(given.regionCode ? { regionCode: given.regionCode } : {}),
        backendService: service.uri,
      };
      const compiled = compiledPolicy(policy.name, policy.rules);
      // A trace is one request: rate-based rules see it as the first of its window.
      const decision = evaluateSecurityPolicy(compiled, armorRequest, {
        rateLimiter: new RateLimiter({ now: () => 0 }),
      });
      const report = reportArmorDecision(compiled, decision);
      const denied = report.outcome !== 'allow';
      const ruleText = report.matchedRule
        ? `rule ${report.matchedRule.priority} (${report.matchedRule.action}${report.matchedRule.rateLimit ? `, ${report.matchedRule.rateLimit.verdict} at ${report.matchedRule.rateLimit.count} of ${report.matchedRule.rateLimit.threshold} per ${report.matchedRule.rateLimit.intervalSec}s` : ''})`
        : 'no rule';
      const answer =
        report.outcome === 'deny'
          ? `denied with ${report.status}`
          : report.outcome === 'redirect'
            ? `redirected (${report.redirect?.type}${report.redirect?.target ? ` to ${report.redirect.target}` : ''})`
            : 'allowed';
      const previews = report.previewMatches.length
        ? `; preview rule(s) ${report.previewMatches.map((hit) => `${hit.priority} (${hit.action})`).join(', ')} matched, not applied`
        : '';
      const armorStep = this.step('APPLY_INGRESS_FIREWALL_RULE', {
        description: `Cloud Armor policy ${policy.name} on backend service ${service.name}: ${ruleText} matched, request ${answer}${previews}.`,
        causesDrop: denied,
        cloudArmor: { securityPolicy: policy.uri, ...report },
      });
      if (denied) {
        this.end(
          current,
          armorStep,
          dropStep(this.project, 'DROPPED_INSIDE_GOOGLE_MANAGED_SERVICE', {
            resourceUri: policy.uri,
            sourceIp: packet.srcIp,
            destinationIp: packet.dstIp,
            description: `Final state: Cloud Armor ${answer === 'allowed' ? 'stops' : answer.split(' ')[0]} the request (policy ${policy.name}, ${ruleText}).`,
          }),
        );
        return;
      }
      current = this.then(current, armorStep);
    } else if (service.missingSecurityPolicy) {
      current = this.then(
        current,
        this.step('APPLY_INGRESS_FIREWALL_RULE', {
          description: `Cloud Armor: backend service ${service.name} names security policy ${service.missingSecurityPolicy}, which does not exist; nothing is applied.`,
        }),
      );
    }
    if (service.iap?.enabled) {
      const identity = given.identity;
      const iapStep = this.step('ANALYZE_LOAD_BALANCER_BACKEND', {
        description: identity
          ? `Identity-Aware Proxy on backend service ${service.name}: request carries identity ${identity}.`
          : `Identity-Aware Proxy on backend service ${service.name}: the request carries no identity; IAP refuses it (302 to sign-in for a browser, 401 otherwise).`,
        causesDrop: !identity,
        iap: {
          enabled: true,
          ...(identity ? { identity } : {}),
          allowed: Boolean(identity),
          detail: identity
            ? 'authenticated; access levels and IAM bindings (roles/iap.httpsResourceAccessor) are not modelled'
            : 'no identity: IAP answers 302 to Google sign-in (browsers) or 401',
        },
      });
      if (!identity) {
        this.end(
          current,
          iapStep,
          dropStep(this.project, 'DROPPED_INSIDE_GOOGLE_MANAGED_SERVICE', {
            resourceUri: service.uri,
            sourceIp: packet.srcIp,
            destinationIp: packet.dstIp,
            description: `Final state: Identity-Aware Proxy refuses the unauthenticated request to backend service ${service.name}.`,
          }),
        );
        return;
      }
      current = this.then(current, iapStep);
    }

    if (backends.length === 0) {
      this.end(current, dropStep(this.project, 'FORWARDING_RULE_NO_INSTANCES', { resourceUri: service.uri }));
      return;
    }
    const healthy = backends.filter((_, i) => health[i]?.healthState === 'HEALTHY');
    if (healthy.length === 0) {
      // Application Load Balancers answer 502 when no backend is healthy; the trace shows each backend anyway.
      this.end(
        current,
        dropStep(this.project, 'DROPPED_INSIDE_GOOGLE_MANAGED_SERVICE', {
          resourceUri: service.uri,
          destinationIp: packet.dstIp,
          description: `Final state: no backend of ${service.name} passes its health check; the load balancer answers 502.`,
        }),
      );
      return;
    }
    for (const instance of healthy) {
      const proxied: Packet = {
        srcIp: GFE_SOURCE,
        dstIp: instance.internalIp,
        port: service.port,
        protocol: 'TCP',
      };
      const branch: Path = {
        steps: [
          ...current.steps,
          this.step('PROXY_CONNECTION', {
            description: `Transition state: the proxy opens a new connection from a Google Front End (${GFE_RANGES.join(', ')}) to ${instance.name} port ${service.port}.`,
            proxyConnection: {
              protocol: 'TCP',
              oldSourceIp: packet.srcIp,
              newSourceIp: GFE_SOURCE,
              oldDestinationIp: packet.dstIp,
              newDestinationIp: instance.internalIp,
              ...(packet.port !== undefined ? { oldDestinationPort: packet.port } : {}),
              newDestinationPort: service.port,
            },
          }),
        ],
        probability: current.probability / healthy.length,
      };
      const arrived = this.arriveAtInstance(branch, instance, proxied, undefined);
      if (arrived) this.insideNode(arrived, instance, proxied);
    }
  }

  /** Whether a backend instance passes an Application Load Balancer's health check (GKE: the NodePort answers). */
  private httpBackendHealth(service: TraceHttpBackendService, instance: TraceInstance): LoadBalancerBackend {
    const port = service.healthCheckPort ?? service.port;
    const allowing: string[] = [];
    const blocking: string[] = [];
    for (const range of GFE_RANGES) {
      const verdict = evaluatePacket(instance.firewall, {
        direction: 'INGRESS',
        srcIp: range.split('/')[0] ?? range,
        dstIp: instance.internalIp,
        protocol: 'tcp',
        port,
      });
      (verdict.action === 'allow' ? allowing : blocking).push(verdict.rule.name);
    }
    const base = {
      displayName: instance.name,
      uri: instance.uri,
      healthCheckFirewallState: blocking.length === 0 ? ('CONFIGURED' as const) : ('MISCONFIGURED' as const),
      healthCheckAllowingFirewallRules: [...new Set(allowing)],
      healthCheckBlockingFirewallRules: [...new Set(blocking)],
    };
    if (blocking.length > 0) {
      return {
        ...base,
        healthState: 'UNHEALTHY',
        healthDetail: `health-check probes to port ${port} are blocked by ${[...new Set(blocking)].join(', ')}`,
      };
    }
    const cluster = instance.cluster ? this.index.clusterByUri.get(instance.cluster) : undefined;
    if (!cluster) return { ...base, healthState: 'HEALTHY', healthDetail: 'the health check passes' };
    const kubeService = cluster.services.find((candidate) =>
      candidate.ports.some((servicePort) => servicePort.nodePort === service.port),
    );
    if (!kubeService) {
      return {
        ...base,
        healthState: 'UNHEALTHY',
        healthDetail: `no Service of the cluster has NodePort ${service.port}`,
      };
    }
    const name = `${kubeService.namespace}/${kubeService.name}`;
    const endpoints = this.index.endpointsOf(cluster, kubeService);
    const local = kubeService.externalTrafficPolicy === 'Local';
    const serving = local ? endpoints.filter((endpoint) => endpoint.nodeName === instance.name) : endpoints;
    return serving.length > 0
      ? {
          ...base,
          healthState: 'HEALTHY',
          healthDetail: `NodePort ${service.port} of ${name} answers: ${serving.length} ready endpoint(s)${local ? ' on this node (externalTrafficPolicy: Local)' : ''}`,
        }
      : {
          ...base,
          healthState: 'UNHEALTHY',
          healthDetail: `NodePort ${service.port} of ${name} has no ready endpoint${local ? ' on this node (externalTrafficPolicy: Local)' : ''}`,
        };
  }

  // ---- inside a GKE node ----------------------------------------------------------------------------------

  /** The packet arrived at a VM: on a GKE node, kube-proxy's rules decide where it goes next. */
  private insideNode(path: Path, instance: TraceInstance, packet: Packet): void {
    const cluster = instance.cluster ? this.index.clusterByUri.get(instance.cluster) : undefined;
    if (cluster && packet.port !== undefined && PORT_PROTOCOLS.has(packet.protocol)) {
      if (this.kubeProxy(path, cluster, instance, packet)) return;
    }
    const pod = cluster ? this.index.pod(packet.dstIp) : undefined;
    if (cluster && pod && pod.pod.nodeName === instance.name) {
      this.toPod(path, cluster, instance, packet, pod.pod);
      return;
    }
    if (packet.dstIp === instance.internalIp) {
      this.end(
        path,
        this.step('DELIVER', {
          description: 'Final state: packet delivered to instance.',
          deliver: { target: 'INSTANCE', resourceUri: instance.uri, ipAddress: packet.dstIp },
        }),
      );
      return;
    }
    this.end(
      path,
      dropStep(this.project, cluster ? 'DROPPED_INSIDE_GKE_SERVICE' : 'UNKNOWN_INTERNAL_ADDRESS', {
        resourceUri: instance.uri,
        destinationIp: packet.dstIp,
        description: `Final state: nothing on node ${instance.name} takes packets for ${packet.dstIp}:${packet.port ?? '-'} (no kube-proxy rule, no pod, not the node's address).`,
      }),
    );
  }

  /** Runs kube-proxy's rules on the node; true when they decided (DNAT, DROP or REJECT). */
  private kubeProxy(path: Path, cluster: TraceCluster, node: TraceInstance, packet: Packet): boolean {
    const { dump, localAddresses } = cluster.nodeIptables(node.name);
    const trace = tracePacket(
      dump,
      {
        sourceIP: packet.srcIp,
        destinationIP: packet.dstIp,
        destinationPort: packet.port ?? 0,
        protocol: packet.protocol as 'TCP' | 'UDP' | 'SCTP',
      },
      [...localAddresses],
    );
    if (trace.verdict === 'NONE' || (trace.verdict === 'ACCEPT' && trace.targets.length === 0)) return false;
    const service = this.index.serviceAt(cluster, packet.dstIp, packet.port ?? 0, packet.protocol);
    const nodePortService = service
      ? undefined
      : cluster.services.find((candidate) =>
          candidate.ports.some(
            (port) => port.nodePort === packet.port && (port.protocol ?? 'TCP') === packet.protocol,
          ),
        );
    const matched = service ?? nodePortService;
    const servicePort = matched ? `${matched.namespace}/${matched.name}:${packet.port ?? ''}` : undefined;
    const endpoints = trace.targets.map((target) => {
      const [ip = '', port = '0'] = target.split(':');
      const pod = this.index.pod(ip);
      return {
        ip,
        port: Number(port),
        probability: Number((1 / trace.targets.length).toFixed(6)),
        ...(pod
          ? {
              pod: `${pod.pod.namespace}/${pod.pod.name}`,
              ...(pod.pod.nodeName ? { node: pod.pod.nodeName } : {}),
            }
          : {}),
      };
    });
    const info = (chosen?: string): KubeProxyStepInfo => ({
      node: node.name,
      ...(servicePort ? { servicePort } : {}),
      chains: [...trace.chains],
      verdict: trace.verdict,
      endpoints,
      ...(chosen ? { chosenEndpoint: chosen } : {}),
      masquerade: trace.masquerade,
    });
    if (trace.verdict === 'DROP' || trace.verdict === 'REJECT') {
      const firewallChain = trace.chains.find((chain) => /KUBE-(FW|PROXY-FIREWALL|EXT)/.test(chain));
      this.end(
        path,
        this.step('NAT', {
          description: `kube-proxy on ${node.name}: ${servicePort ?? 'the packet'} ${trace.verdict === 'DROP' ? 'dropped' : 'rejected'}${firewallChain ? ` in ${firewallChain}` : ''}.`,
          causesDrop: true,
          kubeProxy: info(),
        }),
        dropStep(this.project, 'DROPPED_INSIDE_GKE_SERVICE', {
          resourceUri: node.uri,
          sourceIp: packet.srcIp,
          destinationIp: packet.dstIp,
          description: `Final state: kube-proxy ${trace.verdict === 'DROP' ? 'drops' : 'rejects'} the packet on node ${node.name}${matched && endpoints.length === 0 ? ` (${matched.namespace}/${matched.name} has no endpoint it may use here)` : ''}.`,
        }),
      );
      return true;
    }
    for (const endpoint of endpoints) {
      const chosen = `${endpoint.ip}:${endpoint.port}`;
      const source = trace.masquerade && !packet.srcPod ? node.internalIp : packet.srcIp;
      const natStep = this.step('NAT', {
        description: `kube-proxy on ${node.name}: ${servicePort ?? `${packet.dstIp}:${packet.port ?? ''}`} DNAT to ${chosen}${trace.masquerade ? ', source masqueraded to the node' : ''} (chance ${endpoint.probability}).`,
        kubeProxy: info(chosen),
      });
      const branch: Path = {
        steps: [...path.steps, natStep],
        probability: path.probability * endpoint.probability,
      };
      const translated: Packet = { ...packet, srcIp: source, dstIp: endpoint.ip, port: endpoint.port };
      const pod = this.index.pod(endpoint.ip);
      if (pod && pod.cluster === cluster) {
        this.toPod(branch, cluster, node, translated, pod.pod);
      } else {
        // An endpoint that is not a pod (hostNetwork, or an address outside the cluster): back into the VPC.
        this.fromInstance(branch, node, translated);
      }
    }
    return true;
  }

  private networkPolicyStep(
    cluster: TraceCluster,
    verdict: DirectionVerdict,
    pod: PodInfo,
  ): { step: Step; dropped: boolean } {
    const { enforced, mode } = cluster.networkPolicy;
    const dropped = enforced && !verdict.allowed;
    const podName = `${pod.namespace}/${pod.name}`;
    const outcome = verdict.allowed
      ? verdict.allowingRules.length > 0
        ? `allowed by ${verdict.allowingRules.map((rule) => `${formatPolicyRef(rule.policy)} ${rule.direction}[${rule.ruleIndex}]`).join(', ')}`
        : `allowed (${verdict.decision})`
      : `denied: isolated by ${verdict.isolatingPolicies.map(formatPolicyRef).join(', ')} and no rule matches`;
    const state =
      verdict.direction === 'ingress' ? 'APPLY_INGRESS_FIREWALL_RULE' : 'APPLY_EGRESS_FIREWALL_RULE';
    return {
      dropped,
      step: this.step(state, {
        description: `NetworkPolicy ${verdict.direction} of pod ${podName}: ${outcome}${enforced ? '' : ` — not enforced: the cluster has NetworkPolicy ${mode}`}.`,
        causesDrop: dropped,
        networkPolicy: {
          pod: podName,
          direction: verdict.direction,
          enforced,
          enforcement: mode,
          allowed: verdict.allowed,
          decision: verdict.decision,
          isolatingPolicies: verdict.isolatingPolicies.map(formatPolicyRef),
          allowingRules: verdict.allowingRules.map(
            (rule) => `${formatPolicyRef(rule.policy)} ${rule.direction}[${rule.ruleIndex}]`,
          ),
        },
      }),
    };
  }

  /** From a node (the packet's current place) to a pod of the cluster: another node's VM if it lives there. */
  private toPod(path: Path, cluster: TraceCluster, from: TraceInstance, packet: Packet, pod: PodInfo): void {
    const protocol = PORT_PROTOCOLS.has(packet.protocol) ? (packet.protocol as 'TCP' | 'UDP' | 'SCTP') : null;
    const source = packet.srcPod?.cluster === cluster ? packet.srcPod.pod : undefined;
    const verdict =
      protocol && packet.port !== undefined
        ? evaluateConnection(cluster.policies, {
            source: source
              ? { pod: { namespace: source.namespace, name: source.name } }
              : {
                  ip: packet.srcIp,
                  ...(this.nodeNameOf(packet.srcIp) ? { node: this.nodeNameOf(packet.srcIp) } : {}),
                },
            destination: { pod: { namespace: pod.namespace, name: pod.name } },
            protocol,
            port: packet.port,
          })
        : null;
    let current = path;
    if (verdict && source) {
      const egress = this.networkPolicyStep(cluster, verdict.egress, source);
      if (egress.dropped) {
        this.end(current, egress.step, this.policyDrop(from, packet, 'egress'));
        return;
      }
      current = this.then(current, egress.step);
    }
    if (pod.nodeName && pod.nodeName !== from.name) {
      const target = this.index.instanceByName.get(pod.nodeName);
      if (!target) {
        this.end(
          current,
          dropStep(this.project, 'UNKNOWN_INTERNAL_ADDRESS', { destinationIp: packet.dstIp }),
        );
        return;
      }
      const afterEgress = this.firewall(current, from, 'EGRESS', packet);
      if (!afterEgress) return;
      const selection = selectRoute(from.routing, packet.dstIp);
      const [route] = selection.kind === 'routed' ? selection.routes : [];
      if (!route) {
        this.end(
          afterEgress,
          dropStep(this.project, 'NO_ROUTE', { resourceUri: from.networkUri, destinationIp: packet.dstIp }),
        );
        return;
      }
      const routed = this.then(
        afterEgress,
        this.step('APPLY_ROUTE', { route: routeInfo(this.project, from.networkUri, route) }),
      );
      const arrived = this.arriveAtInstance(routed, target, packet, from);
      if (!arrived) return;
      current = arrived;
    }
    if (verdict) {
      const ingress = this.networkPolicyStep(cluster, verdict.ingress, pod);
      if (ingress.dropped) {
        this.end(current, ingress.step, this.policyDrop(from, packet, 'ingress'));
        return;
      }
      current = this.then(current, ingress.step);
    }
    const node = pod.nodeName ? this.index.instanceByName.get(pod.nodeName) : undefined;
    this.end(
      current,
      this.step('DELIVER', {
        description: `Final state: packet delivered to pod ${pod.namespace}/${pod.name}${pod.nodeName ? ` on node ${pod.nodeName}` : ''}.`,
        deliver: { target: 'INSTANCE', ...(node ? { resourceUri: node.uri } : {}), ipAddress: packet.dstIp },
        pod: {
          namespace: pod.namespace,
          name: pod.name,
          ip: pod.ip ?? packet.dstIp,
          ...(pod.nodeName ? { node: pod.nodeName } : {}),
        },
      }),
    );
  }

  private policyDrop(node: TraceInstance, packet: Packet, direction: string): Step {
    return dropStep(this.project, 'DROPPED_INSIDE_GKE_SERVICE', {
      resourceUri: node.uri,
      sourceIp: packet.srcIp,
      destinationIp: packet.dstIp,
      description: `Final state: packet dropped by NetworkPolicy (${direction}).`,
    });
  }

  private nodeNameOf(ip: string): string | undefined {
    return this.index.instanceByIp.get(ip)?.name;
  }

  // ---- the start ------------------------------------------------------------------------------------------

  run(packet: Packet, source: Source): void {
    const start: Path = { steps: [], probability: 1 };
    switch (source.kind) {
      case 'instance': {
        const first = this.then(
          start,
          this.step('START_FROM_INSTANCE', {
            instance: instanceInfo(source.instance),
            ...(packet.srcPod
              ? {
                  description: `Initial state: packet originating from pod ${packet.srcPod.pod.namespace}/${packet.srcPod.pod.name} on the Compute Engine instance ${source.instance.name}.`,
                  pod: {
                    namespace: packet.srcPod.pod.namespace,
                    name: packet.srcPod.pod.name,
                    ip: packet.srcIp,
                    node: source.instance.name,
                  },
                }
              : {}),
          }),
        );
        this.fromInstanceStart(first, source.instance, packet);
        return;
      }
      case 'private-network': {
        const first = this.then(
          start,
          this.step('START_FROM_PRIVATE_NETWORK', {
            network: {
              displayName: source.network.name,
              uri: source.network.uri,
              matchedIpRange: source.range,
            },
          }),
        );
        this.arriveInVpc(first, packet, undefined);
        return;
      }
      case 'internet': {
        const first = this.then(start, this.step('START_FROM_INTERNET', { endpoint: this.endpointInfo }));
        const rules = this.index.forwardingRulesByIp
          .get(packet.dstIp)
          ?.filter((rule) => rule.scheme === 'EXTERNAL');
        if (rules?.length) {
          this.loadBalancer(first, rules[0] as TraceForwardingRule, packet, undefined);
          return;
        }
        const instance = this.index.instanceByExternalIp.get(packet.dstIp);
        if (instance) {
          this.fromInternetToInstance(first, instance, packet);
          return;
        }
        if (this.index.networkOf(packet.dstIp) || this.index.instanceByIp.has(packet.dstIp)) {
          this.end(
            first,
            dropStep(this.project, 'NO_ROUTE', {
              destinationIp: packet.dstIp,
              description: `Final state: ${packet.dstIp} is an internal address, which the internet cannot route to.`,
            }),
          );
          return;
        }
        this.end(first, dropStep(this.project, 'UNKNOWN_EXTERNAL_ADDRESS', { destinationIp: packet.dstIp }));
      }
    }
  }

  /** A pod's packet first meets kube-proxy on its own node (a ClusterIP is translated there). */
  private fromInstanceStart(path: Path, instance: TraceInstance, packet: Packet): void {
    const srcPod = packet.srcPod;
    if (srcPod && packet.port !== undefined && PORT_PROTOCOLS.has(packet.protocol)) {
      if (this.kubeProxy(path, srcPod.cluster, instance, packet)) return;
    }
    const pod = this.index.pod(packet.dstIp);
    if (pod && pod.pod.nodeName === instance.name) {
      this.toPod(path, pod.cluster, instance, packet, pod.pod);
      return;
    }
    if (srcPod && pod && pod.cluster === srcPod.cluster) {
      this.toPod(path, pod.cluster, instance, packet, pod.pod);
      return;
    }
    if (packet.dstIp === instance.internalIp) {
      this.insideNode(path, instance, packet);
      return;
    }
    this.fromInstance(path, instance, packet);
  }
}

type Source =
  | { kind: 'instance'; instance: TraceInstance }
  | { kind: 'private-network'; network: { name: string; uri: string }; range: string }
  | { kind: 'internet' };

function resultOf(traces: readonly Trace[]): ReachabilityDetails['result'] {
  const finals = traces.map((trace) => trace.steps[trace.steps.length - 1]?.state);
  const delivered = finals.filter((state) => state === 'DELIVER' || state === 'FORWARD').length;
  if (traces.length === 0) return 'UNDETERMINED';
  if (delivered === traces.length) return 'REACHABLE';
  if (delivered > 0) return 'AMBIGUOUS';
  return finals.every((state) => state === 'ABORT') ? 'UNDETERMINED' : 'UNREACHABLE';
}

function aborted(endpointInfo: EndpointInfo, step: Step): ReachabilityDetails {
  return { result: 'UNDETERMINED', traces: [{ endpointInfo, steps: [step] }] };
}

/**
 * Composes the reachability details of one test. Inputs the analysis cannot place (an unknown instance, an
 * address that is not IPv4) give an UNDETERMINED result with an ABORT step naming Google's cause; `verifyTime`
 * is the caller's.
 */
export function composeReachability(inputs: TraceInputs, query: TraceQuery): ReachabilityDetails {
  const project = inputs.project;
  const index = traceIndex(inputs);
  const protocol = (query.protocol ?? 'TCP').toUpperCase();
  const { source, destination } = query;

  let sourceInstance: TraceInstance | undefined;
  if (source.instance) {
    sourceInstance = index.instanceByName.get(resourceName(source.instance));
    if (!sourceInstance) {
      return aborted({}, abortStep(project, 'SOURCE_ENDPOINT_NOT_FOUND', { resourceUri: source.instance }));
    }
  }
  let rule: TraceForwardingRule | undefined;
  if (destination.forwardingRule) {
    rule = inputs.forwardingRules.find(
      (candidate) => relativeUri(candidate.uri) === relativeUri(destination.forwardingRule ?? ''),
    );
    if (!rule) {
      return aborted(
        {},
        abortStep(project, 'DESTINATION_ENDPOINT_NOT_FOUND', { resourceUri: destination.forwardingRule }),
      );
    }
  }
  let destinationInstance: TraceInstance | undefined;
  if (destination.instance) {
    destinationInstance = index.instanceByName.get(resourceName(destination.instance));
    if (!destinationInstance) {
      return aborted(
        {},
        abortStep(project, 'DESTINATION_ENDPOINT_NOT_FOUND', { resourceUri: destination.instance }),
      );
    }
  }
  const srcIp = source.ipAddress ?? sourceInstance?.internalIp;
  const dstIp = destination.ipAddress ?? rule?.ip ?? destinationInstance?.internalIp;
  const port = PORT_PROTOCOLS.has(protocol) ? destination.port : undefined;
  const endpointInfo: EndpointInfo = {
    ...(srcIp ? { sourceIp: srcIp } : {}),
    ...(dstIp ? { destinationIp: dstIp } : {}),
    protocol,
    ...(port !== undefined ? { destinationPort: port } : {}),
    ...(sourceInstance ? { sourceNetworkUri: sourceInstance.networkUri } : {}),
  };
  if (!srcIp) return aborted(endpointInfo, abortStep(project, 'NO_SOURCE_LOCATION'));
  if (parseIpv4(srcIp) === null) {
    return aborted(
      endpointInfo,
      abortStep(project, 'INVALID_ARGUMENT', {
        ipAddress: srcIp,
        description: `Aborted: ${srcIp} is not an IPv4 address.`,
      }),
    );
  }
  if (!dstIp) {
    return aborted(
      endpointInfo,
      abortStep(project, 'DESTINATION_ENDPOINT_NOT_FOUND', {
        description: 'Aborted: the destination names no address.',
      }),
    );
  }
  if (parseIpv4(dstIp) === null) {
    return aborted(
      endpointInfo,
      abortStep(project, 'INVALID_ARGUMENT', {
        ipAddress: dstIp,
        description: `Aborted: ${dstIp} is not an IPv4 address.`,
      }),
    );
  }
  if (
    PORT_PROTOCOLS.has(protocol) &&
    (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535)
  ) {
    return aborted(
      endpointInfo,
      abortStep(project, 'INVALID_ARGUMENT', {
        description: `Aborted: a ${protocol} test needs a destination port from 1 to 65535.`,
      }),
    );
  }

  const pod = index.pod(srcIp);
  const podNode = pod?.pod.nodeName ? index.instanceByName.get(pod.pod.nodeName) : undefined;
  let origin: Source;
  let srcPod: Packet['srcPod'];
  if (sourceInstance) origin = { kind: 'instance', instance: sourceInstance };
  else if (pod && podNode) {
    origin = { kind: 'instance', instance: podNode };
    srcPod = pod;
  } else {
    const instance = index.instanceByIp.get(srcIp);
    const network = index.networkOf(srcIp);
    if (instance) origin = { kind: 'instance', instance };
    else if (network) origin = { kind: 'private-network', network: network.network, range: network.range };
    else origin = { kind: 'internet' };
  }
  const composer = new Composer(inputs, query, endpointInfo);
  composer.run({ srcIp, dstIp, port, protocol, ...(srcPod ? { srcPod } : {}) }, origin);
  return { result: resultOf(composer.traces), traces: composer.traces };
}
