// Reads one "-A CHAIN ..." line into the matches and targets that tracing needs, the way kube-proxy's own
// test helper does: "-m MODULE" words are skipped (parameter names are unique enough), "!" negates the next
// parameter, unknown words are passed over.

/** A parameter's value and whether it was negated with "!". */
export interface IptablesValue {
  readonly negated: boolean;
  readonly value: string;
}

export interface IptablesRule {
  readonly raw: string;
  readonly chain: string;
  readonly comment?: IptablesValue;
  readonly protocol?: IptablesValue;
  readonly sourceAddress?: IptablesValue;
  readonly sourceType?: IptablesValue;
  readonly sourcePort?: IptablesValue;
  readonly destinationAddress?: IptablesValue;
  readonly destinationType?: IptablesValue;
  readonly destinationPort?: IptablesValue;
  readonly jump?: IptablesValue;
  readonly probability?: IptablesValue;
  readonly dnatDestination?: IptablesValue;
  /** "-m recent --rcheck": depends on connection history. */
  readonly affinityCheck?: boolean;
  /** "-m mark --mark": depends on earlier marking. */
  readonly markCheck?: IptablesValue;
  /** "-m conntrack --ctstate": depends on connection state. */
  readonly ctStateCheck?: IptablesValue;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };
type ValueField = {
  [K in keyof IptablesRule]-?: NonNullable<IptablesRule[K]> extends IptablesValue ? K : never;
}[keyof IptablesRule];

const VALUE_PARAMETERS: Readonly<Record<string, { field: ValueField; negatable: boolean }>> = {
  '--comment': { field: 'comment', negatable: false },
  '-p': { field: 'protocol', negatable: true },
  '-s': { field: 'sourceAddress', negatable: true },
  '--src-type': { field: 'sourceType', negatable: true },
  '--sport': { field: 'sourcePort', negatable: true },
  '-d': { field: 'destinationAddress', negatable: true },
  '--dst-type': { field: 'destinationType', negatable: true },
  '--dport': { field: 'destinationPort', negatable: true },
  '-j': { field: 'jump', negatable: false },
  '--probability': { field: 'probability', negatable: false },
  '--to-destination': { field: 'dnatDestination', negatable: false },
  '--mark': { field: 'markCheck', negatable: true },
  '--ctstate': { field: 'ctStateCheck', negatable: true },
};

// A word, or a double-quoted string, at the start or after whitespace.
const WORD = /(?:^|\s)("[^"]*"|[^"\s]\S*)/g;

/** Splits a rule into words; a quoted string is one word, without its quotes. */
export function splitRuleWords(rule: string): string[] {
  return [...rule.matchAll(WORD)].map((match) => (match[1] ?? '').replace(/^"|"$/g, ''));
}

/** Parses "-A CHAIN ..."; throws on a line that is not a rule or a misused parameter. */
export function parseIptablesRule(raw: string): IptablesRule {
  const words = splitRuleWords(raw);
  if (words.length < 2 || words[0] !== '-A')
    throw new Error(`bad iptables rule (does not start with "-A CHAIN"): ${raw}`);
  const rule: Writable<IptablesRule> = { raw, chain: words[1] ?? '' };
  let negated = false;
  for (let index = 2; index < words.length;) {
    const word = words[index] ?? '';
    if (word === '-m' && index < words.length - 1) {
      index += 2;
      continue;
    }
    if (word === '!') {
      negated = true;
      index++;
      continue;
    }
    const parameter = VALUE_PARAMETERS[word];
    if (word === '--rcheck') {
      rule.affinityCheck = !negated;
      index++;
    } else if (parameter) {
      if (negated && !parameter.negatable) throw new Error(`cannot negate parameter "${word}": ${raw}`);
      const value = words[index + 1];
      if (value === undefined) throw new Error(`parameter "${word}" requires an argument: ${raw}`);
      rule[parameter.field] = { negated, value };
      index += 2;
    } else {
      index++;
    }
    negated = false;
  }
  return rule;
}
