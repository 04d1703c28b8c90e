/**
 * EchoService's logic in virtual time: `brython-websocket/testing` stands in for the server
 * (`marbleServer`, and `FakeWebSocket` for the synchronous cases), provided through the
 * service's own WEBSOCKET_CTOR token, and a `TestScheduler` drives the clock (reconnect delays
 * included). No network, no waiting: each test runs in a few milliseconds.
 *
 *   npx vitest run examples/angular-service/echo.service.marble.spec.ts
 */
import { Injector, type DestroyableInjector, type Signal } from '@angular/core';
import { map, type Observable } from 'rxjs';
import { TestScheduler, type RunHelpers } from 'rxjs/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconnect } from 'brython-websocket/resilience';
import { FakeWebSocket, marbleServer } from 'brython-websocket/testing';
import {
  DESTROY_REASON,
  EchoService,
  MESSAGE_HISTORY,
  SOCKET_RECONNECT,
  SOCKET_URL,
  WEBSOCKET_CTOR,
  provideEchoService,
} from './echo.service.js';

let injector: DestroyableInjector | undefined;

beforeEach(() => {
  FakeWebSocket.reset();
});

afterEach(() => {
  injector?.destroy();
  injector = undefined;
});

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** The service, from an injector with these providers' values for its three tokens. */
function createService(WebSocketCtor: typeof FakeWebSocket): EchoService {
  injector = Injector.create({
    providers: [
      { provide: SOCKET_URL, useValue: 'ws://echo.test/' },
      { provide: WEBSOCKET_CTOR, useValue: WebSocketCtor },
      { provide: SOCKET_RECONNECT, useValue: reconnect({ initialDelay: 3, jitter: 0 }) },
      { provide: EchoService, useFactory: () => new EchoService() },
    ],
  });
  return injector.get(EchoService);
}

/**
 * A signal has no history: this reads it at each marble of `marbles`, as an observable to hand
 * to `expectObservable`. The tests read between events: in the frame of an event, whether a
 * read comes before or after it depends on when each was scheduled.
 */
function sample<T>(helpers: RunHelpers, signal: Signal<T>, marbles: string): Observable<T> {
  return helpers.cold(marbles).pipe(map(() => signal()));
}

describe('EchoService in virtual time (marbleServer + TestScheduler)', () => {
  it('messages in, messages$ and the messages signal out; what it sent, each at its frame', () => {
    testScheduler().run((helpers) => {
      const server = marbleServer(helpers);
      const service = createService(server.WebSocketCtor);
      service.send('hi'); // queued while connecting, sent at the open
      helpers.cold('----s').subscribe(() => service.send('and you?'));
      server.script('-o-a--b', { a: 'hello', b: 'fine' });
      helpers.expectObservable(service.messages$).toBe('---a--b', { a: 'hello', b: 'fine' });
      helpers.expectObservable(server.sent$).toBe('-h--y', { h: 'hi', y: 'and you?' });
      helpers.expectObservable(sample(helpers, service.messages, 's---t--u')).toBe('s---t--u', {
        s: [],
        t: ['hello'],
        u: ['hello', 'fine'],
      });
    });
  });

  it('a server restart (1012): state goes reconnecting, connecting, open; a send meanwhile goes out on the new socket; 1000 ends it', () => {
    testScheduler().run((helpers) => {
      const server = marbleServer(helpers);
      const service = createService(server.WebSocketCtor);
      expect(service.state()).toBe('connecting');
      helpers.cold('-------s').subscribe(() => service.send('while away'));
      // 5: the server restarts (1012); the service waits 3 frames, reconnects at 8; 10: open; 15: a clean 1000.
      server.script('o-a--x----o-b--|', { a: 'first', x: { close: 1012, reason: 'restart' }, b: 'second' });
      helpers.expectObservable(sample(helpers, service.state, '-a----b--c-d----e')).toBe('-a----b--c-d----e', {
        a: 'open',
        b: 'reconnecting',
        c: 'connecting',
        d: 'open',
        e: 'closed',
      });
      helpers.expectObservable(service.messages$).toBe('--a---------b--|', { a: 'first', b: 'second' });
      helpers.expectObservable(server.sent$).toBe('----------w', { w: 'while away' });
      helpers.expectObservable(sample(helpers, service.messages, '----------------m')).toBe('----------------m', {
        m: ['first', 'second'],
      });
    });
    expect(FakeWebSocket.instances.map((socket) => socket.sent)).toEqual([[], ['while away']]);
  });

  it('a drop (#) reconnects too; the history keeps the messages of both connections', () => {
    testScheduler().run((helpers) => {
      const server = marbleServer(helpers);
      const service = createService(server.WebSocketCtor);
      // 2: the connection fails (1006); 5: the new socket, 3 frames later; 7: open.
      server.script('oa#----ob', { a: 'before', b: 'after' });
      helpers.expectObservable(service.messages$).toBe('-a------b', { a: 'before', b: 'after' });
      helpers.expectObservable(sample(helpers, service.state, '---r--c--o')).toBe('---r--c--o', {
        r: 'reconnecting',
        c: 'connecting',
        o: 'open',
      });
      helpers.expectObservable(sample(helpers, service.messages, '---------m')).toBe('---------m', { m: ['before', 'after'] });
    });
  });

  it('destroying the injector closes with 1000 at that frame: messages$ completes, the state ends closed', () => {
    testScheduler().run((helpers) => {
      const server = marbleServer(helpers);
      const service = createService(server.WebSocketCtor);
      helpers.cold('----d').subscribe(() => {
        injector!.destroy();
        injector = undefined;
      });
      server.script('o-a', { a: 'last' });
      helpers.expectObservable(service.messages$).toBe('--a-|', { a: 'last' });
      helpers.expectObservable(sample(helpers, service.state, '---o-c')).toBe('---o-c', { o: 'open', c: 'closed' });
      helpers.expectObservable(sample(helpers, service.messages, '-----m')).toBe('-----m', { m: ['last'] });
    });
    expect(FakeWebSocket.last.closeRequest).toEqual({ code: 1000, reason: DESTROY_REASON });
  });
});

describe('EchoService on FakeWebSocket (synchronous)', () => {
  it('connects when first injected, not when its providers are made', () => {
    injector = Injector.create({ providers: provideEchoService({ url: 'ws://echo.test/', WebSocketCtor: FakeWebSocket }) });
    expect(FakeWebSocket.instances).toHaveLength(0);
    const service = injector.get(EchoService);
    expect(injector.get(EchoService)).toBe(service);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(FakeWebSocket.last.url).toBe('ws://echo.test/');
  });

  it(`the messages signal keeps the last ${MESSAGE_HISTORY} messages, newest last`, () => {
    const service = createService(FakeWebSocket);
    const fake = FakeWebSocket.last;
    fake.open();
    for (let i = 1; i <= MESSAGE_HISTORY + 2; i++) fake.receive(`m${i}`);
    const history = service.messages();
    expect(history).toHaveLength(MESSAGE_HISTORY);
    expect(history[0]).toBe('m3');
    expect(history.at(-1)).toBe(`m${MESSAGE_HISTORY + 2}`);
  });

  it('a binary message is skipped: neither messages$ nor the signal gets it, and the socket stays open', () => {
    const service = createService(FakeWebSocket);
    const seen: string[] = [];
    service.messages$.subscribe((message) => seen.push(message));
    const fake = FakeWebSocket.last;
    fake.open();
    fake.receive(new Uint8Array([1, 2, 3]));
    fake.receive('text');
    expect(seen).toEqual(['text']);
    expect(service.messages()).toEqual(['text']);
    expect(service.state()).toBe('open');
  });

  it('an unclean final close (reconnect off): messages$ errors with the CloseError, the signals stay readable', () => {
    injector = Injector.create({
      providers: provideEchoService({ url: 'ws://echo.test/', WebSocketCtor: FakeWebSocket, reconnect: false }),
    });
    const service = injector.get(EchoService);
    const errors: unknown[] = [];
    service.messages$.subscribe({ error: (error: unknown) => errors.push(error) });
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive('only');
    FakeWebSocket.last.fail();
    expect(errors).toEqual([expect.objectContaining({ name: 'CloseError', closeCode: 1006, wasClean: false })]);
    expect(service.state()).toBe('closed');
    expect(service.messages()).toEqual(['only']);
  });
});
