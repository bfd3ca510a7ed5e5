import { GoogleErrors, parseWireBody } from '@gke-emulator/common';

/** The timing settings: how long operations stay RUNNING, how long new pods take to become Ready. */
export type TimingSetting = 'operationDelayMs' | 'podReadyDelayMs';
export const TIMING_SETTINGS: readonly TimingSetting[] = ['operationDelayMs', 'podReadyDelayMs'];

/** Every timing setting's value, as `GET /emulator/v1/settings` answers them. */
export type TimingSettings = Record<TimingSetting, number>;

/** An hour: a longer delay is a mistake, not a test. */
export const MAX_DELAY_MS = 3_600_000;

const SCHEMA = { operationDelayMs: 'int32', podReadyDelayMs: 'int32' } as const;

/**
 * The settings a `PATCH /emulator/v1/settings` body changes: unknown fields and wrong types are refused as Google's
 * front end refuses them, and each delay must lie between 0 and an hour (400 `invalid` naming `settings.<name>`).
 */
export function parseTimingSettings(body: unknown): Partial<TimingSettings> {
  const given = parseWireBody<Partial<Record<TimingSetting, unknown>>>(body, SCHEMA, 'settings');
  const settings: Partial<TimingSettings> = {};
  for (const setting of TIMING_SETTINGS) {
    const raw = given[setting];
    if (raw === undefined) continue;
    const value = Number(raw);
    if (value < 0 || value > MAX_DELAY_MS) {
      throw GoogleErrors.invalidFieldValue(
        `settings.${setting}`,
        raw,
        'Must be between 0 and 3600000 milliseconds.',
      );
    }
    settings[setting] = value;
  }
  return settings;
}
