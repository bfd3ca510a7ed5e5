import { accessSync, constants } from 'node:fs';
import type { Browser } from 'playwright-core';

/** Debian's chromium package; CHROMIUM_PATH points elsewhere (another distribution, a downloaded build). */
const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Flags for a quiet headless browser that talks to nothing but the pages it is sent to. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The Chromium executable browser tests drive, or null when this machine has none (the tests then skip). */
export function chromiumPath(): string | null {
  const path = process.env['CHROMIUM_PATH'] || DEFAULT_CHROMIUM;
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return null;
  }
}

/**
 * A headless Chromium driven by playwright-core (which downloads no browser of its own). Imported lazily, so test
 * files that never open a browser do not load Playwright.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath)
    throw new Error(
      `No Chromium at ${process.env['CHROMIUM_PATH'] || DEFAULT_CHROMIUM}: install the chromium package or set CHROMIUM_PATH`,
    );
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}
