// kube-proxy writes each rule as its words joined by single spaces; a comment with spaces is double-quoted.

export type RuleWords = readonly (string | readonly string[])[];

/** "-A chain word word ..." */
export function ruleLine(chain: string, ...words: RuleWords): string {
  return ['-A', chain, ...words.flat()].join(' ');
}

/** The "-m comment --comment ..." words. */
export function commentWords(text: string): readonly string[] {
  return ['-m', 'comment', '--comment', /\s/.test(text) ? `"${text}"` : text];
}

/** The "-m proto -p proto" words that precede a port match. */
export function protocolWords(protocol: string): readonly string[] {
  return ['-m', protocol, '-p', protocol];
}
