import { type IptablesChain, type IptablesDump, type IptablesTable } from './iptables-dump';

const TABLE_LINE = /^\*(\S+)$/;
const CHAIN_LINE = /^:(\S+) \S+ \[[0-9]+:[0-9]+\]$/;
const RULE_LINE = /^-A (\S+)(?: .*)?$/;
const DELETE_LINE = /^-X (\S+)$/;

interface MutableTable {
  readonly name: string;
  readonly chains: Map<string, string[]>;
}

function freeze(table: MutableTable): IptablesTable {
  const chains: IptablesChain[] = [...table.chains].map(([name, rules]) => ({ name, rules }));
  return { name: table.name, chains };
}

/**
 * Parses iptables-save / iptables-restore text. Comments and blank lines are skipped; a "-X" line removes the
 * chain it names (kube-proxy deletes stale chains that way); a rule for an undeclared chain is an error.
 */
export function parseIptablesRestore(text: string): IptablesDump {
  const tables: IptablesTable[] = [];
  let current: MutableTable | null = null;
  text.split('\n').forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const fail = (why: string): never => {
      throw new Error(`iptables-restore line ${index + 1}: ${why}: ${line}`);
    };
    if (current === null) {
      const table = TABLE_LINE.exec(line);
      if (!table) fail('expected a table ("*name")');
      current = { name: table?.[1] ?? '', chains: new Map() };
      return;
    }
    const chain = CHAIN_LINE.exec(line);
    const rule = RULE_LINE.exec(line);
    const deletion = DELETE_LINE.exec(line);
    if (line === 'COMMIT') {
      tables.push(freeze(current));
      current = null;
    } else if (chain) {
      current.chains.set(chain[1] ?? '', []);
    } else if (rule) {
      const rules = current.chains.get(rule[1] ?? '');
      if (!rules) fail('rule for an undeclared chain');
      rules?.push(line);
    } else if (deletion) {
      current.chains.delete(deletion[1] ?? '');
    } else {
      fail('unrecognised line');
    }
  });
  if (current !== null) throw new Error('iptables-restore text ends without COMMIT');
  return { tables };
}
