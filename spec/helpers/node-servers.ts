/**
 * The plumbing of the spec servers (Node only; the browser project's report server uses it
 * from its globalSetup, in Node): listening on 127.0.0.1 and a free port, keeping the TCP
 * sockets so that `close()` can end them, and a `ws` server on an HTTP server.
 */
import { createServer, type RequestListener, type Server as HttpServer } from 'node:http';
import type { AddressInfo, Server, Socket } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket as ServerSocket } from 'ws';
import type { Connections } from './deferred.js';

/** What every spec server has: where it listens, and a `close()` that may be called again. */
export interface LocalServer {
  /** `ws://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Ends every connection, then stops listening. Idempotent. */
  close(): Promise<void>;
}

/** A server's public face: its address, `close`, and the connections `log` tells of. */
export function served<C, E>(
  port: number,
  close: () => Promise<void>,
  log: Connections<C, E>,
): LocalServer & Connections<C, E> {
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    close,
    connections: log.connections,
    connection: log.connection,
    closeOf: log.closeOf,
  };
}

/** Listens on 127.0.0.1 and `port` (by default 0: a free one, never a fixed one); resolves with the port. */
export async function listen(server: Server | HttpServer, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Keeps every TCP socket of `server`, so that `close()` can end them. */
export function trackSockets(server: Server | HttpServer): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

/** An idempotent `close()`: runs `before`, destroys every socket, then closes `server`. */
export function closer(
  server: Server | HttpServer,
  sockets: Set<Socket>,
  before: () => void = () => undefined,
): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= new Promise<void>((resolve, reject) => {
      before();
      for (const socket of sockets) socket.destroy();
      server.close((error) => (error ? reject(error) : resolve()));
    });
    return closing;
  };
}

/** A message as `ws` hands it to a server, as one Buffer. */
export function bufferOf(raw: RawData): Buffer {
  return Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw as Buffer);
}

/** Echoes each message back as it came, text as text and binary as binary, once `record` has seen it. */
export function echo(socket: ServerSocket, record: (data: Buffer, isBinary: boolean) => void): void {
  socket.on('message', (raw: RawData, isBinary: boolean) => {
    const data = bufferOf(raw);
    record(data, isBinary);
    socket.send(data, { binary: isBinary });
  });
}

/** Answers a plain HTTP request to a WebSocket-only server. */
const upgradeRequired: RequestListener = (_request, response) => {
  response.writeHead(426, { 'content-type': 'text/plain' }).end('this server only speaks WebSocket\n');
};

export interface WsOverHttp {
  readonly http: HttpServer;
  readonly wss: WebSocketServer;
  /** Terminates every client, destroys every TCP socket, then closes both servers. Idempotent. */
  readonly close: () => Promise<void>;
}

/**
 * A `ws` server on an HTTP server that answers other requests with `onRequest` (426 by
 * default), not yet listening. Every WebSocket connection gets an 'error' listener: a socket
 * error (an ECONNRESET after a terminate) then ends in 'close', instead of being thrown in
 * the test process.
 */
export function wsOverHttp(onRequest: RequestListener = upgradeRequired): WsOverHttp {
  const http = createServer(onRequest);
  const sockets = trackSockets(http);
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (socket) => socket.on('error', () => undefined));
  const close = closer(http, sockets, () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
  });
  return { http, wss, close };
}
