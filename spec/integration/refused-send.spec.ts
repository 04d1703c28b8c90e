/**
 * A message the native socket refuses. Up front where the package can tell (a detached
 * buffer, an object whose `Symbol.toStringTag` lies); otherwise from the native `send()` itself:
 * thrown to the caller of `send()`, or, for a queued message refused while the queue goes out
 * at open, reported on `error$`, after which the rest of the queue still goes out, in order,
 * exactly once. Nothing escapes as an uncaught exception (with `ws`, it used to throw inside
 * `ws`'s own open listener and end the process), and the refused data is kept on the error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import { RxWebSocket, SendError, type WsEvent } from '../../src/index.js';
import type { WebSocketError } from '../../src/errors.js';
import { FakeWebSocket } from '../../src/testing/index.js';
import { thrown } from '../helpers/thrown.js';
import { startEchoServer, type EchoServer, type ServerConnection } from './server.js';
import { instanceOf } from '../helpers/instance-of.js';

/** Detaches `buffer`, as a transfer to a worker would. */
function transfer(buffer: ArrayBuffer): void {
  structuredClone(buffer, { transfer: [buffer] });
}

/** Resolves once the server has received `count` messages on `connection`. */
async function received(connection: ServerConnection, count: number): Promise<string[]> {
  while (connection.received.length < count) {
    await new Promise((resolve) => connection.socket.once('message', resolve));
  }
  return connection.received.map((m) => (m.binary ? `<${m.data.length} bytes>` : m.data));
}

describe('with ws, against a real server', () => {
  let server: EchoServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('a queued buffer transferred away before open is reported on error$ with its data; the rest goes out in order, once', async () => {
    server = await startEchoServer();
    const ws = new RxWebSocket(server.url, { WebSocketCtor: WsWebSocket });
    const errors: (WsEvent | WebSocketError)[] = [];
    ws.error$.subscribe((error) => errors.push(error));
    const buf = new Uint8Array([1, 2, 3]).buffer;
    expect(ws.send('a')).toBe(false);
    expect(ws.send(buf)).toBe(false);
    expect(ws.send('b')).toBe(false);
    transfer(buf);
    const connection = await server.nextConnection();
    expect(await received(connection, 2)).toEqual(['a', 'b']);
    expect(ws.state).toBe('open');
    expect(ws.queued).toBe(0);
    expect(errors).toHaveLength(1);
    const error = errors[0] as SendError;
    expect(error).toBeInstanceOf(SendError);
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.data).toBe(buf);
    expect(error.message).toContain('error.data');
    // A later send goes after 'b', and 'b' went exactly once.
    expect(ws.send('c')).toBe(true);
    expect(await received(connection, 3)).toEqual(['a', 'b', 'c']);
    ws.close();
  });

  it('a detached buffer or a view of one, sent while open, is refused up front with the data kept', async () => {
    server = await startEchoServer();
    const ws = new RxWebSocket(server.url, { WebSocketCtor: WsWebSocket });
    await new Promise<void>((resolve) => ws.bind('open', () => resolve()));
    const buf = new ArrayBuffer(8);
    const view = new Uint16Array(buf);
    transfer(buf);
    for (const data of [buf, view]) {
      const error = thrown(() => ws.send(data));
      expect(error).toBeInstanceOf(SendError);
      expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
      expect(instanceOf(error, SendError).data).toBe(data);
      expect(error.message).toContain('detached');
    }
    // An empty buffer that was never transferred is fine.
    expect(ws.send(new ArrayBuffer(0))).toBe(true);
    ws.send('after');
    const connection = await server.nextConnection();
    expect(await received(connection, 2)).toEqual(['<0 bytes>', 'after']);
    ws.close();
  });
});

describe('objects that only claim to be binary data', () => {
  it.each(['ArrayBuffer', 'Blob', 'SharedArrayBuffer', 'File'])(
    'a Symbol.toStringTag of %s is refused with ERR_WS_INVALID_ARGUMENT',
    (tag) => {
      FakeWebSocket.reset();
      const ws = new RxWebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
      FakeWebSocket.last.open();
      const liar = { [Symbol.toStringTag]: tag, byteLength: 3, size: 3 };
      const error = thrown(() => ws.send(liar as never));
      expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
      expect(FakeWebSocket.last.sent).toEqual([]);
    },
  );
});

describe('a native socket that throws from send()', () => {
  /** Refuses the string 'poison', as a runtime may refuse data it cannot take. */
  class Picky extends FakeWebSocket {
    override send(data: Parameters<FakeWebSocket['send']>[0]): void {
      if (data === 'poison') throw new TypeError('this socket cannot take that');
      super.send(data);
    }
  }

  it('while open: send() throws a SendError with the data and the native error as cause', () => {
    FakeWebSocket.reset();
    const ws = new RxWebSocket('ws://test/', { WebSocketCtor: Picky });
    FakeWebSocket.last.open();
    const error = thrown(() => ws.send('poison'));
    expect(error).toBeInstanceOf(SendError);
    expect(instanceOf(error, SendError).data).toBe('poison');
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(error.message).toContain('this socket cannot take that');
    expect(ws.send('fine')).toBe(true);
    expect(FakeWebSocket.last.sent).toEqual(['fine']);
  });

  it('from the queue: each refused message is on error$, the others go out in order, the state is open', () => {
    FakeWebSocket.reset();
    const ws = new RxWebSocket('ws://test/', { WebSocketCtor: Picky });
    const errors: unknown[] = [];
    ws.error$.subscribe((e) => errors.push(e));
    for (const m of ['1', 'poison', '2', 'poison', '3']) ws.send(m);
    FakeWebSocket.last.open();
    expect(FakeWebSocket.last.sent).toEqual(['1', '2', '3']);
    expect(errors.map((e) => (e as SendError).data)).toEqual(['poison', 'poison']);
    expect(ws.queued).toBe(0);
    expect(ws.state).toBe('open');
  });

  it('a URL that may hold credentials: the native message is left out, and no cause', () => {
    FakeWebSocket.reset();
    const ws = new RxWebSocket('ws://user:secret@test/', { WebSocketCtor: Picky });
    FakeWebSocket.last.open();
    const error = thrown(() => ws.send('poison'));
    expect(error.message).not.toContain('cannot take');
    expect(error.cause).toBeUndefined();
  });

  it('a handler of the refusal that closes the socket stops the flush; what is left stays queued', () => {
    FakeWebSocket.reset();
    const ws = new RxWebSocket('ws://test/', { WebSocketCtor: Picky });
    ws.bind('error', () => ws.close());
    for (const m of ['1', 'poison', '2']) ws.send(m);
    FakeWebSocket.last.open();
    expect(FakeWebSocket.last.sent).toEqual(['1']);
    expect(ws.drainQueue()).toEqual(['2']);
  });
});
