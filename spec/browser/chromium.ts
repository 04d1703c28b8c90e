/**
 * Where the browser tests find Chromium, how they launch it, and what happens when it is
 * missing. Shared by vitest.config.ts (the browser project) and the browser example's
 * end-to-end spec (examples/browser-echo/e2e.spec.ts). Node-side only. Where Chromium is and
 * its flags come from chromium-launch.mjs, which the benchmark scripts import too.
 *
 * The policy: Debian's Chromium at `CHROMIUM_PATH` (default /usr/bin/chromium), never a
 * downloaded browser. When it is missing, the browser tests are left out with a notice;
 * with CI set they stay in and fail, so a CI run never passes without them.
 */
import { CHROMIUM_PATH, HAS_CHROMIUM } from './chromium-launch.mjs';

export { CHROMIUM_ARGS, CHROMIUM_PATH, HAS_CHROMIUM } from './chromium-launch.mjs';

const ci = (process.env.CI ?? '').trim().toLowerCase();

/** True when `CI` is set to anything but '', '0' or 'false'. */
export const IN_CI = ci !== '' && ci !== '0' && ci !== 'false';

/** Whether the browser tests run: when Chromium is there, and always with CI set (to fail). */
export const RUN_BROWSER_TESTS = HAS_CHROMIUM || IN_CI;

/** The line printed when Chromium is missing, or undefined when it is there. */
export const MISSING_CHROMIUM_NOTICE: string | undefined = HAS_CHROMIUM
  ? undefined
  : IN_CI
    ? `browser tests FAIL: no Chromium at ${CHROMIUM_PATH} and CI is set (set CHROMIUM_PATH or apt-get install chromium)`
    : `browser tests skipped: no Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH or apt-get install chromium)`;
