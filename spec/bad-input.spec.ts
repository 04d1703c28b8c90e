/**
 * The table of bad input (issue 7): each case gets a `WebSocketError` with its stable `code` and
 * a message that says what to do (an example, or the valid values), and leaves the socket as
 * it was. One `it.each` table per kind of input. The messages are checked for their essentials
 * (the offending value, the option's name, the key instruction), not word for word. The last
 * block sends and receives a 16 MiB message through a real local `ws` server.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { config, filter, firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer, WebSocket as WsWebSocket, type RawData } from 'ws';
import { json } from '../src/codec.js';
import { DecodeError, isWebSocketError, type WebSocketErrorCode } from '../src/errors.js';
import type { SocketOptions } from '../src/options.js';
import { connectTimeout, heartbeat, reconnect } from '../src/resilience.js';
import { webSocket } from '../src/rxjs-compat.js';
import { FakeWebSocket } from '../src/testing/index.js';
import type { WsMessageEvent } from '../src/types.js';
import { RxWebSocket, WebSocket } from '../src/websocket.js';
import { thrown, thrownBy } from './helpers/thrown.js';
import { refusingCtor } from './helpers/refusing-ctor.js';
import { SOCKET_OPTION_NAMES } from './helpers/option-names.js';

/** The example every URL error points to. */
const EXAMPLE = 'ws://localhost:8080';

beforeEach(() => {
  FakeWebSocket.reset();
});

afterEach(() => {
  FakeWebSocket.reset();
  config.onUnhandledError = null;
});

/** A socket on a FakeWebSocket; `open` drives the server's accept. */
function fakeSocket<In = string, Out = string>(
  options: SocketOptions<In, Out> = {},
  open = true,
): { ws: RxWebSocket<In, Out>; fake: FakeWebSocket } {
  const ws = new RxWebSocket<In, Out>('ws://test/', { WebSocketCtor: FakeWebSocket, ...options });
  const fake = FakeWebSocket.last;
  if (open) fake.open();
  return { ws, fake };
}

/** An essential part of a message: a string it contains, or a pattern it matches. */
type Essential = string | RegExp;

/** Asserts the code, and that the message has every essential part. */
function expectError(error: unknown, code: WebSocketErrorCode, essentials: readonly Essential[]): void {
  expect(isWebSocketError(error), `not a WebSocketError: ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  const message = (error as Error).message;
  for (const part of essentials) {
    if (typeof part === 'string') expect(message).toContain(part);
    else expect(message).toMatch(part);
  }
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `text` as a value of its own in a message (not part of a longer number or word). */
const standalone = (text: string): RegExp => new RegExp(`(^|[^\\w.])${escape(text)}($|[^\\w.])`);

// ---- URLs ---------------------------------------------------------------------------------

describe('invalid URLs: ERR_WS_INVALID_URL, quoting the input, before any connection', () => {
  // What each kind of failure must say, besides the quoted input.
  const NOT_ABSOLUTE = [/absolute/, EXAMPLE];
  const SCHEME = [/scheme/, /\bws:/, /\bwss:/];
  const FRAGMENT = [/fragment/, /remove/];
  const notAbsolute = (url: string) => ({ url, why: NOT_ABSOLUTE });
  const scheme = (url: string) => ({ url, why: SCHEME });
  const fragment = (url: string) => ({ url, why: FRAGMENT });

  it.each([
    { kind: 'relative path', ...notAbsolute('/chat') },
    { kind: 'bare word', ...notAbsolute('chat') },
    { kind: 'scheme-relative', ...notAbsolute('//localhost:8080/chat') },
    { kind: 'host and port without a scheme', ...scheme('localhost:8080') },
    { kind: 'ftp:', ...scheme('ftp://example.test/') },
    { kind: 'file:', ...scheme('file:///tmp/socket') },
    { kind: 'javascript:', ...scheme('javascript:alert(1)') },
    { kind: 'data:', ...scheme('data:text/plain,hi') },
    { kind: 'a fragment', ...fragment('ws://example.test/chat#top') },
    { kind: 'an empty fragment', ...fragment('wss://example.test/#') },
    { kind: 'empty', ...notAbsolute('') },
    { kind: 'blank', ...notAbsolute('   ') },
    { kind: 'garbage', ...notAbsolute('%%%') },
    { kind: 'a space in the host', ...notAbsolute('ws://exa mple.test/') },
    { kind: 'an unclosed IPv6 host', ...notAbsolute('ws://[::1/') },
    { kind: 'a port out of range', ...notAbsolute('wss://example.test:99999/') },
    { kind: 'no host (ws://)', url: 'ws://', why: [EXAMPLE] },
    { kind: 'no host (port only)', url: 'ws://:8080/', why: [EXAMPLE] },
    { kind: 'no host (http:)', url: 'http:', why: [EXAMPLE] },
  ])('$kind: $url', ({ url, why }) => {
    const error = thrown(() => WebSocket(url, { WebSocketCtor: FakeWebSocket }));
    // A URL without "@" cannot hold credentials: it is quoted.
    expectError(error, 'ERR_WS_INVALID_URL', [JSON.stringify(url), ...why]);
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
    expectError(error, 'ERR_WS_INVALID_URL', [/\bstring\b/, /\bURL\b/, `got ${got}`]);
    // An object's contents are never shown.
    expect(error.message).not.toContain('example.test');
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  it('a URL object is checked like a string', () => {
    expectError(
      thrownBy(() => WebSocket(new URL('ftp://example.test/'), { WebSocketCtor: FakeWebSocket })),
      'ERR_WS_INVALID_URL',
      ['"ftp://example.test/"', ...SCHEME],
    );
  });

  it.each([
    { kind: 'another scheme', url: 'ftp://user:s3cret@example.test/', why: SCHEME },
    { kind: 'a fragment', url: 'ws://user:s3cret@example.test/#top', why: FRAGMENT },
    { kind: 'no scheme (user: parses as one)', url: 'user:s3cret@example.test', why: SCHEME },
    { kind: 'unparseable', url: 'ws://user:s3cret@exa mple.test/', why: NOT_ABSOLUTE },
    { kind: 'a port out of range', url: 'ws://user:s3cret@example.test:99999/', why: NOT_ABSOLUTE },
  ])('with "@" (credentials), the URL is not quoted at all, but the reason is given: $kind', ({ url, why }) => {
    const error = thrown(() => WebSocket(url, { WebSocketCtor: FakeWebSocket }));
    expectError(error, 'ERR_WS_INVALID_URL', why);
    for (const part of ['s3cret', 'user', 'example.test', 'exa mple']) expect(error.message).not.toContain(part);
    expect(error.cause).toBeUndefined();
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  it('webSocket() checks the URL when it is called, with the same errors', () => {
    expectError(
      thrownBy(() => webSocket('/chat')),
      'ERR_WS_INVALID_URL',
      ['"/chat"', ...NOT_ABSOLUTE],
    );
    expectError(
      thrownBy(() => webSocket({ url: 'ws://example.test/#x' })),
      'ERR_WS_INVALID_URL',
      ['"ws://example.test/#x"', ...FRAGMENT],
    );
    expectError(
      thrownBy(() => webSocket({ url: 'ws://user:s3cret@example.test/#x' })),
      'ERR_WS_INVALID_URL',
      FRAGMENT,
    );
    expect(thrown(() => webSocket({ url: 'ws://user:s3cret@example.test/#x' })).message).not.toMatch(
      /s3cret|user|example/,
    );
  });
});

// ---- Protocols ----------------------------------------------------------------------------

describe('invalid subprotocols: ERR_WS_INVALID_ARGUMENT, naming the token, before any connection', () => {
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
    // As the second argument, as options.protocols, and through webSocket()'s config.
    for (const make of [
      () => WebSocket('ws://test/', ['chat', protocol] as string[], { WebSocketCtor: FakeWebSocket }),
      () => WebSocket('ws://test/', { protocols: ['chat', protocol] as string[], WebSocketCtor: FakeWebSocket }),
      () => webSocket({ url: 'ws://test/', protocol: ['chat', protocol] as string[], WebSocketCtor: FakeWebSocket }),
    ]) {
      expectError(thrownBy(make), 'ERR_WS_INVALID_ARGUMENT', [/subprotocol/, standalone(shown), /token/]);
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
      expectError(thrownBy(make), 'ERR_WS_INVALID_ARGUMENT', [JSON.stringify(twice), /twice/, /once/]);
    }
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  it.each([
    { kind: 'a number', protocols: 42, got: '42' },
    { kind: 'an object', protocols: { chat: true }, got: 'a plain object' },
  ])('options.protocols that is $kind', ({ protocols, got }) => {
    const error = thrown(() =>
      WebSocket('ws://test/', { protocols: protocols as never, WebSocketCtor: FakeWebSocket }),
    );
    expectError(error, 'ERR_WS_INVALID_ARGUMENT', [/protocols/, /\bstring\b/, `got ${got}`]);
    expect(FakeWebSocket.instances).toHaveLength(0);
  });
});

// ---- close() --------------------------------------------------------------------------------

describe('invalid close codes and reasons: ERR_WS_INVALID_CLOSE, and the socket stays as it was', () => {
  // The valid values: 1000, or 3000 to 4999.
  const VALID = [/\b1000\b/, /\b3000\b/, /\b4999\b/];

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
      expectError(
        thrownBy(() => ws.close(code as number)),
        'ERR_WS_INVALID_CLOSE',
        [/close code/, standalone(shown), ...VALID],
      );
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
    // The size it has, the size allowed, and what to do.
    expectError(
      thrownBy(() => ws.close(1000, reason)),
      'ERR_WS_INVALID_CLOSE',
      [/\b124 bytes\b/, /\b123\b/, /shorten/, /UTF-8/],
    );
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
    expectError(
      thrownBy(() => ws.close(1000, 42 as never)),
      'ERR_WS_INVALID_CLOSE',
      [/reason/, /\bstring\b/, 'got 42'],
    );
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
  // What it can send, and how to send an object.
  const TYPES = [/\bstring\b/, /\bArrayBuffer\b/, /\bBlob\b/, /JSON\.stringify|serializer/];
  // How to send shared memory: copy it.
  const SHARED = [/SharedArrayBuffer/, /copy/, /slice\(\)/];
  const shared = new SharedArrayBuffer(8);

  it.each([
    { kind: 'null', data: null, essentials: ['cannot send null', ...TYPES] },
    { kind: 'undefined', data: undefined, essentials: ['cannot send undefined', ...TYPES] },
    { kind: 'a plain object', data: { text: 'hi' }, essentials: ['cannot send a plain object', ...TYPES] },
    { kind: 'a number', data: 42, essentials: ['cannot send 42', ...TYPES] },
    { kind: 'an array', data: [1, 2], essentials: ['cannot send an array', ...TYPES] },
    { kind: 'a Map', data: new Map(), essentials: ['cannot send a Map', ...TYPES] },
    { kind: 'a SharedArrayBuffer', data: shared, essentials: SHARED },
    { kind: 'a Uint8Array on a SharedArrayBuffer', data: new Uint8Array(shared), essentials: SHARED },
    { kind: 'a DataView on a SharedArrayBuffer', data: new DataView(shared), essentials: SHARED },
  ])('$kind', ({ data, essentials }) => {
    // While connecting (refused before the queue), then while open.
    const { ws, fake } = fakeSocket({}, false);
    for (const call of [() => ws.send(data as never), () => ws.next(data as never)]) {
      expectError(thrownBy(call), 'ERR_WS_INVALID_ARGUMENT', essentials);
    }
    expect(ws.queued).toBe(0);
    fake.open();
    expectError(
      thrownBy(() => ws.send(data as never)),
      'ERR_WS_INVALID_ARGUMENT',
      essentials,
    );
    expect(fake.sent).toEqual([]);
    expect(ws.send('still fine')).toBe(true);
    expect(fake.sent).toEqual(['still fine']);
  });
});

// ---- bind() ---------------------------------------------------------------------------------

describe('bind() to an unknown event or with a handler that is not a function: ERR_WS_INVALID_ARGUMENT', () => {
  // The four events, named.
  const EVENTS = ['"open"', '"error"', '"message"', '"close"'];

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
    for (const call of [
      () => ws.bind(evt as never, () => undefined),
      () => ws.bind(evt as never),
      () => ws.unbind(evt as never),
      () => ws.events(evt as never),
    ]) {
      expectError(thrownBy(call), 'ERR_WS_INVALID_ARGUMENT', [`unknown event ${shown}`, ...EVENTS]);
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
    const essentials = ['"open"', /\bfunction\b/, `got ${got}`];
    for (const call of [() => ws.bind('open', fn as never), () => (ws.bind('open') as (f: unknown) => unknown)(fn)]) {
      expectError(thrownBy(call), 'ERR_WS_INVALID_ARGUMENT', essentials);
    }
    if (fn !== undefined)
      expectError(
        thrownBy(() => ws.unbind('open', fn as never)),
        'ERR_WS_INVALID_ARGUMENT',
        essentials,
      );
    expect(ws.bindings()).toEqual({ open: [], error: [], message: [], close: [] });
  });
});

// ---- Options --------------------------------------------------------------------------------

describe('options of the wrong types: ERR_WS_INVALID_ARGUMENT naming the option and what it takes, before any connection', () => {
  const row = (label: string, options: Record<string, unknown>, essentials: Essential[]) => ({
    label,
    options,
    essentials,
  });
  const KNOWN = SOCKET_OPTION_NAMES;
  const WHOLE = /whole number/;
  const SCHEDULER = /RxJS scheduler/;
  // A feature option takes what its function makes, and says where that function is.
  const takes = (name: string) => [`options.${name}`, `${name}(`, 'brython-websocket/resilience'];
  it.each([
    row('an unknown option (a typo)', { reconect: true }, ['"reconect"', /unknown option/, ...KNOWN]),
    row('binaryType: 42', { binaryType: 42 }, ['options.binaryType', /\bstring\b/, "'arraybuffer'", 'got 42']),
    row('binaryType: null', { binaryType: null }, ['options.binaryType', /\bstring\b/, 'got null']),
    row('WebSocketCtor: a string', { WebSocketCtor: 'ws' }, ['options.WebSocketCtor', /\bfunction\b/, 'got "ws"']),
    row('WebSocketCtor: an object', { WebSocketCtor: {} }, [
      'options.WebSocketCtor',
      /\bfunction\b/,
      'got a plain object',
    ]),
    row('serializer: a string', { serializer: 'json' }, ['options.serializer', /\bfunction\b/, 'got "json"']),
    row('deserializer: true', { deserializer: true }, ['options.deserializer', /\bfunction\b/, 'got true']),
    row('maxQueue: -1', { maxQueue: -1 }, ['options.maxQueue', WHOLE, /Infinity/, 'got -1']),
    row('maxQueue: 1.5', { maxQueue: 1.5 }, ['options.maxQueue', WHOLE, 'got 1.5']),
    row('maxQueue: NaN', { maxQueue: Number.NaN }, ['options.maxQueue', WHOLE, 'got NaN']),
    row('maxQueue: "10"', { maxQueue: '10' }, ['options.maxQueue', WHOLE, 'got "10"']),
    row('scheduler: an object', { scheduler: {} }, ['options.scheduler', SCHEDULER, 'got a plain object']),
    row('scheduler: without now()', { scheduler: { schedule: () => undefined } }, [
      'options.scheduler',
      SCHEDULER,
      'got a plain object',
    ]),
    row('scheduler: a string', { scheduler: 'async' }, ['options.scheduler', SCHEDULER, 'got "async"']),
    row('scheduler: null', { scheduler: null }, ['options.scheduler', SCHEDULER, 'got null']),
    // The feature options take the value of their function from brython-websocket/resilience:
    // what they used to take (true, an object of options, a number) is refused, saying so.
    row('reconnect: true', { reconnect: true }, [...takes('reconnect'), 'got true']),
    row('reconnect: an object of options', { reconnect: { attempts: 5 } }, [
      ...takes('reconnect'),
      'got a plain object',
    ]),
    row('reconnect: a string', { reconnect: 'yes' }, [...takes('reconnect'), 'got "yes"']),
    row('reconnect: 1', { reconnect: 1 }, [...takes('reconnect'), 'got 1']),
    row('reconnect: null', { reconnect: null }, [...takes('reconnect'), 'got null']),
    row('reconnect: an array', { reconnect: [] }, [...takes('reconnect'), 'got an array']),
    row('reconnect: another feature', { reconnect: heartbeat({ interval: 10 }) }, takes('reconnect')),
    row('heartbeat: true', { heartbeat: true }, [...takes('heartbeat'), 'got true']),
    row('heartbeat: a number', { heartbeat: 15_000 }, [...takes('heartbeat'), 'got 15000']),
    row('heartbeat: an object of options', { heartbeat: { interval: 10 } }, [
      ...takes('heartbeat'),
      'got a plain object',
    ]),
    row('heartbeat: another feature', { heartbeat: reconnect() }, takes('heartbeat')),
    row('connectTimeout: a number', { connectTimeout: 5000 }, [...takes('connectTimeout'), 'got 5000']),
    row('connectTimeout: "5000"', { connectTimeout: '5000' }, [...takes('connectTimeout'), 'got "5000"']),
    row('connectTimeout: true', { connectTimeout: true }, [...takes('connectTimeout'), 'got true']),
    row('connectTimeout: another feature', { connectTimeout: reconnect() }, takes('connectTimeout')),
  ])('$label', ({ options, essentials }) => {
    const error = thrown(() => new RxWebSocket('ws://test/', { WebSocketCtor: FakeWebSocket, ...options }));
    expectError(error, 'ERR_WS_INVALID_ARGUMENT', essentials);
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  it.each([
    { label: 'options: a number', args: [42], essentials: [/options must be an object/, 'got 42'] },
    { label: 'options: null', args: [null], essentials: [/options must be an object/, 'got null'] },
    { label: 'options: true', args: [true], essentials: [/options must be an object/, 'got true'] },
    {
      label: 'an object before the options',
      args: [{}, {}],
      essentials: [/second argument/, /protocols/, 'got a plain object'],
    },
    {
      label: 'protocols given twice',
      args: ['chat', { protocols: 'chat' }],
      essentials: [/protocols/, /twice/, /once/],
    },
  ])('the arguments: $label', ({ args, essentials }) => {
    const error = thrown(() => (WebSocket as (...a: unknown[]) => unknown)('ws://test/', ...args));
    expectError(error, 'ERR_WS_INVALID_ARGUMENT', essentials);
    expect(FakeWebSocket.instances).toHaveLength(0);
  });
});

describe('options of the resilience features: ERR_WS_INVALID_ARGUMENT when reconnect(), heartbeat() or connectTimeout() is called', () => {
  const row = (label: string, make: () => unknown, essentials: Essential[]) => ({ label, make, essentials });
  const MS = /milliseconds/;
  it.each([
    row('connectTimeout(0)', () => connectTimeout(0), ['connectTimeout', MS, /above 0/, 'got 0']),
    row('connectTimeout(-5)', () => connectTimeout(-5), ['connectTimeout', MS, 'got -5']),
    row('connectTimeout(NaN)', () => connectTimeout(Number.NaN), ['connectTimeout', MS, 'got NaN']),
    row('connectTimeout("5000")', () => connectTimeout('5000' as never), ['connectTimeout', MS, 'got "5000"']),
    row('connectTimeout()', () => (connectTimeout as () => unknown)(), ['connectTimeout', MS, 'got undefined']),
    row('reconnect("yes")', () => reconnect('yes' as never), ['reconnect', /attempts/, 'got "yes"']),
    row('reconnect(1)', () => reconnect(1 as never), ['reconnect', 'got 1']),
    row('reconnect(null)', () => reconnect(null as never), ['reconnect', 'got null']),
    row('reconnect([])', () => reconnect([] as never), ['reconnect', 'got an array']),
    row('reconnect: an unknown key', () => reconnect({ retries: 3 } as never), [
      '"retries"',
      /unknown reconnect option/,
      ...['attempts', 'initialDelay', 'maxDelay', 'factor', 'jitter', 'resetAfter', 'shouldReconnect'],
    ]),
    row('reconnect attempts: -1', () => reconnect({ attempts: -1 }), [
      'attempts',
      /whole number/,
      /Infinity/,
      'got -1',
    ]),
    row('reconnect attempts: 1.5', () => reconnect({ attempts: 1.5 }), ['attempts', /whole number/, 'got 1.5']),
    row('reconnect attempts: "3"', () => reconnect({ attempts: '3' as never }), [
      'attempts',
      /whole number/,
      'got "3"',
    ]),
    row('reconnect initialDelay: -1', () => reconnect({ initialDelay: -1 }), ['initialDelay', /finite/, MS, 'got -1']),
    row('reconnect initialDelay: NaN', () => reconnect({ initialDelay: Number.NaN }), [
      'initialDelay',
      /finite/,
      'got NaN',
    ]),
    row('reconnect initialDelay: Infinity', () => reconnect({ initialDelay: Infinity }), [
      'initialDelay',
      /finite/,
      'got Infinity',
    ]),
    row('reconnect maxDelay: "1s"', () => reconnect({ maxDelay: '1s' as never }), ['maxDelay', /finite/, 'got "1s"']),
    row('reconnect resetAfter: -5', () => reconnect({ resetAfter: -5 }), ['resetAfter', /finite/, 'got -5']),
    row('reconnect factor: 0.5', () => reconnect({ factor: 0.5 }), ['factor', /at least 1/, 'got 0.5']),
    row('reconnect factor: NaN', () => reconnect({ factor: Number.NaN }), ['factor', /at least 1/, 'got NaN']),
    row('reconnect factor: Infinity', () => reconnect({ factor: Infinity }), ['factor', /at least 1/, 'got Infinity']),
    row('reconnect jitter: 2', () => reconnect({ jitter: 2 }), ['jitter', /0 to 1/, 'got 2']),
    row('reconnect jitter: -0.1', () => reconnect({ jitter: -0.1 }), ['jitter', /0 to 1/, 'got -0.1']),
    row('reconnect jitter: NaN', () => reconnect({ jitter: Number.NaN }), ['jitter', /0 to 1/, 'got NaN']),
    row('reconnect shouldReconnect: true', () => reconnect({ shouldReconnect: true as never }), [
      'shouldReconnect',
      /\bfunction\b/,
      'got true',
    ]),
    row('heartbeat(true)', () => heartbeat(true as never), ['heartbeat', /interval/, 'got true']),
    row('heartbeat(15000)', () => heartbeat(15_000 as never), ['heartbeat', /interval/, 'got 15000']),
    row('heartbeat(): no options', () => (heartbeat as () => unknown)(), ['heartbeat', /interval/, 'got undefined']),
    row('heartbeat: an unknown key', () => heartbeat({ interval: 10, period: 5 } as never), [
      '"period"',
      /unknown heartbeat option/,
      'interval',
      'message',
      'timeout',
    ]),
    row('heartbeat: no interval', () => heartbeat({} as never), ['interval', MS, /above 0/, 'got undefined']),
    row('heartbeat interval: 0', () => heartbeat({ interval: 0 }), ['interval', MS, /above 0/, 'got 0']),
    row('heartbeat interval: Infinity', () => heartbeat({ interval: Infinity }), ['interval', MS, 'got Infinity']),
    row('heartbeat interval: "15s"', () => heartbeat({ interval: '15s' as never }), ['interval', MS, 'got "15s"']),
    row('heartbeat timeout: 0', () => heartbeat({ interval: 10, timeout: 0 }), ['timeout', MS, /Infinity/, 'got 0']),
    row('heartbeat timeout: NaN', () => heartbeat({ interval: 10, timeout: Number.NaN }), ['timeout', MS, 'got NaN']),
    row('heartbeat message: a number', () => heartbeat({ interval: 10, message: 42 as never }), [
      'message',
      /\bstring\b/,
      /ArrayBuffer/,
      /\bfunction\b/,
      'got 42',
    ]),
    row('heartbeat message: an object', () => heartbeat({ interval: 10, message: { op: 'ping' } as never }), [
      'message',
      /\bstring\b/,
      'got a plain object',
    ]),
  ])('$label', ({ make, essentials }) => {
    expectError(thrownBy(make), 'ERR_WS_INVALID_ARGUMENT', essentials);
  });

  it('the valid limits are accepted: the refusals above are not of everything', () => {
    expect(connectTimeout(1).ms).toBe(1);
    expect(connectTimeout(Infinity).ms).toBe(Infinity);
    expect(
      reconnect({ attempts: 0, initialDelay: 0, maxDelay: 0, resetAfter: 0, factor: 1, jitter: 0 }).policy,
    ).toMatchObject({ attempts: 0, factor: 1, jitter: 0 });
    expect(reconnect({ attempts: Infinity, jitter: 1 }).policy).toMatchObject({ attempts: Infinity, jitter: 1 });
    expect(heartbeat({ interval: 1, timeout: Infinity, message: () => 'ping' }).policy).toMatchObject({
      interval: 1,
      timeout: Infinity,
    });
    expect(heartbeat({ interval: 1, message: new Uint8Array([1]) }).policy.timeout).toBe(2);
  });
});

describe("webSocket()'s config errors: ERR_WS_INVALID_ARGUMENT when webSocket() is called", () => {
  const CONFIG = /URL or a config object|config object/;
  const OBSERVER = [/observer/, /next/];
  it.each([
    { label: 'a number', config: 42, essentials: ['webSocket()', CONFIG, 'got 42'] },
    { label: 'null', config: null, essentials: ['webSocket()', CONFIG, 'got null'] },
    { label: 'an array', config: ['ws://test/'], essentials: ['webSocket()', CONFIG, 'got an array'] },
    { label: 'no url', config: {}, url: true, essentials: [/\bstring\b/, /\bURL\b/, 'got undefined'] },
    {
      label: 'an unknown key',
      config: { url: 'ws://test/', reconect: true },
      essentials: [
        '"reconect"',
        /unknown option/,
        ...[
          'url',
          'protocol',
          'serializer',
          'deserializer',
          'openObserver',
          'closeObserver',
          'closingObserver',
          'WebSocketCtor',
          'binaryType',
          'maxQueue',
        ],
      ],
    },
    {
      label: 'resultSelector',
      config: { url: 'ws://test/', resultSelector: (e: unknown) => e },
      essentials: ['resultSelector', /not supported/, 'config.deserializer'],
    },
    {
      label: 'serializer: a string',
      config: { url: 'ws://test/', serializer: 'json' },
      essentials: ['config.serializer', /\bfunction\b/, 'got "json"'],
    },
    {
      label: 'deserializer: an object',
      config: { url: 'ws://test/', deserializer: {} },
      essentials: ['config.deserializer', /\bfunction\b/, 'got a plain object'],
    },
    {
      label: 'openObserver: a function',
      config: { url: 'ws://test/', openObserver: () => undefined },
      essentials: ['config.openObserver', ...OBSERVER, 'got a function'],
    },
    {
      label: 'closeObserver: 42',
      config: { url: 'ws://test/', closeObserver: 42 },
      essentials: ['config.closeObserver', ...OBSERVER, 'got 42'],
    },
    {
      label: 'closingObserver: {}',
      config: { url: 'ws://test/', closingObserver: {} },
      essentials: ['config.closingObserver', ...OBSERVER, 'got a plain object'],
    },
    {
      label: 'binaryType: 42',
      config: { url: 'ws://test/', binaryType: 42 },
      essentials: ['binaryType', /\bstring\b/, 'got 42'],
    },
    {
      label: 'WebSocketCtor: a string',
      config: { url: 'ws://test/', WebSocketCtor: 'ws' },
      essentials: ['WebSocketCtor', /\bfunction\b/, 'got "ws"'],
    },
    {
      label: 'maxQueue: -1',
      config: { url: 'ws://test/', maxQueue: -1 },
      essentials: ['maxQueue', /whole number/, 'got -1'],
    },
  ])('$label', ({ config: cfg, url, essentials }) => {
    expectError(
      thrownBy(() => webSocket(cfg as never)),
      url === true ? 'ERR_WS_INVALID_URL' : 'ERR_WS_INVALID_ARGUMENT',
      essentials,
    );
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
    const { ws, fake } = fakeSocket({ serializer }, false);
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
    expectError(
      thrownBy(() => ws.next({ n: 1 })),
      'ERR_WS_INVALID_ARGUMENT',
      ['cannot send a plain object', /\bstring\b/, /JSON\.stringify/],
    );
    expect(fake.sent).toEqual([]);
    expect(ws.state).toBe('open');
  });

  it('webSocket(): a throwing serializer is thrown by next() as itself, and nothing is buffered', () => {
    const failure = new SerializeError('no');
    const subject = webSocket<string>({
      url: 'ws://test/',
      WebSocketCtor: FakeWebSocket,
      serializer: () => {
        throw failure;
      },
    });
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
    const { ws, fake } = fakeSocket<number>({ deserializer });
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
    // The cause's message, that the socket stays open, and where the raw data is.
    expectError(error, 'ERR_WS_DECODE', ['(not a number)', /skipped/, /stays open/, 'error.data']);
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
    expectError(decodeErrors[1], 'ERR_WS_DECODE', ['(a binary message is not JSON text)', /skipped/]);
  });
});

// ---- 16 MiB ---------------------------------------------------------------------------------

const MiB = 1024 * 1024;

interface BigServer {
  readonly url: string;
  /** Each message the server received: its size in bytes, whether binary, and its SHA-256. */
  readonly received: { bytes: number; binary: boolean; sha256: string }[];
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

describe('a WebSocket constructor that throws: the error says what happened', () => {
  /** A WebSocketCtor that throws `value` when called. */
  const throwing = (value: unknown) => refusingCtor(() => value);

  it('a SyntaxError (the DOM\'s and ws\'s "invalid URL"): ERR_WS_INVALID_URL, the URL refused, the native message, the cause', () => {
    const native = new SyntaxError('Invalid URL: ws://x y');
    const error = thrownBy(() => WebSocket('ws://test/', { WebSocketCtor: throwing(native) }));
    expectError(error, 'ERR_WS_INVALID_URL', ['the WebSocket constructor threw SyntaxError: Invalid URL: ws://x y']);
    expect((error as Error).cause).toBe(native);
  });

  it('a SecurityError (a blocked port, mixed content, a CSP): its name and the native message', () => {
    const native = new DOMException('The operation is insecure.', 'SecurityError');
    const error = thrownBy(() => WebSocket('ws://test/', { WebSocketCtor: throwing(native) }));
    expectError(error, 'ERR_WS_INVALID_ARGUMENT', [
      'the WebSocket constructor threw SecurityError: The operation is insecure.',
    ]);
    expect((error as Error).cause).toBe(native);
  });

  it.each([
    {
      kind: 'a TypeError',
      value: new TypeError('this.onopen is not a function'),
      said: 'TypeError',
      shown: 'this.onopen is not a function',
    },
    { kind: 'an Error', value: new Error('out of file descriptors'), said: 'Error', shown: 'out of file descriptors' },
    { kind: 'a string', value: 'no', said: 'a non-Error', shown: '"no"' },
    { kind: 'a plain object', value: { reason: 'no' }, said: 'a non-Error', shown: 'a plain object' },
  ])(
    '$kind, for another reason: says the constructor threw it (its name and message), not that the URL was refused',
    ({ value, said, shown }) => {
      const error = thrownBy(() => WebSocket('ws://test/', { WebSocketCtor: throwing(value) }));
      expectError(error, 'ERR_WS_INVALID_ARGUMENT', [`the WebSocket constructor threw ${said}: ${shown}`]);
      expect((error as Error).cause).toBe(value);
    },
  );

  it('with credentials in the URL: the name of what was thrown, never its message, and no cause', () => {
    const error = thrownBy(() =>
      WebSocket('ws://user:secret@test/', { WebSocketCtor: throwing(new TypeError('ws://user:secret@test/ failed')) }),
    );
    expectError(error, 'ERR_WS_INVALID_ARGUMENT', [
      'the WebSocket constructor threw TypeError: (message hidden: the URL may hold credentials)',
    ]);
    expect((error as Error).message).not.toContain('secret');
    expect((error as Error).cause).toBeUndefined();
  });

  it('on a reconnect: the same error on error$, and the attempt counts as failed', () => {
    let made = 0;
    const Ctor = class extends FakeWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        if (made++ > 0) throw new RangeError('too many sockets');
        super(url, protocols);
      }
    };
    const ws = new RxWebSocket('ws://test/', {
      WebSocketCtor: Ctor,
      reconnect: reconnect({ attempts: 1, initialDelay: 0, jitter: 0 }),
    });
    const errors: unknown[] = [];
    ws.error$.subscribe((e) => errors.push(e));
    FakeWebSocket.last.open();
    FakeWebSocket.last.fail();
    return new Promise<void>((resolve) => {
      ws.close$.subscribe({
        complete: () => {
          expect(
            errors.some(
              (e) =>
                isWebSocketError(e) &&
                e.message.includes('the WebSocket constructor threw RangeError: too many sockets'),
            ),
          ).toBe(true);
          resolve();
        },
      });
    });
  });
});
