// Types of build-browser.mjs (plain JavaScript, run by Node as it is), for the specs that use it.

/** Builds examples/browser-echo/bundle.js (rxjs included) and returns its absolute path. */
export function buildBrowserEcho(): Promise<string>;
