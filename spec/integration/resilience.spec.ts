/**
 * Reconnect, connect timeout, heartbeat and multiplex against real servers on 127.0.0.1, with
 * `ws`'s WebSocket as `WebSocketCtor` and real timers kept small (reconnect delays of 20 ms and
 * up, a 50 ms heartbeat). Every wait is an awaited event: nothing sleeps, and no assertion
 * depends on wall time, only on order and codes.
 */
import { filter, firstValueFrom } from 'rxjs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import { RxWebSocket, WebSocketError } from '../../src/index.js';
import type { SocketState, WsEvent } from '../../src/index.js';
import {
  CLOSE_CONNECT_TIMEOUT,
  CLOSE_HEARTBEAT_TIMEOUT,
  connectTimeout,
  heartbeat,
  reconnect,
  type ReconnectFeature,
} from '../../src/resilience.js';
import { closeAfter } from '../helpers/close-after.js';
import { thrownBy } from '../helpers/thrown.js';
import {
  closeOf,
  listenersAfterClose,
  nativeError,
  NO_LISTENERS,
  recordStreams,
  trackedScheduler,
} from '../helpers/ws-client.js';
import {
  handles,
  listenerCounts,
  record,
  recordingCtor,
  watchFace,
  watchTimers,
  type RecordedSocket,
} from './probes.js';
import { startPongServer, startSilentServer } from './raw-servers.js';
import { startEchoServer, type EchoServer, type ServerConnection } from './server.js';
import { textOf } from '../helpers/text.js';
import { stringMatching } from '../helpers/matchers.js';

const RECONNECT = reconnect({ initialDelay: 20, maxDelay: 100, jitter: 0 });

async function echoServer(port?: number): Promise<EchoServer> {
  return closeAfter(await startEchoServer({ port }));
}

/** A socket on `ws`'s WebSocket to `url` with `feature` (RECONNECT), closed after the test, and recorders of all it tells. */
function reconnectingClient(url: string, feature: ReconnectFeature = RECONNECT) {
  const scheduler = trackedScheduler();
  const ws = closeAfter(new RxWebSocket(url, { WebSocketCtor: WsWebSocket, reconnect: feature, scheduler }));
  return { ws, scheduler, ...recordStreams(ws) };
}

/** The native socket an event came from (`ws`'s events carry it as `target`). */
function targetOf(event: WsEvent): unknown {
  return (event as { target?: unknown }).target;
}

describe('a TCP link that drops abruptly', () => {
  const drops: [string, (connection: ServerConnection) => void][] = [
    ['terminate() (a FIN, no close frame)', (connection) => connection.terminate()],
    ['a TCP reset (RST)', (connection) => connection.reset()],
  ];

  it.each(drops)('after %s: close$ 1006 unclean, then the same object reconnects', async (_how, drop) => {
    const server = await echoServer();
    const { Ctor, instances } = recordingCtor();
    const scheduler = trackedScheduler();
    const ws = closeAfter(new RxWebSocket(server.url, { WebSocketCtor: Ctor, reconnect: RECONNECT, scheduler }));
    const { states, opens, closes, errors, messages, face } = recordStreams(ws);
    const bound: string[] = [];
    ws.bind('open', (evt) => bound.push(`open:${instances.indexOf(targetOf(evt) as RecordedSocket)}`));
    ws.bind('message', (evt) => bound.push(`message:${textOf(evt.data)}`));
    ws.bind('close', (evt) => bound.push(`close:${evt.code}:${ws.state}`));

    await opens.at(0);
    const first = await server.connection(0);
    expect(ws.send('one')).toBe(true);
    await messages.at(0);

    drop(first);
    const dropped = await closes.at(0);
    expect(closeOf(dropped)).toEqual([1006, '', false]);
    expect(ws.state).toBe('reconnecting');
    expect(ws.readyState).toBe(RxWebSocket.CONNECTING);
    expect(face.settled()).toBe(false);
    expect(ws.send('queued while down')).toBe(false);
    expect(ws.queued).toBe(1);

    await opens.at(1);
    await server.connection(1);
    expect(ws.send('two')).toBe(true);
    await messages.at(2);

    expect(instances).toHaveLength(2);
    expect(opens.values.map(targetOf)).toEqual([instances[0], instances[1]]);
    expect(face.values).toEqual(['one', 'queued while down', 'two']);
    expect(face.settled()).toBe(false);
    expect(server.connections[0]!.received.map((m) => m.data)).toEqual(['one']);
    expect(server.connections[1]!.received.map((m) => m.data)).toEqual(['queued while down', 'two']);
    expect(await server.closeOf(0)).toEqual({ code: 1006, reason: '' });
    expect(listenerCounts(instances[0]!)).toEqual(NO_LISTENERS);
    expect(listenerCounts(instances[1]!)).toEqual({ open: 1, message: 1, error: 1, close: 1 });

    ws.close(1000, 'bye');
    await closes.done;
    expect(await face.ended).toEqual({ kind: 'complete' });
    expect(closes.values.map(closeOf)).toEqual([
      [1006, '', false],
      [1000, 'bye', true],
    ]);
    expect(bound).toEqual([
      'open:0',
      'message:one',
      'close:1006:reconnecting',
      'open:1',
      'message:queued while down',
      'message:two',
      'close:1000:closed',
    ]);
    expect(states.values).toEqual(['connecting', 'open', 'reconnecting', 'connecting', 'open', 'closing', 'closed']);
    // ws reports neither a FIN nor a RST on an open socket as an error: only the close.
    expect(errors.values).toEqual([]);
    expect(await server.closeOf(1)).toEqual({ code: 1000, reason: 'bye' });
    expect(await listenersAfterClose(instances)).toEqual([NO_LISTENERS, NO_LISTENERS]);
    expect(scheduler.pendingDelays()).toEqual([]);
  });
});

describe('closes the server starts, with the default shouldReconnect', () => {
  const reconnecting: [string, (connection: ServerConnection) => void, [number, string, boolean]][] = [
    ['1001 going away', (connection) => connection.close(1001, 'going away'), [1001, 'going away', true]],
    ['1006 (terminate)', (connection) => connection.terminate(), [1006, '', false]],
    ['1011 internal error', (connection) => connection.close(1011, 'oops'), [1011, 'oops', true]],
  ];

  it.each(reconnecting)('%s: close$ shows the code and a new connection follows', async (_name, end, expected) => {
    const server = await echoServer();
    const { ws, scheduler, opens, closes, states, face } = reconnectingClient(server.url);

    await opens.at(0);
    end(await server.connection(0));
    expect(closeOf(await closes.at(0))).toEqual(expected);
    expect(ws.state).toBe('reconnecting');

    await opens.at(1);
    expect((await server.connection(1)).index).toBe(1);
    expect(face.settled()).toBe(false);
    const echoed = firstValueFrom(ws);
    expect(ws.send('still here')).toBe(true);
    expect(await echoed).toBe('still here');

    ws.close();
    await closes.done;
    expect(states.values).toEqual(['connecting', 'open', 'reconnecting', 'connecting', 'open', 'closing', 'closed']);
    expect(closes.values.map(closeOf)).toEqual([expected, [1000, '', true]]);
    expect(await face.ended).toEqual({ kind: 'complete' });
    expect((await server.closeOf(0)).code).toBe(expected[0]);
    expect(await server.closeOf(1)).toEqual({ code: 1000, reason: '' });
    expect(scheduler.pendingDelays()).toEqual([]);
  });

  it.each([
    [1000, 'done'],
    [4000, 'app says stop'],
  ])('%i: the close is final, the subject face completes, and no reconnect is even scheduled', async (code, reason) => {
    const server = await echoServer();
    const { ws, scheduler, opens, closes, states, face } = reconnectingClient(server.url);

    await opens.at(0);
    (await server.connection(0)).close(code, reason);
    await closes.done;

    expect(closes.values.map(closeOf)).toEqual([[code, reason, true]]);
    expect(states.values).toEqual(['connecting', 'open', 'closed']);
    await states.done;
    expect(await face.ended).toEqual({ kind: 'complete' });
    // Nothing is pending on the scheduler: no reconnect can come, now or later.
    expect(scheduler.pendingDelays()).toEqual([]);
    expect(opens.values).toHaveLength(1);
    expect(server.connections).toHaveLength(1);
    expect(await server.closeOf(0)).toEqual({ code, reason });
    expect(thrownBy(() => ws.send('after'))).toMatchObject({ code: 'ERR_WS_INVALID_STATE' });
  });
});

describe('a server that restarts on the same port', () => {
  it('is reconnected to after refused attempts; what was queued meanwhile arrives once, in order', async () => {
    const first = await echoServer();
    const port = first.port;
    const { ws, scheduler, opens, closes, errors, messages, states } = reconnectingClient(first.url);

    await opens.at(0);
    expect(ws.send('before')).toBe(true);
    await messages.at(0);

    await first.close();
    expect(closeOf(await closes.at(0))).toEqual([1006, '', false]);
    expect(ws.send('q1')).toBe(false);
    // Each attempt while nothing listens is refused: a native error, then a 1006 close.
    expect(closeOf(await closes.at(1))).toEqual([1006, '', false]);
    expect(ws.send('q2')).toBe(false);
    expect(closeOf(await closes.at(2))).toEqual([1006, '', false]);
    expect(ws.send('q3')).toBe(false);
    expect(ws.queued).toBe(3);

    const second = await echoServer(port);
    expect(second.url).toBe(first.url);
    await opens.at(1);
    expect(await messages.at(3)).toMatchObject({ data: 'q3' });

    const refused = closes.values.length - 1;
    expect(refused).toBeGreaterThanOrEqual(2);
    expect(closes.values.slice(1).map(closeOf)).toEqual(Array.from({ length: refused }, () => [1006, '', false]));
    expect(errors.values.map((e) => nativeError(e).code)).toEqual(
      Array.from({ length: refused }, () => 'ECONNREFUSED'),
    );
    expect(states.values.filter((s) => s === 'reconnecting')).toHaveLength(refused + 1);
    expect(first.connections.map((c) => c.received.map((m) => m.data))).toEqual([['before']]);
    expect(second.connections.map((c) => c.received.map((m) => m.data))).toEqual([['q1', 'q2', 'q3']]);
    expect(messages.values.map((e) => e.data)).toEqual(['before', 'q1', 'q2', 'q3']);
    expect(ws.queued).toBe(0);

    ws.close();
    await closes.done;
    expect(await first.closeOf(0)).toEqual({ code: 1006, reason: '' });
    expect(await second.closeOf(0)).toEqual({ code: 1000, reason: '' });
    expect(scheduler.pendingDelays()).toEqual([]);
  });

  it('that never comes back: refused connections use up `attempts`, then the close is final', async () => {
    const gone = await echoServer();
    const { ws, scheduler, opens, closes, errors, states, face } = reconnectingClient(
      gone.url,
      reconnect({ ...RECONNECT.policy, attempts: 3 }),
    );

    await opens.at(0);
    await gone.close();
    expect(closeOf(await closes.at(0))).toEqual([1006, '', false]);
    expect(ws.send('never sent')).toBe(false);
    await closes.done;

    // The drop, then three refused attempts; the third one's close is the final close.
    expect(closes.values.map(closeOf)).toEqual(Array.from({ length: 4 }, () => [1006, '', false]));
    expect(errors.values.map((e) => nativeError(e).code)).toEqual(['ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED']);
    expect(states.values).toEqual([
      'connecting',
      'open',
      'reconnecting',
      'connecting',
      'reconnecting',
      'connecting',
      'reconnecting',
      'connecting',
      'closed',
    ]);
    const ended = await face.ended;
    expect(ended.kind).toBe('error');
    expect((ended as { error: unknown }).error).toMatchObject({
      code: 'ERR_WS_CLOSED',
      closeCode: 1006,
      wasClean: false,
    });
    expect(ws.drainQueue()).toEqual(['never sent']);
    expect(gone.connections).toHaveLength(1);
    expect(await gone.closeOf(0)).toEqual({ code: 1006, reason: '' });
    expect(scheduler.pendingDelays()).toEqual([]);
  });
});

describe('a server that accepts TCP but never answers the handshake', () => {
  it('connectTimeout: ERR_WS_TIMEOUT, close$ 4901, a new attempt; the aborted ws sockets crash nothing and keep no listener', async () => {
    const silent = closeAfter(await startSilentServer());
    const { Ctor, instances } = recordingCtor();
    const scheduler = trackedScheduler();
    const ws = closeAfter(
      new RxWebSocket(silent.url, {
        WebSocketCtor: Ctor,
        connectTimeout: connectTimeout(100),
        reconnect: RECONNECT,
        scheduler,
      }),
    );
    const errors = record(ws.error$);
    const closes = record(ws.close$);
    const states = record(ws.state$);
    const face = watchFace(ws);
    const opens = record(ws.open$);
    expect(ws.send('held')).toBe(false);
    // At the second timeout's close, while the reconnect waits, close() ends it all: the
    // wait is cancelled and no third attempt is made.
    let timeouts = 0;
    ws.bind('close', () => {
      if (++timeouts === 2) ws.close();
    });

    await closes.done;
    expect(closes.values.map(closeOf)).toEqual([
      [CLOSE_CONNECT_TIMEOUT, 'connect timeout', false],
      [CLOSE_CONNECT_TIMEOUT, 'connect timeout', false],
    ]);
    expect(CLOSE_CONNECT_TIMEOUT).toBe(4901);
    expect(errors.values).toHaveLength(2);
    for (const error of errors.values) {
      expect(error).toBeInstanceOf(WebSocketError);
      expect(error).toMatchObject({ code: 'ERR_WS_TIMEOUT', message: stringMatching(/\b100 ?ms\b/) });
      // It names the time, not the URL.
      expect((error as WebSocketError).message).not.toContain(`127.0.0.1:${silent.port}`);
    }
    expect(states.values).toEqual(['connecting', 'reconnecting', 'connecting', 'reconnecting', 'closed']);
    expect(opens.values).toEqual([]);
    expect(await face.ended).toEqual({ kind: 'complete' });
    expect(ws.drainQueue()).toEqual(['held']);

    // Two TCP connections, each carrying a WebSocket upgrade request that got no answer,
    // each let go by the client.
    await Promise.all([silent.closeOf(0), silent.closeOf(1)]);
    expect(silent.connections).toHaveLength(2);
    for (const connection of silent.connections) {
      expect(connection.received()).toMatch(/^GET \/ HTTP\/1\.1\r\n[\s\S]*upgrade: websocket\r\n/i);
    }

    // ws emits 'error' when a CONNECTING socket is aborted: each had a listener for it (an
    // 'error' with none would have been thrown), and after its close none is left.
    expect(instances).toHaveLength(2);
    expect(await listenersAfterClose(instances)).toEqual([NO_LISTENERS, NO_LISTENERS]);
    for (const native of instances) {
      expect(native.emitted.map(({ event, listeners }) => [event, listeners])).toEqual([
        ['error', 1],
        ['close', 1],
      ]);
      expect((native.emitted[0]!.args[0] as Error).message).toBe(
        'WebSocket was closed before the connection was established',
      );
      expect(native.readyState).toBe(WsWebSocket.CLOSED);
    }
    expect(scheduler.pendingDelays()).toEqual([]);
  });
});

describe('a server that stops answering pings', () => {
  it('heartbeat: the link is dropped with close$ 4900 without a closing handshake, then reconnected', async () => {
    // Connection 0 answers three pings, then goes silent with TCP still open; later ones answer all.
    const pong = closeAfter(await startPongServer([3]));
    const { Ctor, instances } = recordingCtor();
    const scheduler = trackedScheduler();
    const ws = closeAfter(
      new RxWebSocket(pong.url, {
        WebSocketCtor: Ctor,
        heartbeat: heartbeat({ interval: 50, message: 'ping', timeout: 150 }),
        reconnect: RECONNECT,
        scheduler,
      }),
    );
    const log: string[] = [];
    ws.open$.subscribe(() => log.push('open'));
    ws.message$.subscribe((evt) => log.push(`message:${textOf(evt.data)}`));
    ws.error$.subscribe((error) => log.push(`error:${(error as WebSocketError).code}`));
    ws.close$.subscribe((evt) => log.push(`close:${evt.code}:${evt.reason}:${evt.wasClean}:${ws.state}`));
    // What is left on the scheduler at the drop: the reconnect's delay, and nothing of the dead
    // connection's heartbeat.
    let pendingAtDrop: number[] | undefined;
    ws.close$.subscribe((evt) => {
      if (evt.code === CLOSE_HEARTBEAT_TIMEOUT) pendingAtDrop = scheduler.pendingDelays();
    });
    const opens = record(ws.open$);
    const messages = record(ws.message$);
    const closes = record(ws.close$);
    const face = watchFace(ws);

    await opens.at(1);
    // Two pongs on the new connection: its heartbeat runs too.
    await messages.at(4);
    ws.close();
    await closes.done;

    expect(log).toEqual([
      'open',
      'message:pong',
      'message:pong',
      'message:pong',
      'error:ERR_WS_TIMEOUT',
      `close:${CLOSE_HEARTBEAT_TIMEOUT}:heartbeat timeout:false:reconnecting`,
      'open',
      'message:pong',
      'message:pong',
      'close:1000::true:closed',
    ]);
    expect(CLOSE_HEARTBEAT_TIMEOUT).toBe(4900);
    expect(await face.ended).toEqual({ kind: 'complete' });
    expect(pendingAtDrop).toEqual([RECONNECT.policy.initialDelay]);

    // The silent connection got only pings, at least one of them unanswered; the client let
    // it go without a close frame (the server sees 1006), so no 30 s closing handshake.
    const silent = pong.connections[0]!;
    expect(silent.pongs).toBe(3);
    expect(silent.received.length).toBeGreaterThanOrEqual(4);
    expect(new Set(silent.received)).toEqual(new Set(['ping']));
    expect(await pong.closeOf(0)).toEqual({ code: 1006, reason: '' });
    expect(await pong.closeOf(1)).toEqual({ code: 1000, reason: '' });
    expect(pong.connections[1]!.pongs).toBe(2);

    expect(await listenersAfterClose(instances)).toEqual([NO_LISTENERS, NO_LISTENERS]);
    // The dropped socket: after the drop, only its close came, to the listener left to take it.
    expect(instances[0]!.emitted.map(({ event, listeners }) => [event, listeners])).toEqual([
      ['open', 1],
      ['message', 1],
      ['message', 1],
      ['message', 1],
      ['close', 1],
    ]);
    expect(scheduler.pendingDelays()).toEqual([]);
  });
});

describe('multiplex against a real server', () => {
  interface Msg {
    sub?: string;
    unsub?: string;
    topic?: string;
    n?: number;
  }
  const codec = {
    serializer: (value: Msg) => JSON.stringify(value),
    deserializer: (event: { data: unknown }) => JSON.parse(String(event.data)) as Msg,
  };

  it('one subMsg for two subscribers, sent again after a reconnect before the queue; one unsubMsg', async () => {
    const server = await echoServer();
    const ws = closeAfter(
      new RxWebSocket<Msg, Msg>(server.url, { WebSocketCtor: WsWebSocket, reconnect: RECONNECT, ...codec }),
    );
    const opens = record(ws.open$);
    const closes = record(ws.close$);
    const prices = ws.multiplex(
      () => ({ sub: 'prices' }),
      () => ({ unsub: 'prices' }),
      (m) => m.topic === 'prices',
    );
    const a = record(prices);
    const b = record(prices);

    await opens.at(0);
    expect(ws.next({ topic: 'prices', n: 1 })).toBe(true);
    await Promise.all([a.at(0), b.at(0)]);

    (await server.connection(0)).terminate();
    await closes.at(0);
    expect(ws.next({ topic: 'prices', n: 2 })).toBe(false);
    await opens.at(1);
    await Promise.all([a.at(1), b.at(1)]);

    a.subscription.unsubscribe();
    expect(ws.next({ topic: 'prices', n: 3 })).toBe(true);
    await b.at(2);
    b.subscription.unsubscribe();
    // The unsubMsg went out with the last unsubscribe; its echo proves it reached the server.
    await firstValueFrom(ws.message$.pipe(filter((e) => e.data === '{"unsub":"prices"}')));

    expect(a.values).toEqual([
      { topic: 'prices', n: 1 },
      { topic: 'prices', n: 2 },
    ]);
    expect(b.values).toEqual([
      { topic: 'prices', n: 1 },
      { topic: 'prices', n: 2 },
      { topic: 'prices', n: 3 },
    ]);
    const received = server.connections.map((c) => c.received.map((m) => m.data));
    expect(received).toEqual([
      ['{"sub":"prices"}', '{"topic":"prices","n":1}'],
      ['{"sub":"prices"}', '{"topic":"prices","n":2}', '{"topic":"prices","n":3}', '{"unsub":"prices"}'],
    ]);
    ws.close();
    await closes.done;
    expect(await server.closeOf(0)).toEqual({ code: 1006, reason: '' });
    expect(await server.closeOf(1)).toEqual({ code: 1000, reason: '' });
  });

  it('a stream left while reconnecting: no unsubMsg is queued, and no subMsg goes to the next connection', async () => {
    const server = await echoServer();
    const ws = closeAfter(
      new RxWebSocket<Msg, Msg>(server.url, { WebSocketCtor: WsWebSocket, reconnect: RECONNECT, ...codec }),
    );
    const opens = record(ws.open$);
    const closes = record(ws.close$);
    const messages = record(ws.message$);
    const news = record(
      ws.multiplex(
        () => ({ sub: 'news' }),
        () => ({ unsub: 'news' }),
        (m) => m.topic === 'news',
      ),
    );

    await opens.at(0);
    await messages.at(0); // the echo of the subMsg
    (await server.connection(0)).terminate();
    await closes.at(0);
    news.subscription.unsubscribe();
    expect(ws.queued).toBe(0);

    await opens.at(1);
    expect(ws.next({ topic: 'marker' })).toBe(true);
    await messages.at(1);
    expect(server.connections.map((c) => c.received.map((m) => m.data))).toEqual([
      ['{"sub":"news"}'],
      ['{"topic":"marker"}'],
    ]);
    expect(news.values).toEqual([]);
    ws.close();
    await closes.done;
    expect(await server.closeOf(0)).toEqual({ code: 1006, reason: '' });
    expect(await server.closeOf(1)).toEqual({ code: 1000, reason: '' });
  });
});

describe('cleanup after the final close', () => {
  it('no timer, no native listener, no socket handle left; every stream ended; the server saw every connection close', async () => {
    const server = await echoServer();
    const timers = watchTimers();
    onTestFinished(() => timers.stop());
    const sockets = handles('TCPSocketWrap');
    const { Ctor, instances } = recordingCtor();
    const scheduler = trackedScheduler();
    const ws = closeAfter(
      new RxWebSocket(server.url, {
        WebSocketCtor: Ctor,
        reconnect: RECONNECT,
        connectTimeout: connectTimeout(5000),
        heartbeat: heartbeat({ interval: 50, message: 'ping', timeout: 5000 }),
        scheduler,
      }),
    );
    const streams = {
      open: record(ws.open$),
      message: record(ws.message$),
      error: record(ws.error$),
      close: record(ws.close$),
      state: record(ws.state$),
    };
    const face = watchFace(ws);
    const topic = record(
      ws.multiplex(
        () => 'sub',
        () => 'unsub',
        (m) => m === 'topic',
      ),
    );
    const bound: string[] = [];
    ws.bind('open', () => bound.push('open')).bind('close', (evt) => bound.push(`close:${evt.code}`));

    await streams.open.at(0);
    // The echo server echoes the heartbeat's ping: a ping and its echo prove the timers ran.
    await firstValueFrom(ws.message$.pipe(filter((e) => e.data === 'ping')));
    (await server.connection(0)).terminate();
    await streams.close.at(0);
    await streams.open.at(1);
    ws.send('topic');
    await topic.at(0);
    expect(handles('TCPSocketWrap')).toBe(sockets + 2);

    ws.close();
    await Promise.all(Object.values(streams).map((r) => r.done));
    await Promise.all([server.closeOf(0), server.closeOf(1)]);
    await Promise.all(instances.map((native) => native.closed));

    expect(await face.ended).toEqual({ kind: 'complete' });
    await topic.done;
    expect(topic.values).toEqual(['topic']);
    expect(Object.values(streams).map((r) => r.subscription.closed)).toEqual([true, true, true, true, true]);
    expect(topic.subscription.closed).toBe(true);
    expect(bound).toEqual(['open', 'close:1006', 'open', 'close:1000']);
    expect(streams.state.values.at(-1)).toBe<SocketState>('closed');
    expect(server.connections.map((c) => c.closed?.code)).toEqual([1006, 1000]);

    expect(scheduler.scheduled).toBeGreaterThan(0);
    expect(scheduler.pendingDelays()).toEqual([]);
    // Every Node timer made meanwhile (the scheduler's, ws's closing timers) has fired or been cleared.
    expect(timers.pending()).toEqual([]);
    expect(handles('TCPSocketWrap')).toBe(sockets);
    expect(instances).toHaveLength(2);
    expect(instances.map(listenerCounts)).toEqual([NO_LISTENERS, NO_LISTENERS]);
    expect(instances.map((native) => native.readyState)).toEqual([WsWebSocket.CLOSED, WsWebSocket.CLOSED]);
  });
});
