/**
 * What counts as a socket (src/native.ts): what the WebSocket constructor returns must have
 * `send` and `close` functions, a numeric `readyState`, and either `addEventListener` and
 * `removeEventListener` (preferred) or the four `on*` properties. Anything else is refused
 * with `ERR_WS_INVALID_ARGUMENT` and a message that names what is missing, on both faces.
 */
import { VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { WebSocketError } from '../src/errors.js';
import { reconnect } from '../src/resilience.js';
import { webSocket } from '../src/rxjs-compat.js';
import { FakeWebSocket } from '../src/testing/index.js';
import type { WebSocketConstructor } from '../src/types.js';
import { WebSocket } from '../src/websocket.js';
import { expectWsError } from './shared/ws-error.js';

const ctor = (c: unknown): WebSocketConstructor => c as WebSocketConstructor;

/** Has the methods and the state, and no way to listen. */
class Deaf {
  readyState = 0;
  send(): void {
    // Never called: the socket is refused before anything is sent.
  }
  close(): void {
    // Never called: the socket is refused before anything is closed.
  }
}

/** Has both ways to listen; records which one the socket used. */
class Both {
  readyState = 0;
  onopen: unknown = null;
  onmessage: unknown = null;
  onerror: unknown = null;
  onclose: unknown = null;
  readonly added: string[] = [];
  send(): void {
    // Nothing to send to: only the way the socket listens is under test.
  }
  close(): void {
    // No server to tell: only the way the socket listens is under test.
  }
  addEventListener(type: string): void {
    this.added.push(type);
  }
  removeEventListener(): void {
    // Only what addEventListener() was asked for is recorded.
  }
}

/** A class whose instances have nothing of a socket. */
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- an empty class is the bad WebSocketCtor under test
class Empty {}

describe('a WebSocketCtor that does not make a socket', () => {
  it.each([
    ['Object', Object],
    [
      'function () {}',
      function () {
        // Makes no socket: the bad WebSocketCtor under test.
      },
    ],
    ['class {}', Empty],
  ])('%s is refused with ERR_WS_INVALID_ARGUMENT, naming everything it lacks', (_, Ctor) => {
    const error = expectWsError(
      () => WebSocket('ws://test/', { WebSocketCtor: ctor(Ctor) }),
      'ERR_WS_INVALID_ARGUMENT',
    );
    expect(error.message).toMatch(
      /^options\.WebSocketCtor made .*, not a WebSocket: it lacks send\(\), close\(\), a numeric readyState, /,
    );
    expect(error.message).toMatch(/addEventListener\(\) or on\* properties/);
    expect(error.message).toMatch(/pass a WebSocket class/);
  });

  it('names only what is missing', () => {
    const error = expectWsError(
      () => WebSocket('ws://test/', { WebSocketCtor: ctor(Deaf) }),
      'ERR_WS_INVALID_ARGUMENT',
    );
    expect(error.message).toMatch(/it lacks addEventListener\(\) or on\* properties;/);
    expect(error.message).not.toMatch(/send\(\)|readyState/);
    class NoState extends Both {
      override readyState = 'connecting' as never;
    }
    expect(
      expectWsError(() => WebSocket('ws://test/', { WebSocketCtor: ctor(NoState) }), 'ERR_WS_INVALID_ARGUMENT').message,
    ).toMatch(/it lacks a numeric readyState;/);
  });

  it("reaches webSocket()'s subscriber as that error, not as a TypeError", () => {
    const errors: unknown[] = [];
    webSocket({ url: 'ws://test/', WebSocketCtor: ctor(Empty) }).subscribe({ error: (e: unknown) => errors.push(e) });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(WebSocketError);
    expect((errors[0] as WebSocketError).code).toBe('ERR_WS_INVALID_ARGUMENT');
  });

  it('on a reconnect, goes to error$ and ends the socket as a failed attempt would', () => {
    const scheduler = new VirtualTimeScheduler();
    let calls = 0;
    const Flaky = function (this: unknown, url: string) {
      calls += 1;
      return calls === 1 ? new FakeWebSocket(url) : {};
    };
    const ws = WebSocket('ws://test/', {
      WebSocketCtor: ctor(Flaky),
      scheduler,
      reconnect: reconnect({ attempts: 1, initialDelay: 1, jitter: 0 }),
    });
    const errors: unknown[] = [];
    ws.error$.subscribe((e) => errors.push(e));
    FakeWebSocket.last.open();
    FakeWebSocket.last.fail();
    scheduler.flush();
    expect(errors.map((e) => (e instanceof WebSocketError ? e.code : (e as { type: string }).type))).toEqual([
      'error',
      'ERR_WS_INVALID_ARGUMENT',
    ]);
    expect(ws.state).toBe('closed');
  });
});

describe('a socket with both ways to listen', () => {
  it('is listened to through addEventListener, and its on* properties are left alone', () => {
    const ws = WebSocket('ws://test/', { WebSocketCtor: ctor(Both) });
    const native = (ws as unknown as { _native: Both })._native;
    expect(native.added.sort()).toEqual(['close', 'error', 'message', 'open']);
    expect([native.onopen, native.onmessage, native.onerror, native.onclose]).toEqual([null, null, null, null]);
  });
});
