/**
 * install() on a stand-in for Brython 3.14's `__BRYTHON__`: the orders of brython.js,
 * brython_stdlib.js and this script, as the Chromium specs (examples/brython/) run them for
 * real. The stand-in's `update_VFS` is Brython's own algorithm: it overwrites an entry of the
 * same name, warning only.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeBridge } from '../../src/brython/bridge.js';
import { install, MODULE, type BrythonGlobal } from '../../src/brython/install.js';

const SOURCE = 'supported = True  # this package';
const STDLIB_COPY = ['.py', 'supported = None  # Brython', ['browser']];

/** What brython.js does that matters here: reuse or make __BRYTHON__, define update_VFS. */
function loadBrython(global: { __BRYTHON__?: BrythonGlobal }): void {
  const $B = (global.__BRYTHON__ ??= {});
  $B.imported = {};
  $B.update_VFS = function (scripts: Record<string, unknown>) {
    $B.VFS = $B.VFS ?? {};
    const timestamp = scripts.$timestamp;
    delete scripts.$timestamp;
    for (const name of Object.keys(scripts)) {
      $B.VFS[name] = scripts[name];
      (scripts[name] as { timestamp?: unknown }).timestamp = timestamp;
    }
  };
}

/** What brython_stdlib.js does: switch the VFS on and register its modules, ours among them. */
function loadStdlib(global: { __BRYTHON__?: BrythonGlobal }): void {
  const $B = global.__BRYTHON__!;
  $B.use_VFS = true;
  $B.update_VFS!({ $timestamp: 1781859520892, [MODULE]: [...STDLIB_COPY], json: ['.py', 'import _json', []] });
}

const fresh = (): { __BRYTHON__?: BrythonGlobal } => ({});
const run = (global: { __BRYTHON__?: BrythonGlobal }) =>
  install(global as unknown as typeof globalThis, SOURCE, makeBridge('9.9.9'));
const source = (global: { __BRYTHON__?: BrythonGlobal }): unknown => (global.__BRYTHON__!.VFS![MODULE] as unknown[])[1];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('install(): browser.websocket in the VFS, whichever script comes first', () => {
  it.each([
    ['brython, ours', ['brython', 'ours'], { afterBrython: true, replacedStdlib: false, keptStdlibOut: false }],
    ['ours, brython', ['ours', 'brython'], { afterBrython: false, replacedStdlib: false, keptStdlibOut: false }],
    [
      'brython, stdlib, ours',
      ['brython', 'stdlib', 'ours'],
      { afterBrython: true, replacedStdlib: true, keptStdlibOut: false },
    ],
    [
      'brython, ours, stdlib',
      ['brython', 'ours', 'stdlib'],
      { afterBrython: true, replacedStdlib: false, keptStdlibOut: true },
    ],
    [
      'ours, brython, stdlib',
      ['ours', 'brython', 'stdlib'],
      { afterBrython: false, replacedStdlib: false, keptStdlibOut: true },
    ],
  ] as const)('%s', (_, order, expected) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const global = fresh();
    let report;
    for (const step of order) {
      if (step === 'brython') loadBrython(global);
      else if (step === 'stdlib') loadStdlib(global);
      else report = run(global);
    }
    expect(report).toEqual(expected);
    const $B = global.__BRYTHON__!;
    expect(source(global)).toBe(SOURCE);
    expect($B.use_VFS).toBe(true);
    // The stdlib's other modules are there as usual.
    if ((order as readonly string[]).includes('stdlib'))
      expect(Object.keys($B.VFS!).sort()).toEqual(['browser.websocket', 'json']);
    expect($B.brython_websocket?.version).toBe('9.9.9');
    expect(warn).not.toHaveBeenCalled();
  });

  it("gives the module a timestamp of its own: not the stdlib's, the same for the same source", () => {
    const a = fresh();
    loadBrython(a);
    run(a);
    loadStdlib(a);
    const b = fresh();
    run(b);
    const stamp = (global: { __BRYTHON__?: BrythonGlobal }): unknown =>
      (global.__BRYTHON__!.VFS![MODULE] as { timestamp?: unknown }).timestamp;
    expect(stamp(a)).toEqual(expect.any(Number));
    expect(stamp(a)).not.toBe(1781859520892);
    expect(stamp(a)).toBe(stamp(b));
    expect((a.__BRYTHON__!.VFS!.json as { timestamp?: unknown }).timestamp).toBe(1781859520892);
  });

  it('keeps the guard when brython.js defines update_VFS again', () => {
    const global = fresh();
    loadBrython(global);
    run(global);
    loadBrython(global);
    loadStdlib(global);
    expect(source(global)).toBe(SOURCE);
  });

  it('leaves the first copy in place when loaded twice, and says so', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const global = fresh();
    loadBrython(global);
    run(global);
    const first = global.__BRYTHON__!.brython_websocket;
    install(global as unknown as typeof globalThis, 'other = 1', makeBridge('1.0.0'));
    expect(global.__BRYTHON__!.brython_websocket).toBe(first);
    expect(source(global)).toBe(SOURCE);
    expect(warn.mock.calls).toEqual([
      ['brython-websocket: the script was loaded twice (versions 9.9.9 and 1.0.0); the first one stays. Load it once.'],
    ]);
  });

  it('warns when Brython has imported its own module already', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const global = fresh();
    loadBrython(global);
    global.__BRYTHON__!.imported![MODULE] = {};
    run(global);
    expect(warn.mock.calls[0]![0]).toMatch(
      /^brython-websocket: Brython had already imported its own browser\.websocket/,
    );
  });

  it('defines no global but __BRYTHON__, and the bridge is not enumerable', () => {
    const global = fresh();
    run(global);
    expect(Object.keys(global)).toEqual(['__BRYTHON__']);
    expect(Object.keys(global.__BRYTHON__!)).not.toContain('brython_websocket');
  });
});
