// Types of chromium-launch.mjs (plain JavaScript, shared with the benchmark scripts).

/** The Chromium executable: `$CHROMIUM_PATH` when set and not empty, else Debian's /usr/bin/chromium. */
export declare const CHROMIUM_PATH: string;

/** True when the Chromium executable exists. */
export declare const HAS_CHROMIUM: boolean;

/** Flags for a headless Chromium in a container: no sandbox, no GPU, no background traffic. */
export declare const CHROMIUM_ARGS: readonly string[];
