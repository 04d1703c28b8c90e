/**
 * The table of bad input (issue 7): each case gets a `WebSocketError` with its stable `code` and
 * a message that says what to do (an example, or the valid values), and leaves the socket as
 * it was. One `it.each` table per kind of input. The last block sends and receives a 16 MiB
 * message through a real local `ws` server.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { config, filter, firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer, WebSocket as WsWebSocket, type RawData } from 'ws';
import { json } from '../src/codec.js';
import { DecodeError, isWebSocketError, type WebSocketErrorCode } from '../src/errors.js';
import type { SocketOptions } from '../src/options.js';
import { webSocket } from '../src/rxjs-compat.js';
import { FakeWebSocket } from '../src/testing/index.js';
import type { WsMessageEvent } from '../src/types.js';
import { RxWebSocket, WebSocket } from '../src/websocket.js';
import { thrown, thrownBy } from './helpers/thrown.js';

const EXAMPLE = 'pass an absolute ws: or wss: URL such as ws://localhost:8080/chat';

beforeEach(() => {
  FakeWebSocket.reset();
});

afterEach(() => {
  FakeWebSocket.reset();
  config.onUnhandledError = null;
});

/** A socket on a FakeWebSocket; `open` drives the server's accept. */
function fakeSocket<In = string, Out = string>(options: SocketOptions<In, Out> = {}, open = true): { ws: RxWebSocket<In, Out>; fake: FakeWebSocket } {
  const ws = new RxWebSocket<In, Out>('ws://test/', { WebSocketCtor: FakeWebSocket, ...options });
  const fake = FakeWebSocket.last;
  if (open) fake.open();
  return { ws, fake };
}

function expectError(error: unknown, code: WebSocketErrorCode, message: RegExp): void {
  expect(isWebSocketError(error), `not a WebSocketError: ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  expect((error as Error).message).toMatch(message);
}

// ---- URLs ---------------------------------------------------------------------------------

describe('invalid URLs: ERR_WS_INVALID_URL, quoting the input, before any connection', () => {
  const notAbsolute = (url: string) => ({ url, message: `invalid WebSocket URL ${JSON.stringify(url)}: it is not an absolute URL; ${EXAMPLE}` });
  const scheme = (url: string, s: string) => ({
    url,
    message: `invalid WebSocket URL ${JSON.stringify(url)}: the scheme ${JSON.stringify(s)} is not ws:, wss:, http: or https:; ${EXAMPLE}`,
  });
  const fragment = (url: string) => ({
    url,
    message: `invalid WebSocket URL ${JSON.stringify(url)}: a WebSocket URL cannot have a fragment (#...); remove it`,
  });

  it.each([
    { kind: 'relative path', ...notAbsolute('/chat') },
    { kind: 'bare word', ...notAbsolute('chat') },
    { kind: 'scheme-relative', ...notAbsolute('//localhost:8080/chat') },
    { kind: 'host and port without a scheme', ...scheme('localhost:8080', 'localhost:') },
    { kind: 'ftp:', ...scheme('ftp://example.test/', 'ftp:') },
    { kind: 'file:', ...scheme('file:///tmp/socket', 'file:') },
    { kind: 'javascript:', ...scheme('javascript:alert(1)', 'javascript:') },
    { kind: 'data:', ...scheme('data:text/plain,hi', 'data:') },
    { kind: 'a fragment', ...fragment('ws://example.test/chat#top') },
    { kind: 'an empty fragment', ...fragment('wss://example.test/#') },
    { kind: 'empty', ...notAbsolute('') },
    { kind: 'blank', ...notAbsolute('   ') },
    { kind: 'garbage', ...notAbsolute('%%%') },
    { kind: 'a space in the host', ...notAbsolute('ws://exa mple.test/') },
    { kind: 'an unclosed IPv6 host', ...notAbsolute('ws://[::1/') },
    { kind: 'a port out of range', ...notAbsolute('wss://example.test:99999/') },
    { kind: 'no host (ws://)', ...notAbsolute('ws://') },
    { kind: 'no host (port only)', ...notAbsolute('ws://:8080/') },
    { kind: 'no host (http:)', ...notAbsolute('http:') },
  ])('$kind: $url', ({ url, message }) => {
    const error = thrown(() => WebSocket(url, { WebSocketCtor: FakeWebSocket }));
    expect(error.code).toBe('ERR_WS_INVALID_URL');
    expect(error.message).toBe(message);
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  it.each([
    { kind: 'a number', host: 42, got: '42' },
    { kind: 'null', host: null, got: 'null' },
    { kind: 'undefined', host: undefined, got: 'undefined' },
    { kind: 'a plain object', host: { url: 'ws://example.test/' }, got: 'a plain object' },
    { kind: 'an array', host: ['ws://example.test/'], got: 'an array' },
    { kind: 'a symbol', host: Symbol('ws'), got: 'a symbol' },
  ])('a host that is not a string or a URL: $kind', ({ host, got }) => {
    const error = thrown(() => WebSocket(host as never, { WebSocketCtor: FakeWebSocket }));
    expect(error.code).toBe('ERR_WS_INVALID_URL');
    expect(error.message).toBe(`the WebSocket host must be a string or a URL, got ${got}; ${EXAMPLE}`);
  });

  it('a URL object is checked like a string', () => {
    expectError(
      thrownBy(() => WebSocket(new URL('ftp://example.test/'), { WebSocketCtor: FakeWebSocket })),
      'ERR_WS_INVALID_URL',
      /the scheme "ftp:" is not ws:, wss:, http: or https:; pass an absolute ws: or wss: URL such as/,
    );
  });

  it.each([
    { kind: 'another scheme', url: 'ftp://user:s3cret@example.test/', shown: 'ftp://***@example.test/' },
    { kind: 'a fragment', url: 'ws://user:s3cret@example.test/#top', shown: 'ws://***@example.test/#top' },
    { kind: 'no scheme (user: parses as one)', url: 'user:s3cret@example.test', shown: '***@example.test' },
    { kind: 'unparseable', url: 'ws://user:s3cret@exa mple.test/', shown: 'ws://***@exa mple.test/' },
    { kind: 'a port out of range', url: 'ws://user:s3cret@example.test:99999/', shown: 'ws://***@example.test:99999/' },
  ])('with credentials, they are not shown: $kind', ({ url, shown }) => {
    const error = thrown(() => WebSocket(url, { WebSocketCtor: FakeWebSocket }));
    expect(error.code).toBe('ERR_WS_INVALID_URL');
    expect(error.message).toContain(JSON.stringify(shown));
    expect(error.message).not.toContain('s3cret');
    expect(error.message).not.toContain('user:');
  });

  it('webSocket() checks the URL when it is called, with the same errors', () => {
    expectError(thrownBy(() => webSocket('/chat')), 'ERR_WS_INVALID_URL', /"\/chat": it is not an absolute URL; pass an absolute ws: or wss: URL such as/);
    expectError(thrownBy(() => webSocket({ url: 'ws://example.test/#x' })), 'ERR_WS_INVALID_URL', /cannot have a fragment \(#\.\.\.\); remove it/);
  });
});

// ---- Protocols ----------------------------------------------------------------------------

describe('invalid subprotocols: ERR_WS_INVALID_ARGUMENT, naming the token, before any connection', () => {
  const TOKEN_HINT = 'a subprotocol is a non-empty token without spaces, commas or separators, e.g. "chat.v2"';

  it.each([
    { kind: 'empty', protocol: '', shown: '""' },
    { kind: 'a space', protocol: 'chat v2', shown: '"chat v2"' },
    { kind: 'a comma', protocol: 'chat,v2', shown: '"chat,v2"' },
    { kind: 'a slash', protocol: 'chat/v2', shown: '"chat/v2"' },
    { kind: 'a semicolon', protocol: 'chat;v=2', shown: '"chat;v=2"' },
    { kind: 'quotes', protocol: '"chat"', shown: '"\\"chat\\""' },
    { kind: 'parentheses', protocol: '(chat)', shown: '"(chat)"' },
    { kind: 'braces', protocol: '{chat}', shown: '"{chat}"' },
    { kind: 'a tab', protocol: 'chat\tv2', shown: '"chat\\tv2"' },
    { kind: 'a non-ASCII letter', protocol: 'chät', shown: '"chät"' },
    { kind: 'a number in the list', protocol: 42, shown: '42' },
    { kind: 'null in the list', protocol: null, shown: 'null' },
  ])('$kind', ({ protocol, shown }) => {
    const message = `invalid subprotocol ${shown}: ${TOKEN_HINT}`;
    // As the second argument, as options.protocols, and through webSocket()'s config.
    for (const make of [
      () => WebSocket('ws://test/', ['chat', protocol] as string[], { WebSocketCtor: FakeWebSocket }),
      () => WebSocket('ws://test/', { protocols: ['chat', protocol] as string[], WebSocketCtor: FakeWebSocket }),
      () => webSocket({ url: 'ws://test/', protocol: ['chat', protocol] as string[], WebSocketCtor: FakeWebSocket }),
    ]) {
      const error = thrown(make);
      expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
      expect(error.message).toBe(message);
    }
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  it.each([
    { kind: 'twice in a row', protocols: ['chat', 'chat'], twice: 'chat' },
    { kind: 'apart', protocols: ['a', 'b', 'a'], twice: 'a' },
  ])('the same subprotocol $kind', ({ protocols, twice }) => {
    for (const make of [
      () => WebSocket('ws://test/', protocols, { WebSocketCtor: FakeWebSocket }),
      () => webSocket({ url: 'ws://test/', protocol: protocols, WebSocketCtor: FakeWebSocket }),
    ]) {
      const error = thrown(make);
      expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
      expect(error.message).toBe(`the subprotocol ${JSON.stringify(twice)} is listed twice; list each subprotocol once`);
    }
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  it.each([
    { kind: 'a number', protocols: 42, got: '42' },
    { kind: 'an object', protocols: { chat: true }, got: 'a plain object' },
  ])('options.protocols that is $kind', ({ protocols, got }) => {
    const error = thrown(() => WebSocket('ws://test/', { protocols: protocols as never, WebSocketCtor: FakeWebSocket }));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toBe(`protocols must be a string or an array of strings, got ${got}`);
  });
});

// ---- close() --------------------------------------------------------------------------------

describe('invalid close codes and reasons: ERR_WS_INVALID_CLOSE, and the socket stays as it was', () => {
  const VALID = 'use 1000 (normal closure) or an application code from 3000 to 4999';

  it.each([
    { code: 0, shown: '0' },
    { code: 999, shown: '999' },
    { code: 1001, shown: '1001' },
    { code: 1004, shown: '1004' },
    { code: 1005, shown: '1005' },
    { code: 1006, shown: '1006' },
    { code: 1015, shown: '1015' },
    { code: 2000, shown: '2000' },
    { code: 2999, shown: '2999' },
    { code: 5000, shown: '5000' },
    { code: Number.NaN, shown: 'NaN' },
    { code: -1, shown: '-1' },
    { code: 3000.5, shown: '3000.5' },
    { code: Number.POSITIVE_INFINITY, shown: 'Infinity' },
    { code: '1000', shown: '"1000"' },
  ])('close($shown)', ({ code, shown }) => {
    // While connecting, and while open.
    for (const open of [false, true]) {
      FakeWebSocket.reset();
      const { ws, fake } = fakeSocket({}, open);
      const error = thrown(() => ws.close(code as number));
      expect(error.code).toBe('ERR_WS_INVALID_CLOSE');
      expect(error.message).toBe(`invalid close code ${shown}: ${VALID}`);
      expect(ws.state).toBe(open ? 'open' : 'connecting');
      expect(fake.closeRequest).toBeUndefined();
      // Still usable: a valid close goes through.
      ws.close(4000, 'done');
      expect(fake.closeRequest).toEqual({ code: 4000, reason: 'done' });
    }
  });

  it.each([
    { kind: '62 × "é" (2 bytes each)', reason: 'é'.repeat(62) },
    { kind: '41 × "€" (3 bytes each) and one ASCII', reason: `${'€'.repeat(41)}a` },
    { kind: '31 × "😀" (4 bytes each)', reason: '😀'.repeat(31) },
    { kind: '41 lone surrogates (3 bytes each, as UTF-8 sends them) and one ASCII', reason: `${'\uD800'.repeat(41)}a` },
  ])('a reason of 124 bytes: $kind', ({ reason }) => {
    const { ws, fake } = fakeSocket();
    const error = thrown(() => ws.close(1000, reason));
    expect(error.code).toBe('ERR_WS_INVALID_CLOSE');
    expect(error.message).toBe('the close reason is 124 bytes of UTF-8; the protocol allows at most 123: shorten it');
    expect(ws.state).toBe('open');
    expect(fake.closeRequest).toBeUndefined();
  });

  it.each([
    { kind: '61 × "é" and one ASCII', reason: `${'é'.repeat(61)}a` },
    { kind: '30 × "😀" and three ASCII', reason: `${'😀'.repeat(30)}abc` },
  ])('a reason of exactly 123 bytes is sent: $kind', ({ reason }) => {
    const { ws, fake } = fakeSocket();
    ws.close(1000, reason);
    expect(fake.closeRequest).toEqual({ code: 1000, reason });
    expect(ws.state).toBe('closed');
  });

  it('a reason that is not a string', () => {
    const { ws } = fakeSocket();
    expectError(thrownBy(() => ws.close(1000, 42 as never)), 'ERR_WS_INVALID_CLOSE', /^the close reason must be a string, got 42$/);
    expect(ws.state).toBe('open');
  });

  it('the subject face error() with an invalid code closes with 1000 instead of throwing', () => {
    const { ws, fake } = fakeSocket();
    ws.error({ code: 1006, reason: 'x' });
    expect(fake.closeRequest).toEqual({ code: 1000, reason: '' });
  });
});

// ---- send() ---------------------------------------------------------------------------------

describe('send() of what a WebSocket cannot send: ERR_WS_INVALID_ARGUMENT, nothing queued or sent', () => {
  const TYPES = 'send a string, an ArrayBuffer, an ArrayBufferView or a Blob (serialize objects first, e.g. JSON.stringify, or pass options.serializer and use next())';
  const shared = new SharedArrayBuffer(8);

  it.each([
    { kind: 'null', data: null, message: `cannot send null: ${TYPES}` },
    { kind: 'undefined', data: undefined, message: `cannot send undefined: ${TYPES}` },
    { kind: 'a plain object', data: { text: 'hi' }, message: `cannot send a plain object: ${TYPES}` },
    { kind: 'a number', data: 42, message: `cannot send 42: ${TYPES}` },
    { kind: 'an array', data: [1, 2], message: `cannot send an array: ${TYPES}` },
    { kind: 'a Map', data: new Map(), message: `cannot send a Map: ${TYPES}` },
    {
      kind: 'a SharedArrayBuffer',
      data: shared,
      message: 'cannot send a SharedArrayBuffer: copy it into an ordinary ArrayBuffer first (e.g. new Uint8Array(sab).slice().buffer)',
    },
    {
      kind: 'a Uint8Array on a SharedArrayBuffer',
      data: new Uint8Array(shared),
      message: 'cannot send a view of a SharedArrayBuffer: copy it into an ordinary ArrayBuffer first (e.g. view.slice())',
    },
    {
      kind: 'a DataView on a SharedArrayBuffer',
      data: new DataView(shared),
      message: 'cannot send a view of a SharedArrayBuffer: copy it into an ordinary ArrayBuffer first (e.g. view.slice())',
    },
  ])('$kind', ({ data, message }) => {
    // While connecting (refused before the queue), then while open.
    const { ws, fake } = fakeSocket({}, false);
    for (const call of [() => ws.send(data as never), () => ws.next(data as never)]) {
      const error = thrown(call);
      expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
      expect(error.message).toBe(message);
    }
    expect(ws.queued).toBe(0);
    fake.open();
    const error = thrown(() => ws.send(data as never));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toBe(message);
    expect(fake.sent).toEqual([]);
    expect(ws.send('still fine')).toBe(true);
    expect(fake.sent).toEqual(['still fine']);
  });
});

// ---- bind() ---------------------------------------------------------------------------------

describe('bind() to an unknown event or with a handler that is not a function: ERR_WS_INVALID_ARGUMENT', () => {
  const EVENTS_HINT = 'a WebSocket has the events "open", "error", "message" and "close"';

  it.each([
    { evt: 'Open', shown: '"Open"' },
    { evt: 'OPEN', shown: '"OPEN"' },
    { evt: '', shown: '""' },
    { evt: 'click', shown: '"click"' },
    { evt: 'onopen', shown: '"onopen"' },
    { evt: 'messages', shown: '"messages"' },
    { evt: ' open', shown: '" open"' },
    { evt: 42, shown: '42' },
    { evt: undefined, shown: 'undefined' },
  ])('the event $shown', ({ evt, shown }) => {
    const { ws } = fakeSocket();
    const message = `unknown event ${shown}: ${EVENTS_HINT}`;
    for (const call of [
      () => ws.bind(evt as never, () => undefined),
      () => ws.bind(evt as never),
      () => ws.unbind(evt as never),
      () => ws.events(evt as never),
    ]) {
      const error = thrown(call);
      expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
      expect(error.message).toBe(message);
    }
    expect(ws.bindings()).toEqual({ open: [], error: [], message: [], close: [] });
  });

  it.each([
    { kind: 'undefined', fn: undefined, got: 'undefined' },
    { kind: 'null', fn: null, got: 'null' },
    { kind: 'a string', fn: 'onOpen', got: '"onOpen"' },
    { kind: 'a number', fn: 42, got: '42' },
    { kind: 'a plain object', fn: {}, got: 'a plain object' },
    { kind: 'a DOM-style listener object', fn: { handleEvent: () => undefined }, got: 'a plain object' },
  ])('a handler that is $kind', ({ fn, got }) => {
    const { ws } = fakeSocket();
    const message = `the handler for "open" must be a function taking one argument (the event), got ${got}`;
    for (const call of [() => ws.bind('open', fn as never), () => (ws.bind('open') as (f: unknown) => unknown)(fn)]) {
      const error = thrown(call);
      expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
      expect(error.message).toBe(message);
    }
    if (fn !== undefined) {
      const error = thrown(() => ws.unbind('open', fn as never));
      expect(error.message).toBe(message);
    }
    expect(ws.bindings()).toEqual({ open: [], error: [], message: [], close: [] });
  });
});

// ---- Options --------------------------------------------------------------------------------

describe('options of the wrong types: ERR_WS_INVALID_ARGUMENT naming the option and what it takes, before any connection', () => {
  const row = (label: string, options: Record<string, unknown>, message: RegExp) => ({ label, options, message });
  it.each([
    row('an unknown option (a typo)', { reconect: true }, /^unknown option "reconect"; the options are protocols, binaryType, WebSocketCtor, serializer, deserializer, maxQueue, reconnect, connectTimeout, heartbeat, scheduler$/),
    row('binaryType: 42', { binaryType: 42 }, /^options\.binaryType must be a string such as 'arraybuffer' or 'blob', got 42$/),
    row('binaryType: null', { binaryType: null }, /^options\.binaryType must be a string such as 'arraybuffer' or 'blob', got null$/),
    row('WebSocketCtor: a string', { WebSocketCtor: 'ws' }, /^options\.WebSocketCtor must be a function, got "ws"$/),
    row('WebSocketCtor: an object', { WebSocketCtor: {} }, /^options\.WebSocketCtor must be a function, got a plain object$/),
    row('serializer: a string', { serializer: 'json' }, /^options\.serializer must be a function, got "json"$/),
    row('deserializer: true', { deserializer: true }, /^options\.deserializer must be a function, got true$/),
    row('maxQueue: -1', { maxQueue: -1 }, /^options\.maxQueue must be a whole number of messages \(0 or more, or Infinity\), got -1$/),
    row('maxQueue: 1.5', { maxQueue: 1.5 }, /^options\.maxQueue must be a whole number .*, got 1\.5$/),
    row('maxQueue: NaN', { maxQueue: Number.NaN }, /^options\.maxQueue must be a whole number .*, got NaN$/),
    row('maxQueue: "10"', { maxQueue: '10' }, /^options\.maxQueue must be a whole number .*, got "10"$/),
    row('connectTimeout: 0', { connectTimeout: 0 }, /^options\.connectTimeout must be a number of milliseconds above 0 \(or Infinity\), got 0$/),
    row('connectTimeout: -5', { connectTimeout: -5 }, /^options\.connectTimeout must be .*, got -5$/),
    row('connectTimeout: NaN', { connectTimeout: Number.NaN }, /^options\.connectTimeout must be .*, got NaN$/),
    row('connectTimeout: "5000"', { connectTimeout: '5000' }, /^options\.connectTimeout must be .*, got "5000"$/),
    row('scheduler: an object', { scheduler: {} }, /^options\.scheduler must be an RxJS scheduler \(asyncScheduler, a TestScheduler\), got a plain object$/),
    row('scheduler: without now()', { scheduler: { schedule: () => undefined } }, /^options\.scheduler must be an RxJS scheduler .*, got a plain object$/),
    row('scheduler: a string', { scheduler: 'async' }, /^options\.scheduler must be an RxJS scheduler .*, got "async"$/),
    row('scheduler: null', { scheduler: null }, /^options\.scheduler must be an RxJS scheduler .*, got null$/),
    row('reconnect: a string', { reconnect: 'yes' }, /^options\.reconnect must be true, false or an object of reconnect options, got "yes"$/),
    row('reconnect: 1', { reconnect: 1 }, /^options\.reconnect must be true, false or an object .*, got 1$/),
    row('reconnect: null', { reconnect: null }, /^options\.reconnect must be true, false or an object .*, got null$/),
    row('reconnect: an array', { reconnect: [] }, /^options\.reconnect must be true, false or an object .*, got an array$/),
    row('reconnect: an unknown key', { reconnect: { retries: 3 } }, /^unknown reconnect option "retries"; the reconnect options are attempts, initialDelay, maxDelay, factor, jitter, resetAfter, shouldReconnect$/),
    row('reconnect.attempts: -1', { reconnect: { attempts: -1 } }, /^options\.reconnect\.attempts must be a whole number \(0 or more, or Infinity\), got -1$/),
    row('reconnect.attempts: 1.5', { reconnect: { attempts: 1.5 } }, /^options\.reconnect\.attempts must be a whole number .*, got 1\.5$/),
    row('reconnect.attempts: "3"', { reconnect: { attempts: '3' } }, /^options\.reconnect\.attempts must be a whole number .*, got "3"$/),
    row('reconnect.initialDelay: -1', { reconnect: { initialDelay: -1 } }, /^options\.reconnect\.initialDelay must be a finite number of milliseconds \(0 or more\), got -1$/),
    row('reconnect.initialDelay: NaN', { reconnect: { initialDelay: Number.NaN } }, /^options\.reconnect\.initialDelay must be a finite number .*, got NaN$/),
    row('reconnect.initialDelay: Infinity', { reconnect: { initialDelay: Infinity } }, /^options\.reconnect\.initialDelay must be a finite number .*, got Infinity$/),
    row('reconnect.maxDelay: "1s"', { reconnect: { maxDelay: '1s' } }, /^options\.reconnect\.maxDelay must be a finite number .*, got "1s"$/),
    row('reconnect.resetAfter: -5', { reconnect: { resetAfter: -5 } }, /^options\.reconnect\.resetAfter must be a finite number .*, got -5$/),
    row('reconnect.factor: 0.5', { reconnect: { factor: 0.5 } }, /^options\.reconnect\.factor must be a number of at least 1, got 0\.5$/),
    row('reconnect.factor: NaN', { reconnect: { factor: Number.NaN } }, /^options\.reconnect\.factor must be a number of at least 1, got NaN$/),
    row('reconnect.factor: Infinity', { reconnect: { factor: Infinity } }, /^options\.reconnect\.factor must be a number of at least 1, got Infinity$/),
    row('reconnect.jitter: 2', { reconnect: { jitter: 2 } }, /^options\.reconnect\.jitter must be a number from 0 to 1, got 2$/),
    row('reconnect.jitter: -0.1', { reconnect: { jitter: -0.1 } }, /^options\.reconnect\.jitter must be a number from 0 to 1, got -0\.1$/),
    row('reconnect.jitter: NaN', { reconnect: { jitter: Number.NaN } }, /^options\.reconnect\.jitter must be a number from 0 to 1, got NaN$/),
    row('reconnect.shouldReconnect: true', { reconnect: { shouldReconnect: true } }, /^options\.reconnect\.shouldReconnect must be a function of the close event, got true$/),
    row('heartbeat: true', { heartbeat: true }, /^options\.heartbeat must be an object such as \{ interval: 15000, message: 'ping' \}, got true$/),
    row('heartbeat: a number', { heartbeat: 15_000 }, /^options\.heartbeat must be an object such as .*, got 15000$/),
    row('heartbeat: an unknown key', { heartbeat: { interval: 10, period: 5 } }, /^unknown heartbeat option "period"; the heartbeat options are interval, message, timeout$/),
    row('heartbeat: no interval', { heartbeat: {} }, /^options\.heartbeat\.interval must be a number of milliseconds above 0, got undefined$/),
    row('heartbeat.interval: 0', { heartbeat: { interval: 0 } }, /^options\.heartbeat\.interval must be a number of milliseconds above 0, got 0$/),
    row('heartbeat.interval: Infinity', { heartbeat: { interval: Infinity } }, /^options\.heartbeat\.interval must be .*, got Infinity$/),
    row('heartbeat.interval: "15s"', { heartbeat: { interval: '15s' } }, /^options\.heartbeat\.interval must be .*, got "15s"$/),
    row('heartbeat.timeout: 0', { heartbeat: { interval: 10, timeout: 0 } }, /^options\.heartbeat\.timeout must be a number of milliseconds above 0 \(or Infinity\), got 0$/),
    row('heartbeat.timeout: NaN', { heartbeat: { interval: 10, timeout: Number.NaN } }, /^options\.heartbeat\.timeout must be .*, got NaN$/),
    row('heartbeat.message: a number', { heartbeat: { interval: 10, message: 42 } }, /^options\.heartbeat\.message must be what send\(\) takes \(a string, ArrayBuffer, ArrayBufferView or Blob\) or a function returning it, got 42$/),
    row('heartbeat.message: an object', { heartbeat: { interval: 10, message: { op: 'ping' } } }, /^options\.heartbeat\.message must be what send\(\) takes .*, got a plain object$/),
  ])('$label', ({ options, message }) => {
    const error = thrown(() => new RxWebSocket('ws://test/', { WebSocketCtor: FakeWebSocket, ...options } as SocketOptions));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toMatch(message);
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  it.each([
    { label: 'options: a number', args: [42], message: /^options must be an object, got 42$/ },
    { label: 'options: null', args: [null], message: /^options must be an object, got null$/ },
    { label: 'options: true', args: [true], message: /^options must be an object, got true$/ },
    {
      label: 'an object before the options',
      args: [{}, {}],
      message: /^the second argument must be the protocols \(a string or an array of strings\) when options follow it, got a plain object$/,
    },
    {
      label: 'protocols given twice',
      args: ['chat', { protocols: 'chat' }],
      message: /^protocols were given twice, as an argument and as options\.protocols; give them once$/,
    },
  ])('the arguments: $label', ({ args, message }) => {
    const error = thrown(() => (WebSocket as (...a: unknown[]) => unknown)('ws://test/', ...args));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toMatch(message);
  });
});

describe("webSocket()'s config errors: ERR_WS_INVALID_ARGUMENT when webSocket() is called", () => {
  it.each([
    { label: 'a number', config: 42, message: /^webSocket\(\) takes a URL or a config object such as \{ url: 'wss:\/\/example\.test' \}, got 42$/ },
    { label: 'null', config: null, message: /^webSocket\(\) takes a URL or a config object .*, got null$/ },
    { label: 'an array', config: ['ws://test/'], message: /^webSocket\(\) takes a URL or a config object .*, got an array$/ },
    { label: 'no url', config: {}, message: /^the WebSocket host must be a string or a URL, got undefined; pass an absolute ws: or wss: URL/ },
    {
      label: 'an unknown key',
      config: { url: 'ws://test/', reconect: true },
      message: /^unknown option "reconect" in the webSocket\(\) config; the options are url, protocol, serializer, deserializer, openObserver, closeObserver, closingObserver, WebSocketCtor, binaryType, maxQueue$/,
    },
    {
      label: 'resultSelector',
      config: { url: 'ws://test/', resultSelector: (e: unknown) => e },
      message: /^config\.resultSelector is not supported: .*pass your function as config\.deserializer/,
    },
    { label: 'serializer: a string', config: { url: 'ws://test/', serializer: 'json' }, message: /^config\.serializer must be a function, got "json"$/ },
    { label: 'deserializer: an object', config: { url: 'ws://test/', deserializer: {} }, message: /^config\.deserializer must be a function, got a plain object$/ },
    {
      label: 'openObserver: a function',
      config: { url: 'ws://test/', openObserver: () => undefined },
      message: /^config\.openObserver must be an observer with a next method, e\.g\. \{ next: \(event\) => \{\} \}, got a function$/,
    },
    { label: 'closeObserver: 42', config: { url: 'ws://test/', closeObserver: 42 }, message: /^config\.closeObserver must be an observer with a next method, .*got 42$/ },
    { label: 'closingObserver: {}', config: { url: 'ws://test/', closingObserver: {} }, message: /^config\.closingObserver must be an observer with a next method, .*got a plain object$/ },
    { label: 'binaryType: 42', config: { url: 'ws://test/', binaryType: 42 }, message: /^options\.binaryType must be a string such as 'arraybuffer' or 'blob', got 42$/ },
    { label: 'WebSocketCtor: a string', config: { url: 'ws://test/', WebSocketCtor: 'ws' }, message: /^options\.WebSocketCtor must be a function, got "ws"$/ },
    { label: 'maxQueue: -1', config: { url: 'ws://test/', maxQueue: -1 }, message: /^options\.maxQueue must be a whole number of messages \(0 or more, or Infinity\), got -1$/ },
  ])('$label', ({ config: cfg, message }) => {
    const error = thrown(() => webSocket(cfg as never));
    expect(error.code).toBe(/host must be/.test(message.source) ? 'ERR_WS_INVALID_URL' : 'ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toMatch(message);
    expect(FakeWebSocket.instances).toHaveLength(0);
  });
});

// ---- Codecs ---------------------------------------------------------------------------------

describe('a serializer or a deserializer that throws', () => {
  class SerializeError extends Error {}

  it('a throwing serializer: next() throws its error as itself; nothing is sent or queued; the socket stays open', () => {
    const failure = new SerializeError('cannot serialize a cycle');
    const serializer = (value: string): string => {
      if (value === 'bad') throw failure;
      return value.toUpperCase();
    };
    const { ws, fake } = fakeSocket<string, string>({ serializer }, false);
    expect(thrownBy(() => ws.next('bad'))).toBe(failure);
    expect(ws.queued).toBe(0);
    fake.open();
    expect(thrownBy(() => ws.next('bad'))).toBe(failure);
    expect(fake.sent).toEqual([]);
    expect(ws.state).toBe('open');
    expect(ws.next('good')).toBe(true);
    expect(fake.sent).toEqual(['GOOD']);
  });

  it('a serializer that returns what cannot be sent: ERR_WS_INVALID_ARGUMENT from next()', () => {
    const { ws, fake } = fakeSocket<string, { n: number }>({ serializer: (value) => value as never });
    expectError(thrownBy(() => ws.next({ n: 1 })), 'ERR_WS_INVALID_ARGUMENT', /^cannot send a plain object: send a string, .*JSON\.stringify/);
    expect(fake.sent).toEqual([]);
    expect(ws.state).toBe('open');
  });

  it('webSocket(): a throwing serializer is thrown by next() as itself, and nothing is buffered', () => {
    const failure = new SerializeError('no');
    const subject = webSocket<string>({ url: 'ws://test/', WebSocketCtor: FakeWebSocket, serializer: () => { throw failure; } });
    expect(thrownBy(() => subject.next('x'))).toBe(failure);
    subject.subscribe();
    FakeWebSocket.last.open();
    expect(FakeWebSocket.last.sent).toEqual([]);
    subject.unsubscribe();
  });

  it('a throwing deserializer: a DecodeError on error$ with the raw data and the cause; the message is skipped; the socket stays open', () => {
    const cause = new SyntaxError('not a number');
    const deserializer = (event: WsMessageEvent): number => {
      const n = Number(event.data);
      if (Number.isNaN(n)) throw cause;
      return n;
    };
    const { ws, fake } = fakeSocket<number, string>({ deserializer });
    const values: number[] = [];
    const errors: unknown[] = [];
    const bound: unknown[] = [];
    ws.subscribe({ next: (v) => values.push(v), error: (e: unknown) => errors.push(e) });
    ws.error$.subscribe((e) => errors.push(e));
    ws.bind('error', (e) => bound.push(e));
    fake.receive('1');
    fake.receive('one');
    fake.receive('2');
    expect(values).toEqual([1, 2]);
    expect(errors).toHaveLength(1);
    const error = errors[0] as DecodeError;
    expect(error).toBeInstanceOf(DecodeError);
    expect(error.code).toBe('ERR_WS_DECODE');
    expect(error.data).toBe('one');
    expect(error.cause).toBe(cause);
    expect(error.message).toBe(
      'could not decode a message (not a number); it was skipped and the socket stays open. ' +
        'Read the raw data from error.data, or make the deserializer accept it',
    );
    expect(bound).toEqual([error]);
    expect(ws.state).toBe('open');
    expect(ws.send('still open')).toBe(true);
  });

  it('json(): a message that is not JSON, and a binary one, are DecodeErrors; the JSON ones arrive', () => {
    const { ws, fake } = fakeSocket<unknown, unknown>({ ...json() });
    fake.binaryType = 'arraybuffer';
    const values: unknown[] = [];
    const decodeErrors: DecodeError[] = [];
    ws.subscribe((v) => values.push(v));
    ws.error$.pipe(filter((e): e is DecodeError => e instanceof DecodeError)).subscribe((e) => decodeErrors.push(e));
    fake.receive('{"a":1}');
    fake.receive('{"a":');
    fake.receive(new Uint8Array([1, 2]));
    fake.receive('[2]');
    expect(values).toEqual([{ a: 1 }, [2]]);
    expect(decodeErrors.map((e) => [e.code, e.data instanceof ArrayBuffer ? 'binary' : e.data])).toEqual([
      ['ERR_WS_DECODE', '{"a":'],
      ['ERR_WS_DECODE', 'binary'],
    ]);
    expect(decodeErrors[1]!.message).toMatch(/^could not decode a message \(a binary message is not JSON text\); it was skipped/);
  });
});

// ---- 16 MiB ---------------------------------------------------------------------------------

const MiB = 1024 * 1024;

interface BigServer {
  readonly url: string;
  /** Each message the server received: its size in bytes, whether binary, and its SHA-256. */
  readonly received: Array<{ bytes: number; binary: boolean; sha256: string }>;
  close(): Promise<void>;
}

const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

/** An echo server that takes messages up to 64 MiB (ws's maxPayload raised on purpose). */
async function startBigServer(): Promise<BigServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 64 * MiB });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const received: BigServer['received'] = [];
  wss.on('connection', (socket) => {
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const buffer = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      received.push({ bytes: buffer.length, binary: isBinary, sha256: sha256(buffer) });
      socket.send(isBinary ? buffer : buffer.toString('utf8'), { binary: isBinary });
    });
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

describe('a 16 MiB message through a real local ws server', () => {
  let server: BigServer | undefined;
  let client: RxWebSocket | undefined;

  afterEach(async () => {
    client?.close();
    client = undefined;
    await server?.close();
    server = undefined;
  });

  it('binary, sent while connecting (queued) and while open: both arrive intact both ways, and the socket stays usable', async () => {
    server = await startBigServer();
    const bytes = new Uint8Array(randomBytes(16 * MiB));
    const digest = sha256(bytes);
    const ws = (client = new RxWebSocket(server.url, { WebSocketCtor: WsWebSocket, binaryType: 'arraybuffer' }));
    const echoes: ArrayBuffer[] = [];
    const twoEchoes = new Promise<void>((resolve) => {
      ws.message$.subscribe((event) => {
        echoes.push(event.data as ArrayBuffer);
        if (echoes.length === 2) resolve();
      });
    });
    expect(ws.send(bytes)).toBe(false);
    await firstValueFrom(ws.open$);
    expect(ws.send(bytes)).toBe(true);
    await twoEchoes;
    expect(server.received).toEqual([
      { bytes: 16 * MiB, binary: true, sha256: digest },
      { bytes: 16 * MiB, binary: true, sha256: digest },
    ]);
    for (const echo of echoes) {
      expect(echo.byteLength).toBe(16 * MiB);
      expect(sha256(new Uint8Array(echo))).toBe(digest);
    }
    const after = firstValueFrom(ws.message$);
    expect(ws.send('still usable')).toBe(true);
    expect((await after).data).toBe('still usable');
    expect(ws.state).toBe('open');
  });

  it('text of 16 MiB of UTF-8 (2-byte characters): arrives intact both ways', async () => {
    server = await startBigServer();
    const text = 'é'.repeat(8 * MiB);
    const digest = sha256(text);
    const ws = (client = new RxWebSocket(server.url, { WebSocketCtor: WsWebSocket }));
    await firstValueFrom(ws.open$);
    const echo = firstValueFrom(ws.message$);
    expect(ws.send(text)).toBe(true);
    const data = (await echo).data as string;
    expect(server.received).toEqual([{ bytes: 16 * MiB, binary: false, sha256: digest }]);
    expect(typeof data).toBe('string');
    expect(data.length).toBe(8 * MiB);
    expect(sha256(data)).toBe(digest);
    const closed = firstValueFrom(ws.close$);
    ws.close(1000, 'done');
    expect(await closed).toMatchObject({ code: 1000, reason: 'done', wasClean: true });
  });

  it('webSocket(): a 16 MiB JSON message is received and decoded', async () => {
    server = await startBigServer();
    const payload = { blob: 'x'.repeat(16 * MiB - 20) };
    const subject = webSocket<typeof payload>({ url: server.url, WebSocketCtor: WsWebSocket });
    const echoed = firstValueFrom(subject);
    subject.next(payload);
    const value = await echoed;
    expect(value.blob.length).toBe(payload.blob.length);
    expect(sha256(value.blob)).toBe(sha256(payload.blob));
    expect(server.received[0]!.bytes).toBe(JSON.stringify(payload).length);
    subject.unsubscribe();
  });
});
