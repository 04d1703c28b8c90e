/**
 * The core in Chromium, on the browser's own WebSocket (no WebSocketCtor), against the
 * report server that ./global-setup.ts starts in Node: a `ws` echo server that also tells
 * the test, over HTTP, what it received and how each connection closed (./report-server.ts).
 *
 * Each test connects with an id of its own (`?id=...`), so the server's report is that
 * test's connection only. Every wait is an event: a socket stream, or an HTTP request the
 * server answers once the connection has arrived or closed.
 */
import { firstValueFrom, lastValueFrom, toArray, type Observable } from 'rxjs';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { CloseError, RxWebSocket, WebSocket, isWebSocketError, supported } from '../../src/index.js';
import type { MessageData, SocketState, WsCloseEvent, WsEvent, WsMessageEvent } from '../../src/index.js';
import type { ConnectionReport } from './report-server.js';
import { thrownBy } from '../helpers/thrown.js';
import { seedFlow } from '../shared/seed-flow.js';

const { wsUrl, httpUrl } = inject('reportServer');

/** A fresh connection id and the URL that carries it. */
function target(path = '/echo'): { id: string; url: string } {
  const id = crypto.randomUUID();
  return { id, url: `${wsUrl}${path}?id=${id}` };
}

async function api(method: 'GET' | 'POST', path: string): Promise<Response> {
  const response = await fetch(`${httpUrl}${path}`, { method });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response;
}

/** The server's report of connection `id`, once that connection has arrived. */
async function report(id: string): Promise<ConnectionReport> {
  return (await (await api('GET', `/connections/${id}`)).json()) as ConnectionReport;
}

/** The server's report of connection `id`, once the server has seen it close. */
async function closedReport(id: string): Promise<ConnectionReport> {
  return (await (await api('GET', `/connections/${id}/closed`)).json()) as ConnectionReport;
}

/** The server closes connection `id` with a close frame. */
async function serverClose(id: string, code: number, reason: string): Promise<void> {
  await api('POST', `/connections/${id}/close?code=${code}&reason=${encodeURIComponent(reason)}`);
}

/** The server destroys connection `id`'s TCP socket without a close frame. */
async function serverTerminate(id: string): Promise<void> {
  await api('POST', `/connections/${id}/terminate`);
}

/** How an observable ended, with what it emitted. */
type Ending<T> = { values: T[]; end: 'complete' } | { values: T[]; end: 'error'; error: unknown };

/** Subscribes now and records everything; `ended` settles when the observable ends. */
function watch<T>(source: Observable<T>): { values: T[]; ended: Promise<Ending<T>> } {
  const values: T[] = [];
  const ended = new Promise<Ending<T>>((resolve) => {
    source.subscribe({
      next: (value) => values.push(value),
      complete: () => resolve({ values, end: 'complete' }),
      error: (error: unknown) => resolve({ values, end: 'error', error }),
    });
  });
  return { values, ended };
}

/** The platform class of a value, e.g. 'MessageEvent' for a native message event. */
function tag(value: unknown): string {
  return Object.prototype.toString.call(value).slice(8, -1);
}

function closeOf(event: WsCloseEvent): { code: number; reason: string; wasClean: boolean } {
  return { code: event.code, reason: event.reason, wasClean: event.wasClean };
}

/** A text message as it is; a binary one as its platform class, e.g. '[Blob]', which no expected text matches. */
function textOf(data: MessageData): string {
  return typeof data === 'string' ? data : `[${tag(data)}]`;
}

async function bytesOf(data: MessageData): Promise<number[]> {
  if (tag(data) === 'Blob') return [...new Uint8Array(await (data as Blob).arrayBuffer())];
  if (tag(data) === 'ArrayBuffer') return [...new Uint8Array(data as ArrayBuffer)];
  throw new Error(`expected a Blob or an ArrayBuffer, got ${tag(data)}`);
}

const sockets: RxWebSocket[] = [];

/** `WebSocket(url, options)` on the browser's own WebSocket; closed after the test if still open. */
function connect(url: string, options?: { binaryType?: string }): RxWebSocket {
  const ws = WebSocket(url, options);
  sockets.push(ws);
  return ws;
}

/** A socket on `url` with its subject face and error$ watched and its close awaited from the start, once open. */
async function openWatched(url: string) {
  const ws = connect(url);
  const face = watch(ws);
  const errors = watch(ws.error$);
  const closed = firstValueFrom(ws.close$);
  await firstValueFrom(ws.open$);
  return { ws, face, errors, closed };
}

afterEach(async () => {
  for (const ws of sockets.splice(0)) {
    ws.close();
    await lastValueFrom(ws.close$, { defaultValue: undefined });
  }
});

describe("Chromium's own WebSocket", () => {
  it('is there: supported is true, and a socket made without WebSocketCtor is the native one', async () => {
    const userAgent = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ?? '';
    expect(userAgent).toMatch(/Chrome\/\d+/);
    expect(supported).toBe(true);
    const NativeWebSocket = (globalThis as { WebSocket?: unknown }).WebSocket;
    expect(typeof NativeWebSocket).toBe('function');
    expect(Function.prototype.toString.call(NativeWebSocket)).toContain('[native code]');

    const { id, url } = target();
    const ws = connect(url);
    // The DOM's default binaryType ('ws' in Node says 'nodebuffer').
    expect(ws.binaryType).toBe('blob');
    expect(ws.url).toBe(url);
    const opened = await firstValueFrom(ws.open$);
    expect(tag(opened)).toBe('Event');
    expect((await report(id)).path).toBe(`/echo?id=${id}`);
  });
});

describe('the seed flow in Chromium: bind open/message/close, send on open, echo, close', () => {
  it('gives each handler one native event, echoes the text, and the server sees close 1000', async () => {
    const { id, url } = target();
    const ws = connect(url);
    expect(ws).toBeInstanceOf(RxWebSocket);
    expect([ws.state, ws.readyState]).toEqual(['connecting', ws.CONNECTING]);

    const { calls, closeEvent } = await seedFlow(ws, 'Hello');
    expect(calls.map((call) => `${call.evt}:${call.args.length}`)).toEqual(['open:1', 'message:1', 'close:1']);
    const [openEvent, messageEvent] = calls.map((call) => call.args[0]) as [WsEvent, WsMessageEvent];
    expect([tag(openEvent), openEvent.type]).toEqual(['Event', 'open']);
    expect([tag(messageEvent), messageEvent.type, messageEvent.data]).toEqual(['MessageEvent', 'message', 'Hello']);
    expect([tag(closeEvent), closeEvent.type]).toEqual(['CloseEvent', 'close']);
    expect(closeOf(closeEvent)).toEqual({ code: 1000, reason: '', wasClean: true });
    expect([ws.state, ws.readyState]).toEqual(['closed', ws.CLOSED]);

    const server = await closedReport(id);
    expect(server.received).toEqual([{ binary: false, text: 'Hello' }]);
    expect(server.closed).toEqual({ code: 1000, reason: '' });
  });

  it('runs the handlers of an event in bind order, a function bound twice twice', async () => {
    const { url } = target();
    const log: string[] = [];
    const ws = connect(url);
    const twice = (evt: WsMessageEvent): number => log.push(`twice:${textOf(evt.data)}`);
    ws.bind('message', (evt) => log.push(`a:${textOf(evt.data)}`))
      .bind('message', twice)
      .bind('message', (evt) => log.push(`b:${textOf(evt.data)}`))
      .bind('message', twice);
    ws.bind('open', () => {
      ws.send('1');
      ws.send('2');
    });
    const messages = lastValueFrom(ws.message$.pipe(toArray()));
    ws.bind('message', (evt) => {
      if (evt.data === '2') ws.close();
    });

    expect((await messages).map((evt) => evt.data)).toEqual(['1', '2']);
    expect(log).toEqual(['a:1', 'twice:1', 'b:1', 'twice:1', 'a:2', 'twice:2', 'b:2', 'twice:2']);
  });

  it('queues sends made while connecting and flushes them in order right after the open handlers', async () => {
    const { id, url } = target();
    const log: string[] = [];
    const ws = connect(url);
    expect([ws.send('queued 1'), ws.send('queued 2'), ws.queued]).toEqual([false, false, 2]);
    ws.bind('open', () => {
      log.push(`open handler: ${ws.queued} queued`);
      log.push(`send from the handler: ${String(ws.send('from the open handler'))}`);
    });
    ws.bind('open', () => log.push(`second open handler: ${ws.queued} queued`));
    const echoes = lastValueFrom(ws.message$.pipe(toArray()));
    ws.bind('message', (evt) => {
      if (evt.data === 'queued 2') ws.close();
    });

    expect((await echoes).map((evt) => evt.data)).toEqual(['from the open handler', 'queued 1', 'queued 2']);
    expect(log).toEqual(['open handler: 2 queued', 'send from the handler: true', 'second open handler: 2 queued']);
    expect(ws.queued).toBe(0);
    expect((await closedReport(id)).received).toEqual([
      { binary: false, text: 'from the open handler' },
      { binary: false, text: 'queued 1' },
      { binary: false, text: 'queued 2' },
    ]);
  });
});

describe('closing in Chromium', () => {
  it('close(4001, "bye") reaches the server as given, and comes back clean', async () => {
    const { id, url } = target();
    const ws = connect(url);
    const face = watch(ws);
    const closed = firstValueFrom(ws.close$);
    ws.bind('open', () => ws.close(4001, 'bye'));

    expect(closeOf(await closed)).toEqual({ code: 4001, reason: 'bye', wasClean: true });
    expect((await closedReport(id)).closed).toEqual({ code: 4001, reason: 'bye' });
    expect(await face.ended).toEqual({ values: [], end: 'complete' });
  });

  it('close() while connecting: a close event, no error$ (the native error is expected), and the face completes', async () => {
    // Chromium's own socket, closed while connecting, fires error then close 1006.
    const NativeWebSocket = (globalThis as { WebSocket?: unknown }).WebSocket as new (url: string) => {
      close(): void;
      addEventListener(type: string, listener: (event: { type: string; code?: number }) => void): void;
    };
    const native = new NativeWebSocket(target().url);
    const nativeEvents = await new Promise<string[]>((resolve) => {
      const seen: string[] = [];
      native.addEventListener('error', (event) => seen.push(event.type));
      native.addEventListener('close', (event) => resolve([...seen, `${event.type} ${String(event.code)}`]));
      native.close();
    });
    expect(nativeEvents).toEqual(['error', 'close 1006']);

    const { url } = target();
    const ws = connect(url);
    const errors = watch(ws.error$);
    const closes = watch(ws.close$);
    const opens = watch(ws.open$);
    const face = watch(ws);
    expect(ws.readyState).toBe(ws.CONNECTING);

    ws.close();
    expect(ws.state).toBe('closing');

    const { values } = await closes.ended;
    expect(values.map(closeOf)).toEqual([{ code: 1006, reason: '', wasClean: false }]);
    expect(await errors.ended).toEqual({ values: [], end: 'complete' });
    expect(await opens.ended).toEqual({ values: [], end: 'complete' });
    expect(await face.ended).toEqual({ values: [], end: 'complete' });
    expect([ws.state, ws.readyState]).toEqual(['closed', ws.CLOSED]);
  });

  it("a server's close frame reaches close$ with its code and reason, and the subject face completes", async () => {
    const { id, url } = target();
    const { ws, face, errors, closed } = await openWatched(url);
    ws.send('before the close');
    await firstValueFrom(ws.message$);

    await serverClose(id, 4002, 'server says bye');

    expect(closeOf(await closed)).toEqual({ code: 4002, reason: 'server says bye', wasClean: true });
    expect(await face.ended).toEqual({ values: ['before the close'], end: 'complete' });
    expect(await errors.ended).toEqual({ values: [], end: 'complete' });
    expect((await closedReport(id)).closed).toEqual({ code: 4002, reason: 'server says bye' });
  });

  it('an abrupt drop by the server gives 1006 and CloseError on the subject face (Chromium fires no error event)', async () => {
    const { id, url } = target();
    const { face, errors, closed } = await openWatched(url);

    await serverTerminate(id);

    expect(closeOf(await closed)).toEqual({ code: 1006, reason: '', wasClean: false });
    const ending = await face.ended;
    expect(ending.end).toBe('error');
    const error = (ending as { error: unknown }).error;
    expect(error).toBeInstanceOf(CloseError);
    expect(error).toMatchObject({ code: 'ERR_WS_CLOSED', closeCode: 1006, reason: '', wasClean: false });
    expect(await errors.ended).toEqual({ values: [], end: 'complete' });
  });

  it('send() while closing and after the close throws ERR_WS_INVALID_STATE, and nothing reaches the server', async () => {
    const { id, url } = target();
    const ws = connect(url);
    await firstValueFrom(ws.open$);
    ws.close();

    const whileClosing = thrownBy(() => ws.send('while closing'));
    expect(isWebSocketError(whileClosing) && whileClosing.code).toBe('ERR_WS_INVALID_STATE');
    expect((whileClosing as Error).message).toMatch(/\bclosing\b/);

    await lastValueFrom(ws.close$);
    const afterClose = thrownBy(() => ws.send('after the close'));
    expect(isWebSocketError(afterClose) && afterClose.code).toBe('ERR_WS_INVALID_STATE');
    expect((afterClose as Error).message).toMatch(/\bclosed\b/);

    expect(await closedReport(id)).toEqual({
      path: `/echo?id=${id}`,
      received: [],
      closed: { code: 1000, reason: '' },
    });
  });

  it('after the final close every stream has completed, and state$ went connecting, open, closing, closed', async () => {
    const { url } = target();
    const ws = connect(url);
    const streams = {
      open$: watch(ws.open$),
      message$: watch(ws.message$),
      error$: watch(ws.error$),
      close$: watch(ws.close$),
      state$: watch<SocketState>(ws.state$),
      face: watch(ws),
    };
    ws.bind('open', () => ws.send('only one'));
    ws.bind('message', () => ws.close());

    const endings = Object.fromEntries(
      await Promise.all(
        Object.entries(streams).map(async ([name, stream]) => [name, (await stream.ended).end] as const),
      ),
    );
    expect(endings).toEqual({
      open$: 'complete',
      message$: 'complete',
      error$: 'complete',
      close$: 'complete',
      state$: 'complete',
      face: 'complete',
    });
    expect(streams.state$.values).toEqual(['connecting', 'open', 'closing', 'closed']);
    expect(streams.face.values).toEqual(['only one']);
    expect(streams.open$.values.map((event) => event.type)).toEqual(['open']);
    expect(streams.message$.values.map((event) => event.data)).toEqual(['only one']);
    expect(streams.close$.values.map(closeOf)).toEqual([{ code: 1000, reason: '', wasClean: true }]);
    expect(streams.error$.values).toEqual([]);
    // A late subscriber is completed at once.
    expect(await lastValueFrom(ws.close$.pipe(toArray()))).toEqual([]);
  });
});

describe('binary data in Chromium', () => {
  it("with binaryType 'arraybuffer', binary comes back as ArrayBuffers with the bytes sent", async () => {
    const { id, url } = target();
    const ws = connect(url, { binaryType: 'arraybuffer' });
    expect(ws.binaryType).toBe('arraybuffer');
    const messages = lastValueFrom(ws.message$.pipe(toArray()));
    ws.bind('open', () => {
      ws.send(new Uint8Array([0, 1, 2, 255]));
      ws.send(new Uint8Array([9, 8, 7]).buffer);
      ws.send(new Blob([new Uint8Array([42, 43])]));
      ws.send('text stays text');
    });
    let count = 0;
    ws.bind('message', () => {
      if (++count === 4) ws.close();
    });

    const data = (await messages).map((evt) => evt.data);
    expect(data.map(tag)).toEqual(['ArrayBuffer', 'ArrayBuffer', 'ArrayBuffer', 'String']);
    expect(await Promise.all(data.slice(0, 3).map(bytesOf))).toEqual([
      [0, 1, 2, 255],
      [9, 8, 7],
      [42, 43],
    ]);
    expect(data[3]).toBe('text stays text');
    expect((await closedReport(id)).received).toEqual([
      { binary: true, bytes: [0, 1, 2, 255] },
      { binary: true, bytes: [9, 8, 7] },
      { binary: true, bytes: [42, 43] },
      { binary: false, text: 'text stays text' },
    ]);
  });

  it("with binaryType 'blob', binary comes back as Blobs with the bytes sent", async () => {
    const { id, url } = target();
    const ws = connect(url, { binaryType: 'blob' });
    const face = watch(ws);
    ws.bind('open', () => {
      ws.send(new Uint8Array([255, 0, 128]));
      ws.send(new Blob([new Uint8Array([1]), new Uint8Array([2, 3])]));
    });
    let count = 0;
    ws.bind('message', () => {
      if (++count === 2) ws.close();
    });

    const ending = await face.ended;
    expect(ending.end).toBe('complete');
    expect(ending.values.map(tag)).toEqual(['Blob', 'Blob']);
    expect(await Promise.all(ending.values.map(bytesOf))).toEqual([
      [255, 0, 128],
      [1, 2, 3],
    ]);
    expect((await closedReport(id)).received).toEqual([
      { binary: true, bytes: [255, 0, 128] },
      { binary: true, bytes: [1, 2, 3] },
    ]);
  });
});

describe('URLs in Chromium', () => {
  it('maps an http: URL to ws: before connecting, and the connection works', async () => {
    const { id } = target();
    const httpTarget = `${httpUrl}/mapped?id=${id}`;
    const ws = connect(httpTarget);
    expect(ws.url).toBe(`${wsUrl}/mapped?id=${id}`);
    const echoed = firstValueFrom(ws.message$);
    ws.bind('open', () => ws.send('via http:'));

    expect((await echoed).data).toBe('via http:');
    ws.close();
    expect(await closedReport(id)).toEqual({
      path: `/mapped?id=${id}`,
      received: [{ binary: false, text: 'via http:' }],
      closed: { code: 1000, reason: '' },
    });
  });
});
