/** Internal: a pattern is not valid RE2 syntax, or is too large to compile. */
export class Re2SyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Re2SyntaxError';
  }
}
