/**
 * The DOM face against a real EventTarget socket in Node: undici's WebSocket, the global of
 * `node --experimental-websocket` (Node 20). The scenarios of spec/shared/dom-scenarios.ts run
 * in a child process on the platform's WebSocket and on `new RxWebSocket(url)` over it, against
 * a `ws` echo server on port 0; the records must be equal, but for:
 *
 * - the differences docs/interop.md lists (`event.target`), checked apart, for what they are;
 * - undici's own order for a replaced `on*` handler (it moves to the end; the HTML rule, which
 *   browsers and RxWebSocket follow, keeps its place): accepted for undici, and only for it.
 *
 * The same scenarios run in Chromium in spec/browser/dom-interface.spec.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runNode } from '../helpers/run-node.js';
import { apart, undiciOrder, type ScenarioName } from '../shared/dom-scenarios.js';
import { startEchoServer, type EchoServer } from './server.js';

type Records = Record<ScenarioName, unknown>;

// Unset when beforeAll() failed before making them: afterAll() cleans up only what exists.
let server: EchoServer | undefined;
let dir: string | undefined;
let result: { native: Records; ours: Records };

beforeAll(async () => {
  server = await startEchoServer();
  dir = mkdtempSync(join(tmpdir(), 'dom-differential-'));
  const script = join(dir, 'child.mjs');
  await build({
    entryPoints: [join(ROOT, 'spec/fixtures/dom-differential-child.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile: script,
    logLevel: 'silent',
  });
  const run = await runNode(['--experimental-websocket', '--no-warnings', script, `${server.url}/echo`], 30_000);
  if (run.code !== 0) throw new Error(`the child exited with ${run.code}: ${run.stderr}`);
  result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as typeof result;
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('RxWebSocket and undici (Node 20 --experimental-websocket) see the same', () => {
  it.each(['members', 'lifecycle', 'dispatching'] as const)('%s', (name) => {
    expect(apart(result.ours).same).toHaveProperty(name, (apart(result.native).same as Records)[name]);
  });

  it('listeners, but for the place of a replaced on* handler, which undici moves to the end', () => {
    const ours = result.ours.listeners;
    // RxWebSocket keeps the HTML order; undici's record is that order with the handler moved.
    expect(undiciOrder(result.ours).listeners).toEqual(result.native.listeners);
    expect((ours as { log: string[] }).log).toContain('onmessage-2 m2');
    const m2 = (ours as { log: string[] }).log.slice((ours as { log: string[] }).log.indexOf('--') + 1);
    expect(m2.slice(0, 4)).toEqual(['a m2', 'onmessage-2 m2', 'a m2', 'object m2 this=object']);
  });

  it('and differ in event.target only, as docs/interop.md says', () => {
    expect(apart(result.native).targets).toEqual({ lifecycle: true, dispatching: [true, true] });
    // Native events reach listeners as they are: their target is the native socket under the
    // RxWebSocket. A dispatched event's target is left as it was (null for a new Event).
    expect(apart(result.ours).targets).toEqual({ lifecycle: false, dispatching: [false, false] });
  });

  it('records what the scenarios claim (the oracle is not vacuous)', () => {
    const native = result.native as Record<string, Record<string, unknown>>;
    expect(native.members!.handlers).toEqual([null, null, null, null]);
    expect(native.lifecycle!.log).toEqual([
      'onopen open readyState=1',
      'open open readyState=1',
      'onmessage message hello',
      'after close() readyState=2',
      'onclose close 4000 bye true readyState=3',
    ]);
    expect(native.dispatching!.results).toEqual([false, true, true, true, true]);
  });
});
