import type { Bridge } from './bridge.js';

/** The module this script provides. */
export const MODULE = 'browser.websocket';

/**
 * A module in Brython's virtual file system: `[extension, source, imports]`, with the
 * `timestamp` Brython compares with its indexedDB cache of compiled modules.
 */
export type VfsEntry = [ext: '.py', source: string, imports: string[]] & { timestamp?: number };

/** The parts of `__BRYTHON__` (Brython 3.14) this script reads and writes. */
export interface BrythonGlobal {
  VFS?: Record<string, unknown>;
  use_VFS?: boolean;
  update_VFS?: (scripts: Record<string, unknown>) => void;
  imported?: Record<string, unknown>;
  brython_websocket?: Bridge;
  [key: string]: unknown;
}

/** What `install` did, for the page and its tests (also kept as `bridge.install`). */
export interface InstallReport {
  /** brython.js had run before this script. */
  afterBrython: boolean;
  /** brython_stdlib.js had run before this script: its `browser.websocket` was replaced. */
  replacedStdlib: boolean;
  /** A later brython_stdlib.js tried to register its own `browser.websocket`, and was kept from it. */
  keptStdlibOut: boolean;
}

/** A 32-bit FNV-1a hash: the source's own timestamp for Brython's cache, never a real date. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const has = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

/**
 * Makes `from browser import websocket` import `source` in the Brython page of `global`,
 * whichever of brython.js, brython_stdlib.js and this script loads first:
 *
 * - the module goes into `__BRYTHON__.VFS` (made when brython.js has not run yet: brython.js
 *   keeps an existing `__BRYTHON__`), and `use_VFS` is set, so that Brython's importer looks
 *   there even without brython_stdlib.js;
 * - brython_stdlib.js registers its modules with `__BRYTHON__.update_VFS(scripts)`, which
 *   overwrites an entry of the same name (with only a console warning). That function is
 *   kept behind an accessor, so that whenever brython.js (re)defines it, the stdlib's call
 *   goes through a guard that leaves `browser.websocket` out;
 * - before Brython runs the page's Python (it waits for the window's load event), the entry
 *   is checked once more; should anything have replaced it, it is put back with a warning.
 */
export function install(global: typeof globalThis, source: string, bridge: Bridge): InstallReport {
  const g = global as unknown as { __BRYTHON__?: BrythonGlobal };
  const afterBrython = g.__BRYTHON__ !== undefined && typeof g.__BRYTHON__.update_VFS === 'function';
  const $B: BrythonGlobal = (g.__BRYTHON__ ??= {});
  const report: InstallReport = { afterBrython, replacedStdlib: false, keptStdlibOut: false };

  const existing = $B.brython_websocket;
  if (existing !== undefined) {
    console.warn(
      `brython-websocket: the script was loaded twice (versions ${existing.version} and ${bridge.version}); ` +
        'the first one stays. Load it once.',
    );
    return report;
  }
  Object.defineProperty($B, 'brython_websocket', {
    value: Object.assign(bridge, { install: report }),
    configurable: true,
  });

  const entry = ['.py', source, ['browser']] as VfsEntry;
  entry.timestamp = hash(source);
  const vfs = ($B.VFS ??= {});
  report.replacedStdlib = has(vfs, MODULE);
  vfs[MODULE] = entry;
  $B.use_VFS = true;
  if ($B.imported !== undefined && has($B.imported, MODULE)) {
    console.warn(
      `brython-websocket: Brython had already imported its own ${MODULE} before this script ran; ` +
        'load this script before the page runs any Python (next to brython.js)',
    );
  }

  let original = $B.update_VFS;
  // What Brython passes is its business: checked before use.
  const guard = function (this: unknown, scripts: unknown): void {
    if (typeof scripts === 'object' && scripts !== null && has(scripts, MODULE)) {
      Reflect.deleteProperty(scripts, MODULE);
      report.keptStdlibOut = true;
    }
    original?.call(this, scripts as Record<string, unknown>);
    // A stdlib made before this script's VFS (none in 3.14) would bring its own object.
    if ($B.VFS !== undefined && $B.VFS[MODULE] !== entry) $B.VFS[MODULE] = entry;
  };
  Object.defineProperty($B, 'update_VFS', {
    configurable: true,
    enumerable: true,
    get: () => (original === undefined ? undefined : guard),
    set: (fn: BrythonGlobal['update_VFS']) => {
      original = fn;
    },
  });

  const check = (): void => {
    const current = $B.VFS?.[MODULE];
    if (current === entry) return;
    console.warn(`brython-websocket: something replaced ${MODULE} after this script ran; it is put back`);
    ($B.VFS ??= {})[MODULE] = entry;
    $B.use_VFS = true;
  };
  const doc = (
    global as {
      document?: { readyState?: string; addEventListener?: (type: string, fn: () => void, options?: object) => void };
    }
  ).document;
  if (doc?.addEventListener !== undefined && doc.readyState === 'loading') {
    doc.addEventListener('DOMContentLoaded', check, { once: true });
  }
  return report;
}
