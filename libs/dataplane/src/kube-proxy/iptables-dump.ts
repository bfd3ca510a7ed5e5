// An iptables-restore document as data: tables, their chains in declaration order, and each chain's rules as
// the "-A CHAIN ..." lines kube-proxy writes (kept as text, because the text is the product).

export type IptablesTableName = 'filter' | 'nat' | 'mangle' | 'raw' | 'security';

export interface IptablesChain {
  readonly name: string;
  readonly rules: readonly string[];
}

export interface IptablesTable {
  readonly name: string;
  readonly chains: readonly IptablesChain[];
}

export interface IptablesDump {
  readonly tables: readonly IptablesTable[];
}

export function findTable(dump: IptablesDump, table: string): IptablesTable | undefined {
  return dump.tables.find((candidate) => candidate.name === table);
}

export function findChain(dump: IptablesDump, table: string, chain: string): IptablesChain | undefined {
  return findTable(dump, table)?.chains.find((candidate) => candidate.name === chain);
}
