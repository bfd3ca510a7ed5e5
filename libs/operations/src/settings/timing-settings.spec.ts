import { describe, expect, it } from 'vitest';
import { GoogleApiError } from '@gke-emulator/common';
import { MAX_DELAY_MS, parseTimingSettings } from './timing-settings';

function refusal(body: unknown): { status: number; message: string } {
  try {
    parseTimingSettings(body);
  } catch (error) {
    if (error instanceof GoogleApiError) return { status: error.httpStatus, message: error.message };
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(body)}`);
}

describe('parseTimingSettings', () => {
  it.each([
    [{}, {}],
    [undefined, {}],
    [{ operationDelayMs: 0 }, { operationDelayMs: 0 }],
    [{ podReadyDelayMs: 250 }, { podReadyDelayMs: 250 }],
    [
      { operationDelayMs: MAX_DELAY_MS, podReadyDelayMs: 1 },
      { operationDelayMs: MAX_DELAY_MS, podReadyDelayMs: 1 },
    ],
  ])('takes %j as %j', (body, settings) => {
    expect(parseTimingSettings(body)).toEqual(settings);
  });

  it.each([
    [{ operationDelayMs: -1 }, 'settings.operationDelayMs'],
    [{ podReadyDelayMs: MAX_DELAY_MS + 1 }, 'settings.podReadyDelayMs'],
    [{ operationDelayMs: 5, podReadyDelayMs: -5 }, 'settings.podReadyDelayMs'],
  ])('refuses %j with 400 naming %s', (body, field) => {
    const { status, message } = refusal(body);
    expect(status).toBe(400);
    expect(message).toContain(field);
  });

  it.each([[{ operationDelayMs: 'soon' }], [{ operationDelayMs: 1.5 }], [{ delay: 1 }], [[1]], ['x']])(
    'refuses %j with 400 (wrong type, unknown field, not an object)',
    (body) => {
      expect(refusal(body).status).toBe(400);
    },
  );
});
