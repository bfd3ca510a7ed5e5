import type { RateLimitSettings } from './security-policy-rule.model';

/** Milliseconds since the epoch; injected so tests (and the emulator's own time control) decide what "now" is. */
export interface Clock {
  now(): number;
}

export type RateLimitVerdict = 'conform' | 'exceed' | 'banned';

export interface RateLimitOutcome {
  readonly verdict: RateLimitVerdict;
  /** Requests counted in the current rate-limit window, this one included (0 while banned). */
  readonly count: number;
  /** When a ban is in force (set by this request or an earlier one): when it ends. */
  readonly bannedUntilMs?: number;
}

interface BucketState {
  windowStartMs: number;
  count: number;
  banWindowStartMs: number;
  banWindowCount: number;
  bannedUntilMs?: number;
  expiresAtMs: number;
}

/**
 * Deterministic stand-in for Cloud Armor's distributed, approximate counters:
 * - fixed windows of `intervalSec` that start with the first request of a bucket (key per rule and backend
 *   service); within a window the first `count` requests conform, the rest exceed;
 * - rate_based_ban without banThreshold: the first exceeding request bans the key for `banDurationSec`;
 * - with banThreshold: all requests of the key are also counted in windows of `banThreshold.intervalSec`; an
 *   exceeding request that brings that count above `banThreshold.count` starts the ban;
 * - while banned every request gets the exceed action; afterwards counting starts afresh.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, BucketState>();

  constructor(private readonly clock: Clock) {}

  hit(bucket: string, settings: RateLimitSettings): RateLimitOutcome {
    const now = this.clock.now();
    let state = this.buckets.get(bucket);
    if (state?.bannedUntilMs !== undefined) {
      if (now < state.bannedUntilMs)
        return { verdict: 'banned', count: 0, bannedUntilMs: state.bannedUntilMs };
      state = undefined;
    }
    state ??= { windowStartMs: now, count: 0, banWindowStartMs: now, banWindowCount: 0, expiresAtMs: now };
    this.buckets.set(bucket, state);
    const intervalMs = settings.threshold.intervalSec * 1000;
    if (now >= state.windowStartMs + intervalMs) [state.windowStartMs, state.count] = [now, 0];
    state.count += 1;
    state.expiresAtMs = state.windowStartMs + intervalMs;
    const ban = settings.ban;
    if (ban?.threshold) {
      const banIntervalMs = ban.threshold.intervalSec * 1000;
      if (now >= state.banWindowStartMs + banIntervalMs)
        [state.banWindowStartMs, state.banWindowCount] = [now, 0];
      state.banWindowCount += 1;
      state.expiresAtMs = Math.max(state.expiresAtMs, state.banWindowStartMs + banIntervalMs);
    }
    if (state.count <= settings.threshold.count) return { verdict: 'conform', count: state.count };
    if (ban && (!ban.threshold || state.banWindowCount > ban.threshold.count)) {
      state.bannedUntilMs = now + ban.durationSec * 1000;
      state.expiresAtMs = state.bannedUntilMs;
      return { verdict: 'exceed', count: state.count, bannedUntilMs: state.bannedUntilMs };
    }
    return { verdict: 'exceed', count: state.count };
  }

  /** Forgets buckets whose windows and bans have all ended; returns how many were dropped. */
  sweep(): number {
    const now = this.clock.now();
    let dropped = 0;
    for (const [bucket, state] of this.buckets) {
      if (state.expiresAtMs <= now) {
        this.buckets.delete(bucket);
        dropped += 1;
      }
    }
    return dropped;
  }

  get size(): number {
    return this.buckets.size;
  }
}
