/**
 * The seed flow on Node 20's `--experimental-websocket` global (undici's WebSocket), through
 * the built package, in a child process: no `WebSocketCtor` is passed there.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEchoServer, type EchoServer } from './server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = join(ROOT, 'spec', 'fixtures', 'node-global-flow.mjs');



interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the fixture in a child `node` and resolves when it has exited. */
function runFixture(flags: string[], url: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, FIXTURE, url], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 15_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** The one JSON line the fixture prints. */
function seenBy(run: Run): unknown {
  const lines = run.stdout.split('\n').filter((line) => line !== '');
  expect(lines, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toHaveLength(1);
  return JSON.parse(lines[0]!) as unknown;
}

let server: EchoServer;

beforeEach(async () => {
  server = await startEchoServer();
});

afterEach(async () => {
  await server.close();
});

describe('the seed flow on node --experimental-websocket (undici), built package, no WebSocketCtor', () => {
  it('is supported, opens, sends, gets the echo, closes with 1000, and the process exits by itself', async () => {
    const run = await runFixture(['--experimental-websocket'], server.url);
    expect(seenBy(run)).toEqual({
      supported: true,
      globalWebSocket: 'function',
      isRxWebSocket: true,
      url: `${server.url}/`,
      states: ['connecting', 'open', 'closing', 'closed'],
      calls: [
        { evt: 'open', args: 1, type: 'open' },
        {
          evt: 'message',
          args: 1,
          type: 'message',
          data: 'hello from the global WebSocket',
          dataType: 'string',
        },
        { evt: 'close', args: 1, type: 'close', code: 1000, reason: 'done', wasClean: true },
      ],
      sentOnOpen: true,
      face: ['hello from the global WebSocket', 'complete'],
      finalState: 'closed',
      readyState: 3,
    });
    expect({ code: run.code, signal: run.signal }, run.stderr).toEqual({ code: 0, signal: null });
    expect(await server.closeOf(0)).toEqual({ code: 1000, reason: 'done' });
    expect(server.connections).toHaveLength(1);
    expect(server.connections[0]!.received).toEqual([{ binary: false, data: 'hello from the global WebSocket' }]);
  });

  it('without the flag, supported is false and WebSocket(url) raises NotImplementedError', async () => {
    const run = await runFixture([], server.url);
    expect(seenBy(run)).toEqual({
      supported: false,
      globalWebSocket: 'undefined',
      error: { name: 'NotImplementedError', code: 'ERR_WS_UNSUPPORTED' },
    });
    expect({ code: run.code, signal: run.signal }).toEqual({ code: 1, signal: null });
    expect(server.connections).toHaveLength(0);
  });
});
