/**
 * Where the browser tests find Chromium, how they launch it, and what happens when it is
 * missing. Shared by vitest.config.ts (the browser project) and the seed page's end-to-end
 * spec (examples/browser-echo/e2e.spec.ts). Node-side only.
 *
 * The policy: Debian's Chromium at `CHROMIUM_PATH` (default /usr/bin/chromium), never a
 * downloaded browser. When it is missing, the browser tests are left out with a notice;
 * with CI set they stay in and fail, so a CI run never passes without them.
 */
import { existsSync } from 'node:fs';

const chromiumFromEnv = process.env.CHROMIUM_PATH ?? '';

/** The Chromium executable: `$CHROMIUM_PATH` when set and not empty, else Debian's /usr/bin/chromium. */
export const CHROMIUM_PATH = chromiumFromEnv === '' ? '/usr/bin/chromium' : chromiumFromEnv;

/** Flags for a headless Chromium in a container: no sandbox, no GPU, no background traffic. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const ci = (process.env.CI ?? '').trim().toLowerCase();

/** True when `CI` is set to anything but '', '0' or 'false'. */
export const IN_CI = ci !== '' && ci !== '0' && ci !== 'false';

/** True when the Chromium executable exists. */
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);

/** Whether the browser tests run: when Chromium is there, and always with CI set (to fail). */
export const RUN_BROWSER_TESTS = HAS_CHROMIUM || IN_CI;

/** The line printed when Chromium is missing, or undefined when it is there. */
export const MISSING_CHROMIUM_NOTICE: string | undefined = HAS_CHROMIUM
  ? undefined
  : IN_CI
    ? `browser tests FAIL: no Chromium at ${CHROMIUM_PATH} and CI is set (set CHROMIUM_PATH or apt-get install chromium)`
    : `browser tests skipped: no Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH or apt-get install chromium)`;
