import { type IptablesDump } from './iptables-dump';

/**
 * Writes the iptables-restore text: per table "*name", every chain declaration, then every chain's rules in
 * declaration order, then COMMIT. (The layout of kube-proxy's test dumps, so that outputs compare as text.)
 */
export function renderIptablesRestore(dump: IptablesDump): string {
  const lines: string[] = [];
  for (const table of dump.tables) {
    lines.push(`*${table.name}`);
    for (const chain of table.chains) lines.push(`:${chain.name} - [0:0]`);
    for (const chain of table.chains) lines.push(...chain.rules);
    lines.push('COMMIT');
  }
  return lines.map((line) => `${line}\n`).join('');
}
