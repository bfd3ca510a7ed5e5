/** Compute renders times in Pacific time with an explicit offset, e.g. `2026-11-26T08:20:00.123-08:00`. */
export function computeTimestamp(date: Date): string {
  const shifted = new Date(date.getTime() - 8 * 3600_000);
  return shifted.toISOString().replace('Z', '-08:00');
}

/** The n-th Sunday of a month (UTC date), for the US daylight-saving rule. */
function nthSunday(year: number, month: number, n: number): number {
  const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return 1 + ((7 - first) % 7) + (n - 1) * 7;
}

/**
 * A time in Pacific time with the offset in force then (`-07:00` in summer, `-08:00` in winter), as Google
 * writes dates it did not pick itself, e.g. a certificate's `expireTime` ("2020-09-28T15:28:29.000-07:00").
 */
export function pacificTimestamp(date: Date): string {
  const year = date.getUTCFullYear();
  // Daylight time runs from 02:00 PST on the second Sunday of March to 02:00 PDT on the first Sunday of November.
  const start = Date.UTC(year, 2, nthSunday(year, 2, 2), 10);
  const end = Date.UTC(year, 10, nthSunday(year, 10, 1), 9);
  const offset = date.getTime() >= start && date.getTime() < end ? 7 : 8;
  const shifted = new Date(date.getTime() - offset * 3600_000);
  return shifted.toISOString().replace('Z', `-0${offset}:00`);
}
