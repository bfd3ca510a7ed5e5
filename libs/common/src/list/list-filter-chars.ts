/** Whitespace between filter tokens. */
export function isFilterWhitespace(char: string | undefined): boolean {
  return char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === '\f' || char === '\v';
}

/** Characters that can appear in a field path token (`labels.cost-center`). */
export function isFieldPathChar(char: string | undefined): boolean {
  return char !== undefined && /^[A-Za-z0-9_.-]$/.test(char);
}

export function isQuote(char: string | undefined): char is '"' | "'" {
  return char === '"' || char === "'";
}

/** Index of the first non-whitespace character at or after `index`. */
export function skipFilterWhitespace(text: string, index: number): number {
  let i = index;
  while (i < text.length && isFilterWhitespace(text[i])) {
    i++;
  }
  return i;
}
