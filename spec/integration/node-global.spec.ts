/**
 * The seed flow on Node 20's `--experimental-websocket` global (undici's WebSocket), through
 * the built package, in a child process: no `WebSocketCtor` is passed there.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, runNode, type NodeRun } from '../helpers/run-node.js';
import { startEchoServer, type EchoServer } from './server.js';

const FIXTURE = join(ROOT, 'spec', 'fixtures', 'node-global-flow.mjs');

/** Runs the fixture in a child `node` and resolves when it has exited. */
function runFixture(flags: string[], url: string): Promise<NodeRun> {
  return runNode([...flags, FIXTURE, url]);
}

/** The one JSON line the fixture prints. */
function seenBy(run: NodeRun): unknown {
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
