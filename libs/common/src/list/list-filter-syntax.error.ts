/** Internal: the filter text does not follow either grammar. Surfaces as `ListFilterError`. */
export class ListFilterSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ListFilterSyntaxError';
  }
}
