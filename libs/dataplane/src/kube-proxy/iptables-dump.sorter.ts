import { type IptablesChain, type IptablesDump, type IptablesTable } from './iptables-dump';
import { parseIptablesRule } from './iptables-rule.parser';
import { KUBE_NODEPORTS, KUBE_SERVICES } from './well-known-chains';

// kube-proxy iterates services in Go map order, so its own tests (proxier_test.go, sortIPTablesRules) sort a
// dump before comparing: tables by name; chains with KUBE-NODEPORTS first, KUBE-SERVICES second, other KUBE-*
// chains alphabetically, then the rest alphabetically; and the rules of KUBE-NODEPORTS and KUBE-SERVICES
// (stably) by the service name at the head of their comment, keeping nat KUBE-SERVICES' "must be the last
// rule" jump last. This is that normalisation; the node compiler writes its output already in this canonical
// order.

const LAST_RULE_MARKER = 'must be the last rule';

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The group of a chain in the canonical declaration order; within a group, chains go in byte order. */
export function chainNameRank(name: string): 0 | 1 | 2 | 3 {
  return name === KUBE_NODEPORTS ? 0 : name === KUBE_SERVICES ? 1 : name.startsWith('KUBE-') ? 2 : 3;
}

/** Chain declaration order of the canonical form. */
export function compareChainNames(a: string, b: string): number {
  return chainNameRank(a) - chainNameRank(b) || byteOrder(a, b);
}

/** The service name in a rule comment: everything before the first space or colon. */
function commentServiceName(rule: string): string | null {
  const comment = parseIptablesRule(rule).comment?.value;
  if (comment === undefined) return null;
  const end = comment.search(/[ :]/);
  return end === -1 ? comment : comment.slice(0, end);
}

function byCommentServiceName(a: string, b: string): number {
  const nameA = commentServiceName(a);
  const nameB = commentServiceName(b);
  // Rules without a comment keep their place, as in the Go helper.
  return nameA === null || nameB === null ? 0 : byteOrder(nameA, nameB);
}

function isLastRule(rule: string): boolean {
  return parseIptablesRule(rule).comment?.value.includes(LAST_RULE_MARKER) ?? false;
}

function sortRules(table: string, chain: IptablesChain): IptablesChain {
  if (chain.name !== KUBE_NODEPORTS && chain.name !== KUBE_SERVICES) return chain;
  const keepLast = table === 'nat' && chain.name === KUBE_SERVICES;
  const rules = [...chain.rules].sort((a, b) => {
    if (keepLast && (isLastRule(a) || isLastRule(b))) return Number(isLastRule(a)) - Number(isLastRule(b));
    return byCommentServiceName(a, b);
  });
  return { name: chain.name, rules };
}

/** kube-proxy's test normalisation of a dump (see above). */
export function sortIptablesDump(dump: IptablesDump): IptablesDump {
  const tables: IptablesTable[] = [...dump.tables]
    .sort((a, b) => byteOrder(a.name, b.name))
    .map((table) => ({
      name: table.name,
      chains: [...table.chains]
        .sort((a, b) => compareChainNames(a.name, b.name))
        .map((chain) => sortRules(table.name, chain)),
    }));
  return { tables };
}
