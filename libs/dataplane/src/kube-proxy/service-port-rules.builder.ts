import { cidrHasAddress, formatCidr } from '@gke-emulator/netaddr';

import { type CategorizedEndpoints } from './endpoint-categorizer';
import { computeProbability } from './probability';
import { commentWords, protocolWords, ruleLine } from './rule-line';
import { type EndpointInfo } from './service-endpoints';
import { type ServicePortInfo } from './service-port-info';
import {
  KUBE_EXTERNAL_SERVICES,
  KUBE_MARK_MASQ,
  KUBE_NODEPORTS,
  KUBE_PROXY_FIREWALL,
  KUBE_SERVICES,
} from './well-known-chains';

/** Settings that shape one service port's rules, resolved from the config (and the node where it matters). */
export interface ServicePortRuleSettings {
  readonly masqueradeAll: boolean;
  /** The pod range for "-s"/"! -s" local-traffic matches; null when local traffic cannot be detected. */
  readonly localTrafficCidr: string | null;
  /** Write the "-d 127.0.0.0/8 ... -m nfacct" NodePort rule. */
  readonly localhostNodePortRule: boolean;
  /** The node's primary IPv4 address as a number; null while building the node-independent part. */
  readonly nodeIP: number | null;
  /** Past 1000 endpoints kube-proxy drops the comments of SEP chains and endpoint jumps to save space. */
  readonly largeClusterMode: boolean;
}

/** The rules one service port contributes: lines per chain, in the order kube-proxy writes them. */
export interface ServicePortRules {
  readonly servicePort: ServicePortInfo;
  /** Rules for the shared filter chains (KUBE-SERVICES, KUBE-EXTERNAL-SERVICES, KUBE-NODEPORTS...). */
  readonly filter: ReadonlyMap<string, readonly string[]>;
  /** Rules for KUBE-SERVICES and KUBE-NODEPORTS and for the port's own SVC/SVL/EXT/FW/SEP chains. */
  readonly nat: ReadonlyMap<string, readonly string[]>;
}

class ChainLines {
  readonly chains = new Map<string, string[]>();

  add(chain: string, line: string): void {
    const lines = this.chains.get(chain);
    if (lines) lines.push(line);
    else this.chains.set(chain, [line]);
  }
}

function destinationWords(port: ServicePortInfo, address: string, portNumber: number): readonly string[] {
  return [...protocolWords(port.ruleProtocol), '-d', address, '--dport', String(portNumber)];
}

/** Rules jumping from a SVC/SVL chain to endpoint chains: affinity checks first, then the random spread. */
function writeServiceToEndpointRules(
  nat: ChainLines,
  port: ServicePortInfo,
  chain: string,
  endpoints: readonly EndpointInfo[],
  settings: ServicePortRuleSettings,
): void {
  const name = port.servicePortName;
  const comment = (endpoint: EndpointInfo): readonly string[] =>
    settings.largeClusterMode ? [] : commentWords(`${name} -> ${endpoint.endpoint}`);
  if (port.stickyMaxAgeSeconds !== null) {
    for (const endpoint of endpoints) {
      nat.add(
        chain,
        ruleLine(chain, comment(endpoint), [
          ...['-m', 'recent', '--name', endpoint.chain, '--rcheck'],
          ...['--seconds', String(port.stickyMaxAgeSeconds), '--reap', '-j', endpoint.chain],
        ]),
      );
    }
  }
  endpoints.forEach((endpoint, index) => {
    const remaining = endpoints.length - index;
    const statistic =
      remaining > 1
        ? ['-m', 'statistic', '--mode', 'random', '--probability', computeProbability(remaining)]
        : [];
    nat.add(chain, ruleLine(chain, comment(endpoint), statistic, ['-j', endpoint.chain]));
  });
}

/**
 * Builds the rules of one service port, following kube-proxy's syncProxyRules: capture rules in KUBE-SERVICES
 * and KUBE-NODEPORTS, filter-table REJECT/DROP when nothing can serve, the EXT chain's short-circuits for
 * traffic from inside the cluster, the FW chain for loadBalancerSourceRanges, and the SVC/SVL/SEP chains.
 */
export function buildServicePortRules(
  port: ServicePortInfo,
  categorized: CategorizedEndpoints,
  settings: ServicePortRuleSettings,
): ServicePortRules {
  const filter = new ChainLines();
  const nat = new ChainLines();
  const name = port.servicePortName;
  const { chains } = port;
  const { clusterEndpoints, localEndpoints, reachableEndpoints, hasAnyEndpoints } = categorized;

  const usesClusterChain = clusterEndpoints.length > 0 && port.usesClusterEndpoints;
  const usesLocalChain = localEndpoints.length > 0 && port.usesLocalEndpoints;
  const internalChain = port.internalPolicyLocal ? chains.local : chains.cluster;
  const hasInternalEndpoints = hasAnyEndpoints && (!port.internalPolicyLocal || localEndpoints.length > 0);
  const externalPolicyChain = port.externalPolicyLocal ? chains.local : chains.cluster;
  const hasExternalEndpoints = hasAnyEndpoints && (!port.externalPolicyLocal || localEndpoints.length > 0);
  // The EXT chain is needed even without external endpoints, for the short-circuit of traffic from inside.
  const usesExternalChain = hasAnyEndpoints && port.externallyAccessible;
  const usesFirewallChain =
    hasAnyEndpoints && port.loadBalancerVIPs.length > 0 && port.loadBalancerSourceRanges.length > 0;
  const loadBalancerChain = usesFirewallChain ? chains.firewall : chains.external;

  // Traffic no endpoint may serve: REJECT when there are none at all, DROP when only this policy has none
  // here.
  const blocked = hasAnyEndpoints
    ? { target: 'DROP', comment: `${name} has no local endpoints` }
    : { target: 'REJECT', comment: `${name} has no endpoints` };

  const clusterIPMatch = destinationWords(port, port.clusterIP, port.port);
  if (hasInternalEndpoints) {
    nat.add(
      KUBE_SERVICES,
      ruleLine(KUBE_SERVICES, commentWords(`${name} cluster IP`), clusterIPMatch, '-j', internalChain),
    );
  } else {
    filter.add(
      KUBE_SERVICES,
      ruleLine(KUBE_SERVICES, commentWords(blocked.comment), clusterIPMatch, '-j', blocked.target),
    );
  }

  for (const externalIP of port.externalIPs) {
    const match = destinationWords(port, externalIP, port.port);
    if (hasAnyEndpoints) {
      nat.add(
        KUBE_SERVICES,
        ruleLine(KUBE_SERVICES, commentWords(`${name} external IP`), match, '-j', chains.external),
      );
    }
    if (!hasExternalEndpoints) {
      filter.add(
        KUBE_EXTERNAL_SERVICES,
        ruleLine(KUBE_EXTERNAL_SERVICES, commentWords(blocked.comment), match, '-j', blocked.target),
      );
    }
  }

  for (const vip of port.loadBalancerVIPs) {
    const match = destinationWords(port, vip, port.port);
    if (hasAnyEndpoints) {
      nat.add(
        KUBE_SERVICES,
        ruleLine(KUBE_SERVICES, commentWords(`${name} loadbalancer IP`), match, '-j', loadBalancerChain),
      );
    }
    if (usesFirewallChain) {
      filter.add(
        KUBE_PROXY_FIREWALL,
        ruleLine(
          KUBE_PROXY_FIREWALL,
          commentWords(`${name} traffic not accepted by ${chains.firewall}`),
          match,
          '-j',
          'DROP',
        ),
      );
    }
  }
  if (!hasExternalEndpoints) {
    for (const vip of port.loadBalancerVIPs) {
      filter.add(
        KUBE_EXTERNAL_SERVICES,
        ruleLine(
          KUBE_EXTERNAL_SERVICES,
          commentWords(blocked.comment),
          destinationWords(port, vip, port.port),
          '-j',
          blocked.target,
        ),
      );
    }
  }

  if (port.nodePort !== 0) {
    const nodePort = String(port.nodePort);
    if (hasAnyEndpoints) {
      // NodePorts are not subject to loadBalancerSourceRanges, for better or worse.
      if (settings.localhostNodePortRule) {
        nat.add(
          KUBE_NODEPORTS,
          ruleLine(KUBE_NODEPORTS, commentWords(name), protocolWords(port.ruleProtocol), [
            ...['-d', '127.0.0.0/8', '--dport', nodePort],
            ...['-m', 'nfacct', '--nfacct-name', 'localhost_nps_accepted_pkts', '-j', chains.external],
          ]),
        );
      }
      nat.add(
        KUBE_NODEPORTS,
        ruleLine(KUBE_NODEPORTS, commentWords(name), protocolWords(port.ruleProtocol), '--dport', nodePort, [
          '-j',
          chains.external,
        ]),
      );
    }
    if (!hasExternalEndpoints) {
      filter.add(
        KUBE_EXTERNAL_SERVICES,
        ruleLine(KUBE_EXTERNAL_SERVICES, commentWords(blocked.comment), [
          ...['-m', 'addrtype', '--dst-type', 'LOCAL', ...protocolWords(port.ruleProtocol)],
          ...['--dport', nodePort, '-j', blocked.target],
        ]),
      );
    }
  }

  if (port.healthCheckNodePort !== 0) {
    // Accepted whether or not this node has local endpoints: the load balancer's probe must get an answer.
    filter.add(
      KUBE_NODEPORTS,
      ruleLine(KUBE_NODEPORTS, commentWords(`${name} health check node port`), protocolWords('tcp'), [
        ...['--dport', String(port.healthCheckNodePort), '-j', 'ACCEPT'],
      ]),
    );
  }

  if (hasInternalEndpoints) {
    if (settings.masqueradeAll) {
      nat.add(
        internalChain,
        ruleLine(internalChain, commentWords(`${name} cluster IP`), clusterIPMatch, '-j', KUBE_MARK_MASQ),
      );
    } else if (settings.localTrafficCidr !== null) {
      // Off-cluster traffic to a cluster IP (via a static route to a node) may leave the node again: SNAT it.
      nat.add(
        internalChain,
        ruleLine(internalChain, commentWords(`${name} cluster IP`), clusterIPMatch, [
          ...['!', '-s', settings.localTrafficCidr, '-j', KUBE_MARK_MASQ],
        ]),
      );
    }
  }

  if (usesExternalChain) {
    const ext = chains.external;
    if (!port.externalPolicyLocal) {
      nat.add(
        ext,
        ruleLine(
          ext,
          commentWords(`masquerade traffic for ${name} external destinations`),
          '-j',
          KUBE_MARK_MASQ,
        ),
      );
    } else {
      if (settings.localTrafficCidr !== null) {
        // Pod traffic to an external address acts as if it went out to the load balancer and came back.
        nat.add(
          ext,
          ruleLine(ext, commentWords(`pod traffic for ${name} external destinations`), [
            ...['-s', settings.localTrafficCidr, '-j', chains.cluster],
          ]),
        );
      }
      // The node's own traffic gets a local source address, so it must be masqueraded to come back.
      const localSource = ['-m', 'addrtype', '--src-type', 'LOCAL'];
      nat.add(
        ext,
        ruleLine(
          ext,
          commentWords(`masquerade LOCAL traffic for ${name} external destinations`),
          localSource,
          ['-j', KUBE_MARK_MASQ],
        ),
      );
      nat.add(
        ext,
        ruleLine(ext, commentWords(`route LOCAL traffic for ${name} external destinations`), localSource, [
          '-j',
          chains.cluster,
        ]),
      );
    }
    if (hasExternalEndpoints) nat.add(ext, ruleLine(ext, '-j', externalPolicyChain));
  }

  if (usesFirewallChain) {
    const fw = chains.firewall;
    const lbComment = commentWords(`${name} loadbalancer IP`);
    let allowFromNode = false;
    for (const range of port.loadBalancerSourceRanges) {
      nat.add(fw, ruleLine(fw, lbComment, '-s', formatCidr(range), '-j', chains.external));
      if (settings.nodeIP !== null && cidrHasAddress(range, settings.nodeIP)) allowFromNode = true;
    }
    // A VIP that is also a local address makes the node's requests loop back with the VIP as source.
    if (allowFromNode) {
      for (const vip of port.loadBalancerVIPs)
        nat.add(fw, ruleLine(fw, lbComment, '-s', vip, '-j', chains.external));
    }
    // No jump: what falls through was not DNATed and meets the DROP in KUBE-PROXY-FIREWALL.
    nat.add(
      fw,
      ruleLine(fw, commentWords(`other traffic to ${name} will be dropped by KUBE-PROXY-FIREWALL`)),
    );
  }

  if (usesClusterChain) writeServiceToEndpointRules(nat, port, chains.cluster, clusterEndpoints, settings);
  if (usesLocalChain) writeServiceToEndpointRules(nat, port, chains.local, localEndpoints, settings);

  const endpointComment = settings.largeClusterMode ? [] : commentWords(name);
  for (const endpoint of reachableEndpoints) {
    const sep = endpoint.chain;
    // Hairpin: an endpoint reaching itself through the service must be SNATed to see the reply.
    nat.add(sep, ruleLine(sep, endpointComment, '-s', endpoint.ip, '-j', KUBE_MARK_MASQ));
    const affinity = port.stickyMaxAgeSeconds !== null ? ['-m', 'recent', '--name', sep, '--set'] : [];
    nat.add(
      sep,
      ruleLine(sep, endpointComment, affinity, protocolWords(port.ruleProtocol), [
        ...['-j', 'DNAT', '--to-destination', endpoint.endpoint],
      ]),
    );
  }

  return { servicePort: port, filter: filter.chains, nat: nat.chains };
}
