/**
 * Where Chromium is and how it is launched, in plain JavaScript so that the benchmark scripts
 * (run by Node as they are) share it with spec/browser/chromium.ts, which adds the policy for
 * the tests. Debian's Chromium at `CHROMIUM_PATH` (default /usr/bin/chromium), never a
 * downloaded browser.
 */
import { existsSync } from 'node:fs';

const fromEnv = process.env.CHROMIUM_PATH ?? '';

/** The Chromium executable: `$CHROMIUM_PATH` when set and not empty, else Debian's /usr/bin/chromium. */
export const CHROMIUM_PATH = fromEnv === '' ? '/usr/bin/chromium' : fromEnv;

/** True when the Chromium executable exists. */
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);

/** Flags for a headless Chromium in a container: no sandbox, no GPU, no background traffic. */
export const CHROMIUM_ARGS = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);
