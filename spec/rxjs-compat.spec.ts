/**
 * `webSocket()` / `WebSocketSubject`, the drop-in for `rxjs/webSocket`, on the package's own
 * synchronous `FakeWebSocket`: every step below happens before the call that drives it returns.
 *
 * The cases follow RxJS 7.8's own webSocket spec (basic behaviour, the config object,
 * multiplex, the constructor), written anew. Where this package fixes an RxJS bug, the same
 * test body runs against `rxjs/webSocket` too, and the test asserts what RxJS 7.8.2 does
 * there, so each fix is shown to be one.
 */
import * as rxjs from 'rxjs';
import { config, map, Observable, repeat, retry, Subject, take, takeWhile } from 'rxjs';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { CloseError, WebSocketError } from '../src/errors.js';
import {
  ObjectUnsubscribedError,
  webSocket,
  WebSocketSubject,
  type WebSocketSubjectConfig,
} from '../src/rxjs-compat.js';
import { FakeWebSocket } from '../src/testing/fake-websocket.js';
import type { SendData, WsCloseEvent, WsEvent, WsMessageEvent } from '../src/types.js';
import { RXJS_MAJOR } from './helpers/rxjs-major.js';
import { thrownBy } from './helpers/thrown.js';
import { record, type Recording } from './shared/record.js';
import { subjectOf, type Impl, type SubjectLike } from './shared/subject-like.js';
import { expectWsError } from './shared/ws-error.js';
import { textOf } from './helpers/text.js';
import { refusingCtor } from './helpers/refusing-ctor.js';

// ---- Harness ------------------------------------------------------------------------------

const URL_ = 'ws://test/';

beforeEach(() => {
  FakeWebSocket.reset();
});

afterEach(() => {
  config.onUnhandledError = null;
  vi.restoreAllMocks();
});

type Options<T> = Omit<WebSocketSubjectConfig<T>, 'url' | 'WebSocketCtor'>;

/** A subject of either implementation on `FakeWebSocket`. */
function make<T = unknown>(impl: Impl, options: Options<T> = {}): SubjectLike<T> {
  return subjectOf<T>(impl, { url: URL_, WebSocketCtor: FakeWebSocket, ...options });
}

/** Ours, on `FakeWebSocket`. */
function subject<In = unknown, Out = In>(options: Omit<WebSocketSubjectConfig<In, Out>, 'url' | 'WebSocketCtor'> = {}) {
  return webSocket<In, Out>({ url: URL_, WebSocketCtor: FakeWebSocket, ...options });
}

const last = (): FakeWebSocket => FakeWebSocket.last;
const json = (value: unknown): string => JSON.stringify(value);

// ---- Creating it --------------------------------------------------------------------------

describe('webSocket(url) and webSocket(config)', () => {
  it('makes no socket until the first subscribe, then one on the URL', () => {
    const s = webSocket({ url: URL_, WebSocketCtor: FakeWebSocket });
    expect(FakeWebSocket.instances).toHaveLength(0);
    s.subscribe();
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(last().url).toBe('ws://test/');
    s.unsubscribe();
  });

  it('takes a URL string, a URL object, or the config; `new WebSocketSubject()` is the same', () => {
    const global = vi.fn(function (this: unknown, url: string) {
      return new FakeWebSocket(url);
    });
    vi.stubGlobal('WebSocket', global);
    try {
      webSocket('ws://a.test/x').subscribe();
      webSocket(new URL('ws://b.test/y')).subscribe();
      new WebSocketSubject('https://c.test/z').subscribe();
    } finally {
      vi.unstubAllGlobals();
    }
    expect(FakeWebSocket.instances.map((f) => f.url)).toEqual(['ws://a.test/x', 'ws://b.test/y', 'wss://c.test/z']);
    expect(webSocket({ url: URL_ })).toBeInstanceOf(WebSocketSubject);
  });

  it('sends and receives JSON by default (ping, pong), the URL given as a string or in the config', () => {
    for (const s of [
      webSocket<string>({ url: URL_, WebSocketCtor: FakeWebSocket }),
      webSocket<string>({ url: 'ws://test', WebSocketCtor: FakeWebSocket }),
    ]) {
      s.next('ping');
      const rec = record(s);
      const fake = last();
      expect(fake.sent).toEqual([]);
      fake.open();
      expect(fake.sent).toEqual(['"ping"']);
      fake.receive(json('pong'));
      expect(rec.values).toEqual(['pong']);
      s.unsubscribe();
    }
  });

  it('parses objects with the default deserializer', () => {
    const s = subject<{ mork: string }>();
    const rec = record(s);
    last().open();
    last().receive(json({ mork: 'shazbot!' }));
    expect(rec.values).toEqual([{ mork: 'shazbot!' }]);
  });

  it('offers the protocol: a string, an array, and none for an empty string (as RxJS)', () => {
    subject({ protocol: 'someprotocol' }).subscribe();
    subject({ protocol: ['v2', 'v1'] }).subscribe();
    subject({ protocol: '' }).subscribe();
    expect(FakeWebSocket.instances.map((f) => f.protocols)).toEqual([['someprotocol'], ['v2', 'v1'], []]);
  });

  it('sets binaryType on each new socket', () => {
    const s = subject({ binaryType: 'arraybuffer', deserializer: (e) => e.data });
    const rec = record(s);
    expect(last().binaryType).toBe('arraybuffer');
    last().open();
    last().receive(new Uint8Array([1, 2]));
    expect(rec.values).toHaveLength(1);
    expect(new Uint8Array(rec.values[0] as ArrayBuffer)).toEqual(new Uint8Array([1, 2]));
  });

  it('uses a custom serializer and deserializer', () => {
    const s = subject<string, number>({ serializer: (n) => `n=${n}`, deserializer: (e) => `${textOf(e.data)}!` });
    const rec = record(s);
    const fake = last();
    fake.open();
    s.next(1);
    s.next(2);
    for (const text of ['ahoy', 'yarr', 'shove off']) fake.receive(text);
    expect(fake.sent).toEqual(['n=1', 'n=2']);
    expect(rec.values).toEqual(['ahoy!', 'yarr!', 'shove off!']);
  });

  it('passes the deserializer the native message event', () => {
    const events: WsMessageEvent[] = [];
    const s = subject({
      deserializer: (e) => {
        events.push(e);
        return e.data;
      },
    });
    s.subscribe();
    last().open();
    last().receive('x');
    expect(events).toEqual([{ type: 'message', target: last(), data: 'x' }]);
  });

  it('errors the subscriber (not the caller) when the WebSocketCtor throws: a WebSocketError with the original as cause', () => {
    const refused = new Error('connection refused');
    const s = webSocket({
      url: URL_,
      WebSocketCtor: refusingCtor(() => refused),
    });
    const rec = record(s);
    expect(rec.values).toEqual([]);
    expect(rec.errors).toHaveLength(1);
    expect(rec.errors[0]).toBeInstanceOf(WebSocketError);
    expect((rec.errors[0] as WebSocketError).code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect((rec.errors[0] as WebSocketError).cause).toBe(refused);
    expect(s.observed).toBe(false);
  });

  it('checks the config at once, with errors that say what to do', () => {
    expectWsError(() => webSocket('localhost:8080'), 'ERR_WS_INVALID_URL');
    expectWsError(() => webSocket({} as never), 'ERR_WS_INVALID_URL');
    expectWsError(() => webSocket(42 as never), 'ERR_WS_INVALID_ARGUMENT');
    expectWsError(() => webSocket(new Observable() as never), 'ERR_WS_INVALID_ARGUMENT');
    expect(
      expectWsError(() => webSocket({ url: URL_, protocols: 'x' } as never), 'ERR_WS_INVALID_ARGUMENT').message,
    ).toContain('unknown option "protocols"');
    expectWsError(() => webSocket({ url: URL_, serializer: 'json' } as never), 'ERR_WS_INVALID_ARGUMENT');
    expectWsError(() => webSocket({ url: URL_, openObserver: () => undefined } as never), 'ERR_WS_INVALID_ARGUMENT');
    expectWsError(() => webSocket({ url: URL_, closeObserver: {} } as never), 'ERR_WS_INVALID_ARGUMENT');
    expectWsError(() => webSocket({ url: URL_, protocol: 'two words' }), 'ERR_WS_INVALID_ARGUMENT');
    expectWsError(() => webSocket({ url: URL_, binaryType: 1 } as never), 'ERR_WS_INVALID_ARGUMENT');
    expectWsError(() => webSocket({ url: URL_, maxQueue: -1 }), 'ERR_WS_INVALID_ARGUMENT');
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  it('refuses resultSelector, which RxJS 7 accepted and ignored, pointing to deserializer', () => {
    const error = expectWsError(
      () => webSocket({ url: URL_, resultSelector: (e: WsMessageEvent) => e.data } as never),
      'ERR_WS_INVALID_ARGUMENT',
    );
    expect(error.message).toContain('config.deserializer');
  });

  it('types webSocket<In, Out>: what subscribers get apart from what next() takes (RxJS #5381)', () => {
    const s = webSocket<{ price: number }, { subscribe: string }>({ url: URL_, WebSocketCtor: FakeWebSocket });
    expectTypeOf(s).toEqualTypeOf<WebSocketSubject<{ price: number }, { subscribe: string }>>();
    expectTypeOf(s).toHaveProperty('next').parameter(0).toEqualTypeOf<{ subscribe: string }>();
    expectTypeOf(s).toExtend<Observable<{ price: number }>>();
    expectTypeOf(s.pipe(map((tick) => tick.price))).toEqualTypeOf<Observable<number>>();
    const one = webSocket<string>(URL_);
    expectTypeOf(one).toEqualTypeOf<WebSocketSubject<string, string>>();
  });

  it('accepts RxJS-era config code typed with DOM events and a ws-style constructor', () => {
    // These compile: the observers and the deserializer are method signatures.
    const opened: unknown[] = [];
    const config: WebSocketSubjectConfig<string> = {
      url: URL_,
      WebSocketCtor: FakeWebSocket,
      openObserver: { next: (event: Event) => opened.push(event.type) },
      deserializer: (event: MessageEvent) => String(event.data),
      closingObserver: new Subject<void>(),
    };
    const rec = record(webSocket(config));
    last().open();
    last().receive('plain');
    expect(opened).toEqual(['open']);
    expect(rec.values).toEqual(['plain']);
  });
});

// ---- Connecting and sharing ---------------------------------------------------------------

describe('connecting and sharing one socket', () => {
  it('lets operators be chained, and pipe() returns a plain Observable sharing the socket', () => {
    const s = subject<string>();
    const piped = s.pipe(
      map((x) => `${x}?`),
      map((x) => `${x}!`),
    );
    expect(piped).not.toBeInstanceOf(WebSocketSubject);
    const rec = record(piped);
    last().open();
    last().receive(json('pong'));
    expect(rec.values).toEqual(['pong?!']);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('receives many messages in order', () => {
    const expected = ['what', 'do', 'you', 'do', 'with', 'a', 'drunken', 'sailor?'];
    const s = subject<string>();
    const rec = record(s);
    last().open();
    for (const word of expected) last().receive(json(word));
    expect(rec.values).toEqual(expected);
  });

  it('buffers next() before any subscribe and sends it in order on open', () => {
    const words = ['make', 'him', 'walk', 'the', 'plank'];
    const s = subject<string>();
    for (const word of words) s.next(word);
    expect(FakeWebSocket.instances).toHaveLength(0);
    s.subscribe();
    expect(last().sent).toEqual([]);
    last().open();
    expect(last().sent).toEqual(words.map(json));
  });

  it('sends at once when already open', () => {
    const s = subject<string>();
    s.subscribe();
    last().open();
    s.next('avast!');
    expect(last().sent).toEqual(['"avast!"']);
    s.next('ye swab!');
    expect(last().sent).toEqual(['"avast!"', '"ye swab!"']);
  });

  it('runs openObserver with the open event before the buffer goes out; its own next() queues behind the buffer', () => {
    const seen: unknown[] = [];
    const s = subject<string>({
      openObserver: {
        next: (event) => {
          seen.push(event.type, [...last().sent]);
          s.next('from openObserver');
        },
      },
    });
    s.next('a');
    s.subscribe();
    s.next('b');
    last().open();
    expect(seen).toEqual(['open', []]);
    expect(last().sent).toEqual(['"a"', '"b"', '"from openObserver"']);
  });

  it('shares one socket between all subscribers, each getting every message', () => {
    const s = subject<number>();
    const a = record(s);
    const b = record(s);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(s.observed).toBe(true);
    last().open();
    last().receive('1');
    const c = record(s);
    last().receive('2');
    expect([a.values, b.values, c.values]).toEqual([[1, 2], [1, 2], [2]]);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('closes the socket with 1000 only when the last subscriber leaves', () => {
    const s = subject();
    const a = record(s);
    const b = record(s);
    last().open();
    a.subscription.unsubscribe();
    expect(last().readyState).toBe(FakeWebSocket.OPEN);
    expect(s.observed).toBe(true);
    b.subscription.unsubscribe();
    expect(last().closeRequest).toEqual({ code: 1000, reason: '' });
    expect(last().readyState).toBe(FakeWebSocket.CLOSED);
    expect(s.observed).toBe(false);
  });

  it('closes a connecting socket when the last subscriber leaves before open (both ways of leaving)', () => {
    const s = subject();
    s.subscribe().unsubscribe();
    expect(last().closeRequest).toEqual({ code: 1000, reason: '' });
    expect(last().readyState).toBe(FakeWebSocket.CLOSED);
    const t = subject();
    t.subscribe();
    t.unsubscribe();
    expect(last().closeRequest).toEqual({ code: 1000, reason: '' });
  });

  it('opens a new socket for the next subscriber, even while the old one is still closing, and leaves the new one alone', () => {
    FakeWebSocket.manualCloseHandshake = true;
    const s = subject<string>();
    const first = s.subscribe();
    const socket1 = last();
    socket1.open();
    first.unsubscribe();
    expect(socket1.readyState).toBe(FakeWebSocket.CLOSING);
    const rec = record(s);
    const socket2 = last();
    expect(socket2).not.toBe(socket1);
    socket2.open();
    socket1.serverClose(1000);
    expect(socket2.readyState).toBe(FakeWebSocket.OPEN);
    expect(socket2.closeRequest).toBeUndefined();
    socket2.receive(json('still here'));
    expect(rec.values).toEqual(['still here']);
    expect(rec.completed).toBe(false);
    rec.subscription.unsubscribe();
    expect(socket2.closeRequest).toEqual({ code: 1000, reason: '' });
  });

  it('opens a new socket on resubscribe after complete() and after error(), sending what was buffered in between', () => {
    const s = subject<string>();
    s.subscribe();
    const socket1 = last();
    socket1.open();
    s.complete();
    s.next('a mariner yer not. yarrr.');
    s.subscribe();
    const socket2 = last();
    socket2.open();
    expect(socket2).not.toBe(socket1);
    expect(socket2.sent).toEqual([json('a mariner yer not. yarrr.')]);
    s.error({ code: 4337 });
    s.next('yo-ho! yo-ho!');
    s.subscribe();
    const socket3 = last();
    socket3.open();
    expect(socket3.sent).toEqual([json('yo-ho! yo-ho!')]);
    expect(FakeWebSocket.instances).toHaveLength(3);
  });

  it('gives a new socket to a subscriber that subscribes again from inside its complete or error callback', () => {
    for (const end of ['serverClose', 'fail'] as const) {
      FakeWebSocket.reset();
      const s = subject<string>();
      let again: Recording<string> | undefined;
      s.subscribe({ complete: () => (again = record(s)), error: () => (again = record(s)) });
      last().open();
      last()[end]();
      expect(FakeWebSocket.instances).toHaveLength(2);
      last().open();
      last().receive(json(end));
      expect(again?.log).toEqual([['next', end]]);
    }
  });

  it('calls openObserver again for each new socket: by hand, through retry and through repeat (RxJS #6770)', () => {
    const opens: FakeWebSocket[] = [];
    const s = subject<string>({ openObserver: { next: () => opens.push(last()) } });
    // by hand
    s.subscribe().unsubscribe();
    const byHand = record(s);
    last().open();
    byHand.subscription.unsubscribe();
    // retry after an unclean close
    const retried = record(s.pipe(retry(1)));
    last().open();
    last().fail();
    last().open();
    last().receive(json('after retry'));
    retried.subscription.unsubscribe();
    // repeat after a clean close
    const repeated = record(s.pipe(repeat(2)));
    last().open();
    last().serverClose(1000);
    last().open();
    last().receive(json('after repeat'));
    expect(retried.values).toEqual(['after retry']);
    expect(repeated.values).toEqual(['after repeat']);
    expect(opens).toEqual(FakeWebSocket.instances.slice(1));
    expect(FakeWebSocket.instances).toHaveLength(6);
  });

  it('FIX #6770: a late error from the old socket does not kill the new one (RxJS: openObserver skipped, the new socket closed at open)', () => {
    const run = (impl: Impl) => {
      FakeWebSocket.reset();
      FakeWebSocket.manualCloseHandshake = true;
      const opens: string[] = [];
      const s = make<string>(impl, { openObserver: { next: () => opens.push('open') } });
      const first = s.subscribe();
      const socket1 = last();
      socket1.open();
      first.unsubscribe(); // socket1 is CLOSING
      const rec = record(s);
      const socket2 = last();
      socket1.fail(); // its closing handshake fails: error, then close 1006
      s.next('hello');
      socket2.open();
      return { opens, sent: socket2.sent, closeRequest: socket2.closeRequest, log: rec.log };
    };
    expect(run('ours')).toEqual({ opens: ['open', 'open'], sent: ['"hello"'], closeRequest: undefined, log: [] });
    // RxJS: the old socket's error event reset the subject's state, so the new socket is closed
    // as it opens, openObserver is not called and 'hello' is never sent.
    expect(run('rxjs')).toEqual({
      opens: ['open'],
      sent: [],
      closeRequest: { code: undefined, reason: undefined },
      log: [],
    });
  });
});

// ---- Closing ------------------------------------------------------------------------------

describe('closing', () => {
  it('completes on a clean close from the server, after closeObserver got the close event', () => {
    const log: unknown[][] = [];
    const s = subject({ closeObserver: { next: (e) => log.push(['closeObserver', e.code, e.reason, e.wasClean]) } });
    record(s, log);
    last().open();
    last().serverClose(4001, 'bye');
    expect(log).toEqual([['closeObserver', 4001, 'bye', true], ['complete']]);
  });

  it('FIX: an unclean close errors with a CloseError carrying the code (RxJS: the bare close event)', () => {
    const run = (impl: Impl) => {
      const rec = record(make(impl));
      last().open();
      last().serverClose(4002, 'gone', false);
      return rec.errors;
    };
    const [ours] = run('ours');
    expect(ours).toBeInstanceOf(CloseError);
    expect(ours).toMatchObject({ code: 'ERR_WS_CLOSED', closeCode: 4002, reason: 'gone', wasClean: false });
    const [theirs] = run('rxjs');
    expect(theirs).not.toBeInstanceOf(Error);
    expect(theirs).toEqual({ type: 'close', target: last(), code: 4002, reason: 'gone', wasClean: false });
  });

  it('FIX: a socket error then the close reaches subscribers as one CloseError with code 1006 (RxJS: the bare error event)', () => {
    const run = (impl: Impl) => {
      const closes: number[] = [];
      const rec = record(make(impl, { closeObserver: { next: (e) => closes.push(e.code) } }));
      last().open();
      last().fail();
      return { errors: rec.errors, closes };
    };
    const ours = run('ours');
    expect(ours.closes).toEqual([1006]);
    expect(ours.errors).toHaveLength(1);
    expect(ours.errors[0]).toBeInstanceOf(CloseError);
    expect(ours.errors[0]).toMatchObject({ closeCode: 1006, reason: '', wasClean: false });
    const theirs = run('rxjs');
    expect(theirs.closes).toEqual([1006]);
    expect(theirs.errors).toEqual([{ type: 'error', target: last() }]);
  });

  it('errors with a CloseError when the connection fails before it opened', () => {
    const s = subject();
    const rec = record(s);
    last().fail();
    expect(rec.errors[0]).toMatchObject({ closeCode: 1006, wasClean: false });
    expect(s.observed).toBe(false);
  });

  it('complete() closes with 1000; the subscribers complete; closingObserver is told first', () => {
    const log: unknown[][] = [];
    const s = subject({ closingObserver: { next: (value) => log.push(['closing', value, last().readyState]) } });
    record(s, log);
    const fake = last();
    fake.open();
    expect(log).toEqual([]);
    s.complete();
    expect(fake.closeRequest).toEqual({ code: 1000, reason: '' });
    expect(fake.readyState).toBe(FakeWebSocket.CLOSED);
    expect(log).toEqual([['closing', undefined, FakeWebSocket.OPEN], ['complete']]);
  });

  it('error({ code, reason }) closes with that code and reason; the subscribers complete', () => {
    const s = subject();
    const rec = record(s);
    last().open();
    s.error({ code: 4337, reason: 'Too bad, so sad :(' });
    expect(last().closeRequest).toEqual({ code: 4337, reason: 'Too bad, so sad :(' });
    expect(rec.log).toEqual([['complete']]);
  });

  it('error() without a valid close code closes with 1000 and completes (RxJS: errors the subscribers with its own TypeError)', () => {
    for (const error of [new Error('boom'), { code: 1337 }, { code: 4000, reason: 'x'.repeat(124) }, 'text', null]) {
      FakeWebSocket.reset();
      const s = subject();
      const rec = record(s);
      last().open();
      s.error(error);
      expect(last().closeRequest).toEqual({ code: 1000, reason: '' });
      expect(rec.log).toEqual([['complete']]);
    }
    FakeWebSocket.reset();
    const theirs = make('rxjs');
    const rec = record(theirs);
    last().open();
    theirs.error(new Error('boom'));
    expect(rec.errors).toHaveLength(1);
    expect(rec.errors[0]).toBeInstanceOf(TypeError);
    expect((rec.errors[0] as Error).message).toMatch(/^WebSocketSubject\.error must be called with an object/);
    expect(last().closeRequest).toEqual({ code: undefined, reason: undefined });
  });

  it('the first close asked for while connecting wins: a later complete() or error() changes nothing, closingObserver is told once', () => {
    let closing = 0;
    const s = subject({ closingObserver: { next: () => closing++ } });
    const rec = record(s);
    s.error({ code: 4001, reason: 'first' });
    s.complete();
    s.error({ code: 4002, reason: 'second' });
    const fake = last();
    fake.open();
    expect(fake.closeRequest).toEqual({ code: 4001, reason: 'first' });
    expect(closing).toBe(1);
    expect(rec.log).toEqual([['complete']]);
  });

  it('complete() while connecting waits for the open, sends what was buffered, then closes (as RxJS, but with 1000)', () => {
    const run = (impl: Impl) => {
      const closing: number[] = [];
      const s = make<string>(impl, { closingObserver: { next: () => closing.push(last().readyState) } });
      const rec = record(s);
      s.next('last words');
      s.complete();
      const fake = last();
      const before = fake.readyState;
      fake.open();
      return { before, closing, sent: fake.sent, closeRequest: fake.closeRequest, log: rec.log };
    };
    expect(run('ours')).toEqual({
      before: FakeWebSocket.CONNECTING,
      closing: [FakeWebSocket.CONNECTING], // told when complete() is called
      sent: ['"last words"'],
      closeRequest: { code: 1000, reason: '' },
      log: [['complete']],
    });
    expect(run('rxjs')).toEqual({
      before: FakeWebSocket.CONNECTING,
      closing: [FakeWebSocket.OPEN], // told at the open
      sent: ['"last words"'],
      closeRequest: { code: undefined, reason: undefined },
      log: [['complete']],
    });
  });

  it('error({ code, reason }) while connecting also waits for the open, then closes with that code; a teardown meanwhile keeps it', () => {
    const s = subject<string>();
    s.subscribe();
    s.next('buffered');
    s.error({ code: 4005, reason: 'later' });
    expect(last().readyState).toBe(FakeWebSocket.CONNECTING);
    last().open();
    expect(last().sent).toEqual(['"buffered"']);
    expect(last().closeRequest).toEqual({ code: 4005, reason: 'later' });
    const t = subject<string>();
    const sub = t.subscribe();
    t.error({ code: 4006 });
    sub.unsubscribe(); // the last subscriber leaves before the open: close now, with the code asked for
    expect(last().closeRequest).toEqual({ code: 4006, reason: '' });
  });

  it('complete() and error() with no socket do nothing: the subject stays usable', () => {
    const s = subject<string>();
    s.next('kept');
    s.complete();
    s.error({ code: 4000 });
    expect(FakeWebSocket.instances).toHaveLength(0);
    const rec = record(s);
    last().open();
    expect(last().sent).toEqual(['"kept"']);
    expect(last().readyState).toBe(FakeWebSocket.OPEN);
    expect(rec.completed).toBe(false);
  });

  it('calls closeObserver for every socket, with its close event, before the subscribers hear of it', () => {
    const closes: WsCloseEvent[] = [];
    const s = subject({ closeObserver: { next: (e) => closes.push(e) } });
    record(s);
    const socket1 = last();
    socket1.open();
    socket1.serverClose(1000);
    const rec = record(s);
    const socket2 = last();
    socket2.open();
    socket2.serverClose(4003, 'x', false);
    expect(closes).toEqual([
      { type: 'close', target: socket1, code: 1000, reason: '', wasClean: true },
      { type: 'close', target: socket2, code: 4003, reason: 'x', wasClean: false },
    ]);
    expect(rec.errors[0]).toMatchObject({ closeCode: 4003 });
  });

  it('calls closingObserver for every close this side starts (RxJS: only complete() and error(), though its docs say unsubscription)', () => {
    const run = (impl: Impl) => {
      let calls = 0;
      const s = make(impl, { closingObserver: { next: () => calls++ } });
      const counts: number[] = [];
      s.subscribe();
      last().open();
      s.complete();
      counts.push(calls);
      s.subscribe();
      last().open();
      s.error({ code: 4337 });
      counts.push(calls);
      const sub = s.subscribe();
      last().open();
      sub.unsubscribe();
      counts.push(calls);
      return counts;
    };
    expect(run('ours')).toEqual([1, 2, 3]);
    expect(run('rxjs')).toEqual([1, 2, 2]);
  });
});

// ---- The fixed bugs -----------------------------------------------------------------------

describe('the RxJS bugs it fixes, each shown on rxjs/webSocket too', () => {
  it('#7353: the last subscriber leaving closes with 1000 (RxJS calls close() without a code: the server sees 1005)', () => {
    const run = (impl: Impl) => {
      const sub = make(impl).subscribe();
      const fake = last();
      fake.open();
      sub.unsubscribe();
      return fake.closeRequest;
    };
    expect(run('ours')).toEqual({ code: 1000, reason: '' });
    expect(run('rxjs')).toEqual({ code: undefined, reason: undefined });
  });

  it('#7111: a serializer error is thrown by next() as itself; the stream and the socket stay open (RxJS: masked by a TypeError, stream and socket closed)', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const run = (impl: Impl) => {
      const s = make(impl);
      const rec = record(s);
      const fake = last();
      fake.open();
      let thrown: unknown = 'nothing thrown';
      try {
        s.next(circular);
      } catch (error) {
        thrown = error;
      }
      s.next('after');
      return { thrown, sent: fake.sent, state: fake.readyState, closeRequest: fake.closeRequest, errors: rec.errors };
    };
    const ours = run('ours');
    expect(ours.thrown).toBeInstanceOf(TypeError);
    expect((ours.thrown as Error).message).toMatch(/circular/i);
    expect(ours).toMatchObject({ sent: ['"after"'], state: FakeWebSocket.OPEN, closeRequest: undefined, errors: [] });
    const theirs = run('rxjs');
    expect(theirs.thrown).toBe('nothing thrown');
    expect(theirs.errors).toHaveLength(1);
    expect((theirs.errors[0] as Error).message).toMatch(/^WebSocketSubject\.error must be called with an object/);
    // and the socket was closed (without a code) when that error ended the only subscriber
    expect(theirs).toMatchObject({
      sent: [],
      state: FakeWebSocket.CLOSED,
      closeRequest: { code: undefined, reason: undefined },
    });
  });

  it('#7111: before open too, the serializer error is thrown by next() and nothing is buffered', () => {
    const s = subject<bigint | string>();
    expect(thrownBy(() => s.next(1n))).toBeInstanceOf(TypeError);
    s.next('ok');
    s.subscribe();
    last().open();
    expect(last().sent).toEqual(['"ok"']);
  });

  it('next(undefined) throws a TypeError with the default serializer (JSON cannot encode it), and a serializer returning a non-sendable throws', () => {
    const s = subject();
    expect(thrownBy(() => s.next(undefined))).toBeInstanceOf(TypeError);
    const t = subject<number, number>({ serializer: (n) => n as unknown as SendData });
    expectWsError(() => t.next(1), 'ERR_WS_INVALID_ARGUMENT');
  });

  it('#5312: a deserializer error errors the stream with that error and closes the socket with 1000 (RxJS 7.8: closed without a code)', () => {
    const bad = new Error('I am a bad error');
    const run = (impl: Impl) => {
      const s = make(impl, {
        deserializer: () => {
          throw bad;
        },
      });
      const a = record(s);
      const b = record(s);
      const fake = last();
      fake.open();
      fake.receive('weee!');
      return { a: a.log, b: b.log, closeRequest: fake.closeRequest };
    };
    expect(run('ours')).toEqual({ a: [['error', bad]], b: [['error', bad]], closeRequest: { code: 1000, reason: '' } });
    expect(run('rxjs')).toEqual({
      a: [['error', bad]],
      b: [['error', bad]],
      closeRequest: { code: undefined, reason: undefined },
    });
  });

  it('#5312: after a deserializer error, subscribing again from the error callback opens a new socket', () => {
    let calls = 0;
    const s = subject<string>({
      deserializer: (e) => {
        if (++calls === 1) throw new Error('first message is bad');
        return textOf(e.data);
      },
    });
    let again: Recording<string> | undefined;
    s.subscribe({ error: () => (again = record(s)) });
    const socket1 = last();
    socket1.open();
    socket1.receive('bad');
    expect(socket1.closeRequest).toEqual({ code: 1000, reason: '' });
    const socket2 = last();
    expect(socket2).not.toBe(socket1);
    socket2.open();
    socket2.receive('good');
    expect(again?.log).toEqual([['next', 'good']]);
  });

  it('next() while the socket is closing is buffered for the next socket, not dropped', () => {
    const run = (impl: Impl) => {
      FakeWebSocket.manualCloseHandshake = true;
      const s = make<string>(impl);
      record(s);
      const socket1 = last();
      socket1.open();
      socket1.close(4000); // the closing handshake has begun
      s.next('while closing');
      socket1.serverClose(4000);
      record(s);
      last().open();
      return { socket1: socket1.sent, socket2: last().sent };
    };
    expect(run('ours')).toEqual({ socket1: [], socket2: ['"while closing"'] });
    expect(run('rxjs')).toEqual({ socket1: [], socket2: [] });
  });

  it('what was buffered survives a connection that failed before it opened, and goes out on the next socket', () => {
    const run = (impl: Impl) => {
      const s = make<string>(impl);
      s.next('first');
      const rec = record(s.pipe(retry(1)));
      last().fail();
      last().open();
      return { sent: last().sent, errors: rec.errors };
    };
    expect(run('ours')).toEqual({ sent: ['"first"'], errors: [] });
    expect(run('rxjs')).toEqual({ sent: [], errors: [] });
  });

  it('between two sockets next() is buffered, as in RxJS', () => {
    for (const impl of ['ours', 'rxjs'] as const) {
      const s = make<string>(impl);
      record(s);
      last().open();
      last().serverClose(1000);
      s.next('between');
      record(s);
      last().open();
      expect(last().sent).toEqual(['"between"']);
    }
  });

  it('bounds the buffer by maxQueue (default 1000): a full buffer makes next() throw ERR_WS_QUEUE_FULL (RxJS has no bound)', () => {
    const s = subject<number>();
    for (let i = 0; i < 1000; i++) s.next(i);
    const error = expectWsError(() => s.next(1000), 'ERR_WS_QUEUE_FULL');
    expect(error.message).toContain('maxQueue');
    const small = subject<number>({ maxQueue: 2 });
    small.next(1);
    small.next(2);
    expectWsError(() => small.next(3), 'ERR_WS_QUEUE_FULL');
    small.subscribe();
    last().open();
    expect(last().sent).toEqual(['1', '2']);
    const none = subject<number>({ maxQueue: 0 });
    expectWsError(() => none.next(1), 'ERR_WS_QUEUE_FULL');
    const rxjs = make<number>('rxjs');
    for (let i = 0; i <= 1000; i++) rxjs.next(i);
    rxjs.subscribe();
    last().open();
    expect(last().sent).toHaveLength(1001);
  });
});

// ---- multiplex ----------------------------------------------------------------------------

describe('multiplex(subMsg, unsubMsg, filter)', () => {
  interface Msg {
    name: string;
    value: number;
  }
  const sub = () => ({ sub: 'foo' });
  const unsub = () => ({ unsub: 'foo' });
  const isFoo = (m: Msg) => m.name === 'foo';

  it('sends subMsg, filters the messages, sends unsubMsg and closes when the last subscriber leaves', () => {
    const s = subject<Msg>();
    const rec = record(s.multiplex(sub, unsub, isFoo));
    const fake = last();
    fake.open();
    expect(fake.sent).toEqual([json({ sub: 'foo' })]);
    for (const value of [1, 2, 3, 4, 5]) fake.receive(json({ name: value % 3 === 0 ? 'bar' : 'foo', value }));
    expect(rec.values.map((m) => m.value)).toEqual([1, 2, 4, 5]);
    rec.subscription.unsubscribe();
    expect(fake.sent).toEqual([json({ sub: 'foo' }), json({ unsub: 'foo' })]);
    expect(fake.closeRequest).toEqual({ code: 1000, reason: '' });
  });

  it('sends subMsg after openObserver, before what next() buffered, and at once when the socket is already open', () => {
    const atOpen: unknown[] = [];
    const s = subject<Msg | string>({ openObserver: { next: () => atOpen.push([...last().sent]) } });
    s.next('buffered');
    s.multiplex(sub, unsub, () => true).subscribe();
    last().open();
    expect(atOpen).toEqual([[]]);
    s.multiplex(
      () => 'second sub',
      unsub,
      () => true,
    ).subscribe();
    expect(last().sent).toEqual([json({ sub: 'foo' }), '"buffered"', '"second sub"']);
  });

  it('is retryable: a new socket, and subMsg again on it', () => {
    const s = subject<Msg>();
    const rec = record(
      s.multiplex(sub, unsub, isFoo).pipe(
        retry(1),
        map((m) => m.value),
        take(2),
      ),
    );
    const socket1 = last();
    socket1.open();
    expect(socket1.sent).toEqual([json({ sub: 'foo' })]);
    socket1.fail();
    const socket2 = last();
    expect(socket2).not.toBe(socket1);
    socket2.open();
    expect(socket2.sent).toEqual([json({ sub: 'foo' })]);
    socket2.receive(json({ name: 'foo', value: 10 }));
    socket2.receive(json({ name: 'foo', value: 11 }));
    expect(rec.log).toEqual([['next', 10], ['next', 11], ['complete']]);
    expect(socket2.sent).toEqual([json({ sub: 'foo' }), json({ unsub: 'foo' })]);
  });

  it('is repeatable: a clean close completes it, repeat makes a new socket with subMsg', () => {
    const s = subject<Msg>();
    const rec = record(
      s.multiplex(sub, unsub, isFoo).pipe(
        repeat(2),
        map((m) => m.value),
      ),
    );
    for (let round = 0; round < 2; round++) {
      const fake = last();
      fake.open();
      expect(fake.sent).toEqual([json({ sub: 'foo' })]);
      fake.receive(json({ name: 'foo', value: round * 2 }));
      fake.receive(json({ name: 'foo', value: round * 2 + 1 }));
      fake.serverClose(1000);
    }
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(rec.log).toEqual([['next', 0], ['next', 1], ['next', 2], ['next', 3], ['complete']]);
  });

  it('keeps the same socket for several multiplexed streams; it closes when the last one leaves', () => {
    const s = subject<{ id: string; complete?: boolean }>();
    const results: string[] = [];
    const observe = (name: string) => ({
      next: () => results.push(`${name} next`),
      error: (e: unknown) => results.push(`${name} error ${String(e)}`),
      complete: () => results.push(`${name} complete`),
    });
    s.multiplex(
      () => 'sub A',
      () => (results.push('A unsub'), 'unsub A'),
      (m) => m.id === 'A',
    )
      .pipe(takeWhile((m) => !m.complete))
      .subscribe(observe('A'));
    s.multiplex(
      () => 'sub B',
      () => (results.push('B unsub'), 'unsub B'),
      (m) => m.id === 'B',
    )
      .pipe(takeWhile((m) => !m.complete))
      .subscribe(observe('B'));
    const fake = last();
    fake.open();
    for (const m of [{ id: 'A' }, { id: 'B' }, { id: 'A', complete: true }, { id: 'B' }]) fake.receive(json(m));
    expect(fake.readyState).toBe(FakeWebSocket.OPEN);
    fake.receive(json({ id: 'B', complete: true }));
    // RxJS 8's takeWhile unsubscribes from its source before it tells its observer of the
    // complete (RxJS 7: after), when the complete comes from inside the source, as here.
    expect(results).toEqual(
      RXJS_MAJOR >= 8
        ? ['A next', 'B next', 'A unsub', 'A complete', 'B next', 'B unsub', 'B complete']
        : ['A next', 'B next', 'A complete', 'A unsub', 'B next', 'B complete', 'B unsub'],
    );
    expect(fake.sent).toEqual(['"sub A"', '"sub B"', '"unsub A"', '"unsub B"']);
    expect(fake.closeRequest).toEqual({ code: 1000, reason: '' });
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('#2445: ref-counted, one subMsg for many subscribers and one unsubMsg when the last leaves (RxJS: one per subscriber)', () => {
    const run = (impl: Impl) => {
      const s = make<Msg>(impl);
      const foo$ = s.multiplex(sub, unsub, isFoo);
      const keep = s.subscribe(); // keeps the socket open throughout
      last().open();
      const a = foo$.subscribe();
      const b = foo$.subscribe();
      a.unsubscribe();
      const afterFirstLeft = [...last().sent];
      b.unsubscribe();
      keep.unsubscribe();
      return { afterFirstLeft, sent: last().sent };
    };
    expect(run('ours')).toEqual({
      afterFirstLeft: [json({ sub: 'foo' })],
      sent: [json({ sub: 'foo' }), json({ unsub: 'foo' })],
    });
    expect(run('rxjs')).toEqual({
      afterFirstLeft: [json({ sub: 'foo' }), json({ sub: 'foo' }), json({ unsub: 'foo' })],
      sent: [json({ sub: 'foo' }), json({ sub: 'foo' }), json({ unsub: 'foo' }), json({ unsub: 'foo' })],
    });
  });

  it('#1899: unsubMsg is not buffered while disconnected, so the next socket never gets a stale one (RxJS sends it first)', () => {
    const run = (impl: Impl) => {
      const s = make<Msg>(impl);
      const main = record(s.pipe(retry(1))); // reconnects at once after a failure
      const foo = record(s.multiplex(sub, unsub, isFoo));
      const socket1 = last();
      socket1.open();
      socket1.fail(); // the sub-stream errors; its teardown runs while the retry connects
      const socket2 = last();
      socket2.open();
      return { foo: foo.errors.length, main: main.errors.length, socket1: socket1.sent, socket2: socket2.sent };
    };
    expect(run('ours')).toEqual({ foo: 1, main: 0, socket1: [json({ sub: 'foo' })], socket2: [] });
    expect(run('rxjs')).toEqual({
      foo: 1,
      main: 0,
      socket1: [json({ sub: 'foo' })],
      socket2: [json({ unsub: 'foo' })],
    });
  });

  it("errors the sub-stream with the filter's error", () => {
    const boom = new Error('filter');
    const s = subject<Msg>();
    const rec = record(
      s.multiplex(sub, unsub, () => {
        throw boom;
      }),
    );
    last().open();
    last().receive(json({ name: 'foo', value: 1 }));
    expect(rec.log).toEqual([['error', boom]]);
  });
});

// ---- The Subject face ---------------------------------------------------------------------

describe('the Subject face: observed, closed, unsubscribe(), asObservable()', () => {
  it('is an Observable and an Observer, not a Subject (documented: next takes Out)', () => {
    const s = subject();
    expect(s).toBeInstanceOf(Observable);
    expect(s).not.toBeInstanceOf(Subject);
    expect(typeof s.next).toBe('function');
  });

  it('observed follows the subscribers of the current socket', () => {
    const s = subject();
    expect(s.observed).toBe(false);
    const a = s.subscribe();
    expect(s.observed).toBe(true);
    a.unsubscribe();
    expect(s.observed).toBe(false);
  });

  it('unsubscribe() closes with 1000 and retires the subject; subscribers complete on the close', () => {
    const s = subject<string>();
    const rec = record(s);
    const fake = last();
    fake.open();
    expect(s.closed).toBe(false);
    s.unsubscribe();
    expect(s.closed).toBe(true);
    expect(fake.closeRequest).toEqual({ code: 1000, reason: '' });
    expect(rec.log).toEqual([['complete']]);
    const late = record(s);
    expect(late.errors[0]).toBeInstanceOf(ObjectUnsubscribedError);
    expect(late.errors[0]).toMatchObject({ name: 'ObjectUnsubscribedError', message: 'object unsubscribed' });
    expect(thrownBy(() => s.next('x'))).toBeInstanceOf(ObjectUnsubscribedError);
    s.complete();
    s.error({ code: 4000 });
    s.unsubscribe();
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it("ObjectUnsubscribedError is RxJS's own class on RxJS 7, and the package's, of the same name and message, on RxJS 8 (which removed it)", () => {
    const rxjsClass = (rxjs as { ObjectUnsubscribedError?: unknown }).ObjectUnsubscribedError;
    if (RXJS_MAJOR >= 8) expect(rxjsClass).toBeUndefined();
    else expect(ObjectUnsubscribedError).toBe(rxjsClass);
    const s = subject<string>();
    s.unsubscribe();
    const error = thrownBy(() => s.next('x'));
    expect(error).toBeInstanceOf(ObjectUnsubscribedError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'ObjectUnsubscribedError', message: 'object unsubscribed' });
    expect(String(error)).toBe('ObjectUnsubscribedError: object unsubscribed');
    expect(error).not.toBeInstanceOf(WebSocketError);
  });

  it('unsubscribe() with no socket retires the subject and forgets the buffer', () => {
    const s = subject<string>();
    s.next('never sent');
    s.unsubscribe();
    expect(s.closed).toBe(true);
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  it('asObservable() hides next() and shares the socket', () => {
    const s = subject<number>();
    const obs = s.asObservable();
    expect(obs).not.toBeInstanceOf(WebSocketSubject);
    expect((obs as unknown as { next?: unknown }).next).toBeUndefined();
    const a = record(obs);
    const b = record(s);
    expect(FakeWebSocket.instances).toHaveLength(1);
    last().open();
    last().receive('7');
    expect([a.values, b.values]).toEqual([[7], [7]]);
    a.subscription.unsubscribe();
    b.subscription.unsubscribe();
    expect(last().closeRequest).toEqual({ code: 1000, reason: '' });
  });

  it('drops no message for a subscriber that leaves and one that arrives in the middle of a delivery', () => {
    const s = subject<number>();
    const seen: string[] = [];
    s.subscribe((v) => {
      seen.push(`a${v}`);
      if (v === 1) b.unsubscribe();
      if (v === 1) s.subscribe((w) => seen.push(`c${w}`));
    });
    const b = s.subscribe((v) => seen.push(`b${v}`));
    last().open();
    last().receive('1');
    last().receive('2');
    expect(seen).toEqual(['a1', 'a2', 'c2']);
  });
});

// ---- Observer callbacks that throw --------------------------------------------------------

describe('config observers that throw', () => {
  it('are reported and stop nothing: the buffer still goes out, the subscribers still complete', () => {
    const reported: unknown[] = [];
    config.onUnhandledError = (error) => reported.push(error);
    const boom = (name: string) => () => {
      throw new Error(name);
    };
    const s = subject<string>({
      openObserver: { next: boom('open') },
      closingObserver: { next: boom('closing') },
      closeObserver: { next: boom('close') },
    });
    s.next('queued');
    const rec = record(s);
    last().open();
    expect(last().sent).toEqual(['"queued"']);
    s.complete();
    expect(rec.log).toEqual([['complete']]);
    expect(reported.map((e) => (e as Error).message)).toEqual(['open', 'closing', 'close']);
  });
});

describe('events given to the observers', () => {
  it('openObserver gets the native open event, closeObserver the native close event', () => {
    const got: (WsEvent | WsCloseEvent)[] = [];
    const s = subject({ openObserver: { next: (e) => got.push(e) }, closeObserver: { next: (e) => got.push(e) } });
    s.subscribe();
    last().open();
    s.unsubscribe();
    expect(got).toEqual([
      { type: 'open', target: last() },
      { type: 'close', target: last(), code: 1000, reason: '', wasClean: true },
    ]);
  });
});
