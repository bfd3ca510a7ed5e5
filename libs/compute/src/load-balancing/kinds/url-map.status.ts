/**
 * The quota units Google reported for every URL map the real logs read (global and regional, before and after
 * updates): 61. The logs show them unchanged by route actions (CORS, fault injection, retries, rewrites, weighted
 * backends), path rules and custom error response policies, so the emulator reports them for any URL map; how
 * Google grows them with further host rules and path matchers is not recorded.
 */
export const URL_MAP_QUOTA_UNITS = '61';

/**
 * A URL map's `status` as Google returns it on reads: `quotaUsage.forwardingRules` counts the forwarding rules
 * that reach the map through a target HTTP(S) proxy (0 in the logs, where none does), `units` is an int64 string.
 */
export function urlMapStatus(forwardingRules: number): {
  quotaUsage: { forwardingRules: number; units: string };
} {
  return { quotaUsage: { forwardingRules, units: URL_MAP_QUOTA_UNITS } };
}
