/**
 * The bridge the Python module calls, in Node with FakeWebSocket: errors of the package come
 * back as failure records with their code and a message in Python's words, never thrown;
 * handlers never throw into the socket; Brython's bytes become a Uint8Array and back.
 */
import { config } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeBridge, pythonMessage } from '../../src/brython/bridge.js';
import { WebSocketError } from '../../src/errors.js';
import { FakeWebSocket } from '../../src/testing/index.js';
import type { RxWebSocket } from '../../src/websocket.js';
import { stringContaining, stringMatching } from '../helpers/matchers.js';

const bridge = makeBridge('1.2.3');

function open(options: Record<string, unknown> = {}): { ws: RxWebSocket; fake: FakeWebSocket } {
  const result = bridge.create('ws://test/', { WebSocketCtor: FakeWebSocket, ...options });
  if (result.failed) throw new Error(result.message);
  return { ws: result.value, fake: FakeWebSocket.last };
}

afterEach(() => {
  config.onUnhandledError = null;
  vi.restoreAllMocks();
});

describe('failures, not exceptions', () => {
  it('returns the code and the message of an error of the package', () => {
    expect(bridge.create('localhost:8080', {})).toEqual({
      failed: true,
      code: 'ERR_WS_INVALID_URL',
      message: stringMatching(/^invalid WebSocket URL "localhost:8080"/),
    });
    const { ws } = open();
    expect(bridge.close(ws, 999, '')).toEqual({
      failed: true,
      code: 'ERR_WS_INVALID_CLOSE',
      message: 'invalid close code 999: use 1000 or 3000-4999',
    });
    expect(bridge.close(ws, 1000, '')).toEqual({ failed: false, value: undefined });
  });

  it('send returns its boolean itself, or the failure', () => {
    const { ws, fake } = open({ maxQueue: 1 });
    expect(bridge.send(ws, 'queued')).toBe(false);
    expect(bridge.send(ws, 'over')).toEqual({
      failed: true,
      code: 'ERR_WS_QUEUE_FULL',
      message: stringContaining("raise the option 'max_queue'"),
    });
    fake.open();
    expect(bridge.send(ws, 'now')).toBe(true);
    expect(fake.sent).toEqual(['queued', 'now']);
  });

  it('gives a CloseError its close code, reason and wasClean; failure() tells errors from events', () => {
    const { ws, fake } = open();
    const seen: unknown[] = [];
    const sub = bridge.observe(ws, undefined, (error: unknown) => seen.push(bridge.failure(error)), undefined);
    expect(sub.failed).toBe(false);
    fake.open();
    fake.serverClose(4001, 'gone', false);
    expect(seen).toEqual([
      {
        failed: true,
        code: 'ERR_WS_CLOSED',
        message: stringContaining('code 4001'),
        close_code: 4001,
        reason: 'gone',
        was_clean: false,
      },
    ]);
    expect(bridge.failure({ type: 'error' })).toEqual({ failed: false });
  });

  it('rethrows what is not an error of the package (a bug should not pass for a Python exception)', () => {
    const notASocket = {} as unknown as RxWebSocket;
    expect(() => bridge.drain(notASocket)).toThrow(TypeError);
    expect(() => bridge.send(notASocket, 'x')).toThrow(TypeError);
  });
});

describe('handlers', () => {
  it('swallow an exception Brython has printed already ($handled), and report any other', () => {
    const reported: unknown[] = [];
    config.onUnhandledError = (error) => reported.push(error);
    const { ws, fake } = open();
    const calls: string[] = [];
    const printed = Object.assign(new Error('python'), { $handled: true });
    const other = new Error('javascript');
    bridge.add_handler(ws, 'message', () => {
      throw printed;
    });
    bridge.add_handler(ws, 'message', () => {
      throw other;
    });
    bridge.add_handler(ws, 'message', (evt: unknown) => calls.push((evt as { data: string }).data));
    fake.open();
    fake.receive('a');
    expect(calls).toEqual(['a']);
    expect(reported).toEqual([other]);
  });

  it('unbinds by the handle add_handler returned, one binding at a time', () => {
    const { ws, fake } = open();
    const calls: number[] = [];
    const fn = (): void => void calls.push(1);
    const first = bridge.add_handler(ws, 'message', fn);
    const second = bridge.add_handler(ws, 'message', fn);
    if (first.failed || second.failed) throw new Error('bind failed');
    expect(ws.events('message')).toHaveLength(2);
    expect(bridge.remove_handler(ws, 'message', first.value)).toEqual({ failed: false, value: undefined });
    fake.open();
    fake.receive('x');
    expect(calls).toEqual([1]);
  });

  it('calls on_complete with no argument (Brython would pass one on to Python)', () => {
    const { ws, fake } = open();
    const complete = vi.fn();
    bridge.observe(bridge.stream(ws, 'close$'), undefined, undefined, complete);
    fake.open();
    // FakeWebSocket answers close() with the close event at once.
    ws.close();
    expect(complete.mock.calls).toEqual([[]]);
  });
});

describe('bytes', () => {
  it("makes a Uint8Array of Brython's bytes and bytearray (a list of integers in source)", () => {
    expect(bridge.to_uint8array({ ob_type: {}, source: [0, 1, 255] })).toEqual({
      failed: false,
      value: new Uint8Array([0, 1, 255]),
    });
    expect(() => bridge.to_uint8array({})).toThrow(/another shape/);
  });

  it('lists the bytes of an ArrayBuffer or a view of one, and refuses a Blob in words a Python user acts on', () => {
    const buffer = new Uint8Array([9, 8, 7, 6]).buffer;
    expect(bridge.byte_list(buffer)).toEqual({ failed: false, value: [9, 8, 7, 6] });
    expect(bridge.byte_list(new Uint8Array(buffer, 1, 2))).toEqual({ failed: false, value: [8, 7] });
    expect(bridge.byte_list(new Blob(['x']))).toEqual({
      failed: true,
      code: 'ERR_WS_INVALID_ARGUMENT',
      message:
        "to_bytes() takes binary message data (an ArrayBuffer), got a Blob: set ws.binaryType = 'arraybuffer' (or the option 'binary_type') before the message arrives",
    });
    expect([
      bridge.is_binary(buffer),
      bridge.is_binary(new Blob([])),
      bridge.is_binary({}),
      bridge.is_binary('x'),
    ]).toEqual([true, true, false, false]);
  });
});

describe('pythonMessage', () => {
  it.each([
    [
      'ERR_WS_UNSUPPORTED',
      'anything',
      'this browser has no WebSocket (websocket.supported is False): check websocket.supported before calling websocket.WebSocket()',
    ],
    [
      'ERR_WS_INVALID_ARGUMENT',
      'reconnect initialDelay must be a finite number',
      'reconnect initial_delay must be a finite number',
    ],
    [
      'ERR_WS_INVALID_ARGUMENT',
      'reconnect() takes an object of reconnect options such as { attempts: 5 }, got an array',
      "reconnect() takes an object of reconnect options such as {'attempts': 5}, got a list",
    ],
    [
      'ERR_WS_INVALID_ARGUMENT',
      "options.connectTimeout takes connectTimeout(…) from 'brython-websocket/resilience', got 5",
      "the option 'connect_timeout' takes websocket.connect_timeout(ms), got 5",
    ],
    ['ERR_WS_QUEUE_FULL', 'Wait for open, or raise options.maxQueue', "Wait for open, or raise the option 'max_queue'"],
  ] as const)('%s: %s', (code, message, expected) => {
    expect(pythonMessage(new WebSocketError(code, message))).toBe(expected);
  });
});

describe('the bridge itself', () => {
  it('names no method bind, unbind or bindings (Brython hides those of JavaScript objects)', () => {
    expect(Object.keys(bridge).filter((name) => ['bind', 'unbind', 'bindings'].includes(name))).toEqual([]);
    expect(bridge.version).toBe('1.2.3');
  });
});
