/**
 * A real `ws` echo server for the integration specs: one per test, on 127.0.0.1 and port 0
 * (or a given port, to restart a server where a closed one was), closed in `afterEach`. It
 * echoes text as text and binary as binary, records per connection what it received and how
 * the connection closed, and can close, terminate or reset a connection.
 * Every wait is a promise resolved from an event: nothing polls.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket as ServerSocket } from 'ws';
import { deferred, type Deferred } from '../helpers/deferred.js';

/** One message as the server received it. */
export type Received = { readonly binary: false; readonly data: string } | { readonly binary: true; readonly data: Buffer };

/** How a connection ended, as the server saw it (`ws`'s server-side `close` event). */
export interface ServerClose {
  readonly code: number;
  readonly reason: string;
}

/** One accepted WebSocket connection. */
export interface ServerConnection {
  /** 0 for the first connection of this server, then 1, 2, ... */
  readonly index: number;
  /** The request path and query of the handshake (`/chat?x=1`). */
  readonly path: string;
  /** The server-side `ws` socket. */
  readonly socket: ServerSocket;
  /** Every message received, in order. */
  readonly received: Received[];
  /** Set when the connection has closed. */
  closed: ServerClose | undefined;
  /** Sends a close frame with `code` and `reason` (a clean, server-initiated close). */
  close(code: number, reason: string): void;
  /** Destroys the TCP socket without a close frame (an abrupt end: the client sees 1006). */
  terminate(): void;
  /** Resets the TCP connection (an RST, not a FIN): the most abrupt end there is. */
  reset(): void;
}

export interface EchoServer {
  /** `ws://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The connections accepted so far, in order. */
  readonly connections: readonly ServerConnection[];
  /**
   * The first connection not yet handed out by an earlier call: resolves at once when it has
   * already arrived, else on its arrival. So `nextConnection()` may be called before or after
   * the client connects without a race.
   */
  nextConnection(): Promise<ServerConnection>;
  /** Resolves when connection `index` (0-based) has arrived. */
  connection(index: number): Promise<ServerConnection>;
  /** Resolves with how connection `index` closed, once the server has seen it close. */
  closeOf(index: number): Promise<ServerClose>;
  /** Terminates every client and socket, then closes the server. Idempotent. */
  close(): Promise<void>;
}

/** Options of `startEchoServer`. */
export interface EchoServerOptions {
  /** The port to listen on; 0 (the default) lets the system pick a free one. */
  readonly port?: number;
}

export async function startEchoServer(options: EchoServerOptions = {}): Promise<EchoServer> {
  const http = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('this server only speaks WebSocket\n');
  });
  const sockets = new Set<Socket>();
  http.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const wss = new WebSocketServer({ server: http });
  const connections: ServerConnection[] = [];
  const arrivals: Deferred<ServerConnection>[] = [];
  const closes: Deferred<ServerClose>[] = [];
  const slot = <T>(list: Deferred<T>[], index: number): Deferred<T> => {
    while (list.length <= index) list.push(deferred<T>());
    return list[index]!;
  };
  let handedOut = 0;

  wss.on('connection', (socket: ServerSocket, request: IncomingMessage) => {
    const index = connections.length;
    const connection: ServerConnection = {
      index,
      path: request.url ?? '',
      socket,
      received: [],
      closed: undefined,
      close: (code, reason) => socket.close(code, reason),
      terminate: () => socket.terminate(),
      reset: () => request.socket.resetAndDestroy(),
    };
    socket.on('message', (raw: RawData, isBinary: boolean) => {
      const data = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw as Buffer);
      if (isBinary) {
        connection.received.push({ binary: true, data });
        socket.send(data, { binary: true });
      } else {
        const text = data.toString('utf8');
        connection.received.push({ binary: false, data: text });
        socket.send(text);
      }
    });
    socket.on('close', (code: number, reason: Buffer) => {
      const closed = { code, reason: reason.toString('utf8') };
      connection.closed = closed;
      slot(closes, index).resolve(closed);
    });
    // A socket error (e.g. ECONNRESET after a terminate) ends in 'close'; without a listener
    // it would be an uncaught exception in the test process.
    socket.on('error', () => undefined);
    connections.push(connection);
    slot(arrivals, index).resolve(connection);
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    connections,
    nextConnection: () => slot(arrivals, handedOut++).promise,
    connection: (index) => slot(arrivals, index).promise,
    closeOf: async (index) => {
      await slot(arrivals, index).promise;
      return slot(closes, index).promise;
    },
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        for (const client of wss.clients) client.terminate();
        for (const socket of sockets) socket.destroy();
        wss.close();
        http.close((error) => (error ? reject(error) : resolve()));
      });
      return closing;
    },
  };
}
