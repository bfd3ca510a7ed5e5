import { cidrHasAddress, formatIpv4, parseIpv4 } from '@gke-emulator/netaddr';

import {
  type ClusterKubeProxyRules,
  type CompiledServicePort,
  type ClusterProxyInput,
  compileClusterRules,
} from './cluster-rules.compiler';
import { categorizeEndpoints } from './endpoint-categorizer';
import { type IptablesDump, type IptablesTable } from './iptables-dump';
import { compareChainNames } from './iptables-dump.sorter';
import { renderIptablesRestore } from './iptables-restore.renderer';
import { type ResolvedKubeProxyConfig, servicePortRuleSettings } from './kube-proxy-config.resolver';
import { type NodeContext } from './kube-proxy.types';
import { commentWords, ruleLine } from './rule-line';
import {
  type ServicePortRuleSettings,
  type ServicePortRules,
  buildServicePortRules,
} from './service-port-rules.builder';
import {
  FILTER_BASE_CHAINS,
  KUBE_FIREWALL,
  KUBE_FORWARD,
  KUBE_MARK_MASQ,
  KUBE_NODEPORTS,
  KUBE_POSTROUTING,
  KUBE_SERVICES,
  NAT_BASE_CHAINS,
} from './well-known-chains';

const LOOPBACK = '127.0.0.1';

/** Every IPv4 address local to the node (what "-m addrtype --dst-type LOCAL" matches), loopback included. */
export function nodeLocalAddresses(node: NodeContext): string[] {
  const addresses = [LOOPBACK, node.nodeIP, ...(node.localAddresses ?? [])].map((address) => address.trim());
  return [...new Set(addresses)].filter((address) => parseIpv4(address) !== null);
}

function rulesOnNode(
  compiled: CompiledServicePort,
  node: NodeContext,
  settings: ServicePortRuleSettings,
): ServicePortRules {
  if (compiled.kind === 'shared') return compiled.rules;
  const { servicePort, endpoints } = compiled;
  return buildServicePortRules(
    servicePort,
    categorizeEndpoints(endpoints, servicePort, node.nodeName),
    settings,
  );
}

/** The "jump to KUBE-NODEPORTS" rules that end nat KUBE-SERVICES. */
export function nodePortJumps(config: ResolvedKubeProxyConfig, node: NodeContext): string[] {
  const comment = commentWords(
    'kubernetes service nodeports; NOTE: this must be the last rule in this chain',
  );
  if (config.nodePortCidrs === null) {
    // Localhost NodePorts need route_localnet; without it, keep 127.0.0.0/8 out.
    const loopback = config.localhostNodePorts ? [] : ['!', '-d', '127.0.0.0/8'];
    return [
      ruleLine(
        KUBE_SERVICES,
        comment,
        '-m',
        'addrtype',
        '--dst-type',
        'LOCAL',
        loopback,
        '-j',
        KUBE_NODEPORTS,
      ),
    ];
  }
  const cidrs = config.nodePortCidrs;
  return nodeLocalAddresses(node)
    .map((address) => parseIpv4(address) ?? 0)
    .filter((address) => cidrs.some((cidr) => cidrHasAddress(cidr, address)))
    .filter((address) => config.localhostNodePorts || address >>> 24 !== 127)
    .sort((a, b) => a - b)
    .map((address) => ruleLine(KUBE_SERVICES, comment, '-d', formatIpv4(address), '-j', KUBE_NODEPORTS));
}

/** The rules that end filter KUBE-FORWARD. */
export function forwardRules(config: ResolvedKubeProxyConfig): string[] {
  const mark = `${config.masqueradeMark}/${config.masqueradeMark}`;
  const rules: string[] = [];
  if (!config.conntrackTcpLiberal) {
    // INVALID packets would otherwise reset connections (kubernetes/kubernetes#74839).
    const counter = config.ctStateInvalidCounter
      ? ['-m', 'nfacct', '--nfacct-name', 'ct_state_invalid_dropped_pkts']
      : [];
    rules.push(ruleLine(KUBE_FORWARD, '-m', 'conntrack', '--ctstate', 'INVALID', counter, '-j', 'DROP'));
  }
  rules.push(
    ruleLine(
      KUBE_FORWARD,
      commentWords('kubernetes forwarding rules'),
      '-m',
      'mark',
      '--mark',
      mark,
      '-j',
      'ACCEPT',
    ),
    ruleLine(KUBE_FORWARD, commentWords('kubernetes forwarding conntrack rule'), [
      ...['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'],
    ]),
  );
  return rules;
}

/** The rules that open nat KUBE-POSTROUTING and KUBE-MARK-MASQ. */
export function natBaseRules(config: ResolvedKubeProxyConfig): Map<string, string[]> {
  const mark = config.masqueradeMark;
  const masquerade = ['-j', 'MASQUERADE', ...(config.masqueradeRandomFully ? ['--random-fully'] : [])];
  return new Map([
    [
      KUBE_POSTROUTING,
      [
        ruleLine(KUBE_POSTROUTING, '-m', 'mark', '!', '--mark', `${mark}/${mark}`, '-j', 'RETURN'),
        // Clear the mark so that a packet traversing the stack again is not masqueraded twice.
        ruleLine(KUBE_POSTROUTING, '-j', 'MARK', '--xor-mark', mark),
        ruleLine(KUBE_POSTROUTING, commentWords('kubernetes service traffic requiring SNAT'), masquerade),
      ],
    ],
    [KUBE_MARK_MASQ, [ruleLine(KUBE_MARK_MASQ, '-j', 'MARK', '--or-mark', mark)]],
  ]);
}

/** The rules that open filter KUBE-FIREWALL (none unless localhost NodePorts are on). */
export function localnetFirewallRules(config: ResolvedKubeProxyConfig): string[] {
  if (!config.localhostNodePorts) return [];
  // route_localnet opens a hole (kubernetes/kubernetes#90259); kubelet writes the same rule to close it.
  return [
    ruleLine(KUBE_FIREWALL, commentWords('block incoming localnet connections'), [
      ...['-d', '127.0.0.0/8', '!', '-s', '127.0.0.0/8', '-m', 'conntrack'],
      ...['!', '--ctstate', 'RELATED,ESTABLISHED,DNAT', '-j', 'DROP'],
    ]),
  ];
}

function append(target: Map<string, string[]>, chain: string, lines: readonly string[]): void {
  const existing = target.get(chain);
  if (existing) existing.push(...lines);
  else target.set(chain, [...lines]);
}

function table(name: string, chains: Map<string, string[]>): IptablesTable {
  return {
    name,
    chains: [...chains.keys()]
      .sort(compareChainNames)
      .map((chain) => ({ name: chain, rules: chains.get(chain) ?? [] })),
  };
}

/**
 * The rules kube-proxy would restore on one node: the cluster's shared part plus what depends on the node, in
 * the canonical order of kube-proxy's tests (see iptables-dump.sorter.ts).
 */
export function compileNodeRules(cluster: ClusterKubeProxyRules, node: NodeContext): IptablesDump {
  const { config } = cluster;
  const settings = servicePortRuleSettings(config, node, cluster.largeClusterMode);
  const filter = new Map<string, string[]>(FILTER_BASE_CHAINS.map((chain) => [chain, []]));
  const nat = new Map<string, string[]>(NAT_BASE_CHAINS.map((chain) => [chain, []]));
  for (const [chain, lines] of natBaseRules(config)) append(nat, chain, lines);
  if (config.localhostNodePorts) append(filter, KUBE_FIREWALL, localnetFirewallRules(config));

  for (const compiled of cluster.servicePorts) {
    const rules = rulesOnNode(compiled, node, settings);
    for (const [chain, lines] of rules.filter) append(filter, chain, lines);
    for (const [chain, lines] of rules.nat) append(nat, chain, lines);
  }

  append(nat, KUBE_SERVICES, nodePortJumps(config, node));
  append(filter, KUBE_FORWARD, forwardRules(config));
  return { tables: [table('filter', filter), table('nat', nat)] };
}

/** Compiles and renders one node's iptables-restore text in one go. */
export function renderKubeProxyIptables(input: ClusterProxyInput, node: NodeContext): string {
  return renderIptablesRestore(compileNodeRules(compileClusterRules(input), node));
}
