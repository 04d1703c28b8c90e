/**
 * EchoService's logic, in Node, on Angular's TestBed (JIT: `@angular/compiler` compiles the
 * decorators), with `brython-websocket/testing` in place of the server: `marbleServer` and a
 * `TestScheduler` for time and order (reconnect delays included), `FakeWebSocket` for the rest.
 * No network, no waiting. The app in a real browser is examples/angular-app/app.spec.ts.
 *
 *   npx vitest run examples/angular-app/src/app/echo.service.spec.ts --project node
 *
 * Everything Angular, rxjs and brython-websocket comes from the app's own node_modules (one
 * copy of rxjs, the one the service uses), so it is imported once the app is installed.
 */
import type { Signal } from '@angular/core';
import type { Observable } from 'rxjs';
import type { RunHelpers, TestScheduler as TestSchedulerType } from 'rxjs/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeWebSocket as FakeWebSocketType } from 'brython-websocket/testing';
import { installAngularApp } from '../../prepare.mjs';

await installAngularApp();
await import('@angular/compiler');
const core = await import('@angular/core');
const { PLATFORM_ID } = core;
const { TestBed } = await import('@angular/core/testing');
const { ServerTestingModule, platformServerTesting } = await import('@angular/platform-server/testing');
const { map } = await import('rxjs');
const { TestScheduler } = await import('rxjs/testing');
const { reconnect } = await import('brython-websocket/resilience');
const { FakeWebSocket, marbleServer } = await import('brython-websocket/testing');
const {
  CLOSE_REASON,
  defaultSocketUrl,
  DESTROY_REASON,
  EchoService,
  MESSAGE_HISTORY,
  SOCKET_RECONNECT,
  SOCKET_URL,
  WEBSOCKET_CTOR,
} = await import('./echo.service');

// The server platform's testing module: it brings a DOM to Node. Each test says which platform
// the service runs on, through PLATFORM_ID ('browser' unless the test is about the server).
// Angular 20 deprecated it in favour of e2e tests of SSR (app.spec.ts is that); here it is only
// the DOM for TestBed: the browser platform needs a real document, which Node lacks.
// eslint-disable-next-line @typescript-eslint/no-deprecated -- the one TestBed platform with a DOM in Node (no jsdom)
TestBed.initTestEnvironment(ServerTestingModule, platformServerTesting(), { teardown: { destroyAfterEach: true } });

beforeEach(() => {
  FakeWebSocket.reset();
});

afterEach(() => {
  TestBed.resetTestingModule();
});

function testScheduler(): TestSchedulerType {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** The root service as the app gets it (`TestBed.inject`), on this constructor, reconnecting 3 ms after a drop. */
function createService(WebSocketCtor: typeof FakeWebSocketType, platform: 'browser' | 'server' = 'browser') {
  TestBed.configureTestingModule({
    providers: [
      { provide: PLATFORM_ID, useValue: platform },
      { provide: SOCKET_URL, useValue: 'ws://echo.test/' },
      { provide: WEBSOCKET_CTOR, useValue: WebSocketCtor },
      { provide: SOCKET_RECONNECT, useValue: reconnect({ initialDelay: 3, jitter: 0 }) },
    ],
  });
  return TestBed.inject(EchoService);
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
      helpers.expectObservable(service.state$).toBe('(sa)-b--c-d----(e|)', {
        s: 'connecting',
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
      helpers
        .expectObservable(sample(helpers, service.messages, '---------m'))
        .toBe('---------m', { m: ['before', 'after'] });
    });
  });

  it('destroying the app (its root injector) closes with 1000 at that frame: messages$ completes, the state ends closed', () => {
    testScheduler().run((helpers) => {
      const server = marbleServer(helpers);
      const service = createService(server.WebSocketCtor);
      helpers.cold('----d').subscribe(() => TestBed.resetTestingModule());
      server.script('o-a', { a: 'last' });
      helpers.expectObservable(service.messages$).toBe('--a-|', { a: 'last' });
      helpers.expectObservable(sample(helpers, service.state, '---o-c')).toBe('---o-c', { o: 'open', c: 'closed' });
      helpers.expectObservable(sample(helpers, service.messages, '-----m')).toBe('-----m', { m: ['last'] });
    });
    expect(FakeWebSocket.last.closeRequest).toEqual({ code: 1000, reason: DESTROY_REASON });
  });
});

describe('EchoService on FakeWebSocket (synchronous)', () => {
  it("is one per app (providedIn: 'root'), and connects when first injected", () => {
    TestBed.configureTestingModule({
      providers: [
        { provide: PLATFORM_ID, useValue: 'browser' },
        { provide: SOCKET_URL, useValue: 'ws://echo.test/' },
        { provide: WEBSOCKET_CTOR, useValue: FakeWebSocket },
      ],
    });
    expect(FakeWebSocket.instances).toHaveLength(0);
    const service = TestBed.inject(EchoService);
    expect(TestBed.inject(EchoService)).toBe(service);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(FakeWebSocket.last.url).toBe('ws://echo.test/');
  });

  it("connects by default to /echo on the page's origin, wss: for an https: page", () => {
    const page = (href: string) => ({ location: new URL(href) }) as unknown as Document;
    expect(defaultSocketUrl(page('http://localhost:4200/some/route?x=1'))).toBe('ws://localhost:4200/echo');
    expect(defaultSocketUrl(page('https://example.test/'))).toBe('wss://example.test/echo');
    TestBed.configureTestingModule({
      providers: [
        { provide: PLATFORM_ID, useValue: 'browser' },
        { provide: core.DOCUMENT, useValue: page('https://app.example.test/chat') },
        { provide: WEBSOCKET_CTOR, useValue: FakeWebSocket },
      ],
    });
    TestBed.inject(EchoService);
    expect(FakeWebSocket.last.url).toBe('wss://app.example.test/echo');
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

  it('close(): 1000, then closed for good (no reconnect); send() then throws, the history stays', () => {
    FakeWebSocket.manualCloseHandshake = true;
    const service = createService(FakeWebSocket);
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive('only');
    service.close();
    expect(service.state()).toBe('closing');
    expect(FakeWebSocket.last.closeRequest).toEqual({ code: 1000, reason: CLOSE_REASON });
    FakeWebSocket.last.serverClose(1000, CLOSE_REASON);
    expect(service.state()).toBe('closed');
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(() => service.send('after')).toThrow(expect.objectContaining({ code: 'ERR_WS_INVALID_STATE' }));
    expect(service.messages()).toEqual(['only']);
  });

  it('an unclean final close (reconnect off): messages$ errors with the CloseError, the signals stay readable', () => {
    TestBed.configureTestingModule({
      providers: [
        { provide: PLATFORM_ID, useValue: 'browser' },
        { provide: SOCKET_URL, useValue: 'ws://echo.test/' },
        { provide: WEBSOCKET_CTOR, useValue: FakeWebSocket },
        { provide: SOCKET_RECONNECT, useValue: false },
      ],
    });
    const service = TestBed.inject(EchoService);
    const errors: unknown[] = [];
    service.messages$.subscribe({ error: (error: unknown) => errors.push(error) });
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive('only');
    FakeWebSocket.last.fail();
    expect(errors).toEqual([expect.objectContaining({ name: 'CloseError', closeCode: 1006, wasClean: false })]);
    expect(service.state()).toBe('closed');
    expect(service.messages()).toEqual(['only']);
  });

  it("on the server platform: no socket; state stays 'connecting', no messages, send() says why it cannot", () => {
    const service = createService(FakeWebSocket, 'server');
    expect(FakeWebSocket.instances).toHaveLength(0);
    expect(service.state()).toBe('connecting');
    expect(service.messages()).toEqual([]);
    const ends: string[] = [];
    service.messages$.subscribe({ next: () => ends.push('next'), complete: () => ends.push('complete') });
    expect(ends).toEqual(['complete']);
    expect(() => service.send('x')).toThrow(
      expect.objectContaining({
        code: 'ERR_WS_INVALID_STATE',
        message: expect.stringContaining('on the server') as unknown,
      }),
    );
    service.close();
    TestBed.resetTestingModule();
    expect(FakeWebSocket.instances).toHaveLength(0);
  });
});
