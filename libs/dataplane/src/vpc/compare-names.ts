/** Orders resource names by code unit, not by locale, so that lists come out the same on every machine. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
