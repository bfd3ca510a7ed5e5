/** Compute renders times in Pacific time with an explicit offset, e.g. `2026-11-26T08:20:00.123-08:00`. */
export function computeTimestamp(date: Date): string {
  const shifted = new Date(date.getTime() - 8 * 3600_000);
  return shifted.toISOString().replace('Z', '-08:00');
}
