/**
 * Servers that misbehave, for the resilience specs: each on 127.0.0.1 and port 0, closed in
 * `afterEach`, and every wait a promise resolved from an event.
 *
 * - `startSilentServer()`: accepts TCP and reads, but never answers the WebSocket handshake.
 * - `startPongServer(answers)`: a `ws` server that answers 'ping' with 'pong' for a while, then
 *   goes silent while keeping the connection open.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket as ServerSocket } from 'ws';
import type { ServerClose } from './server.js';
import { slots, listen } from '../helpers/deferred.js';

/** One TCP connection to the silent server. */
export interface SilentConnection {
  readonly index: number;
  /** Everything the client wrote (its HTTP upgrade request), as latin1 text. */
  readonly received: () => string;
}

export interface SilentServer {
  readonly url: string;
  readonly port: number;
  readonly connections: readonly SilentConnection[];
  /** Resolves when TCP connection `index` (0-based) has been accepted. */
  connection(index: number): Promise<SilentConnection>;
  /** Resolves when TCP connection `index` has closed (the client let it go). */
  closeOf(index: number): Promise<void>;
  /** Destroys every socket and closes the server. Idempotent. */
  close(): Promise<void>;
}

/** A TCP server that accepts connections and reads them, and never writes a byte. */
export async function startSilentServer(): Promise<SilentServer> {
  const connections: SilentConnection[] = [];
  const sockets = new Set<Socket>();
  const arrivals = slots<SilentConnection>();
  const closes = slots<void>();
  const server = createNetServer((socket) => {
    const index = connections.length;
    const chunks: Buffer[] = [];
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The client's abort may reset the connection: an error without a listener would throw.
    socket.on('error', () => undefined);
    socket.once('close', () => {
      sockets.delete(socket);
      closes(index).resolve();
    });
    const connection: SilentConnection = { index, received: () => Buffer.concat(chunks).toString('latin1') };
    connections.push(connection);
    arrivals(index).resolve(connection);
  });
  const port = await listen(server);
  let closing: Promise<void> | undefined;
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    connections,
    connection: (index) => arrivals(index).promise,
    closeOf: async (index) => {
      await arrivals(index).promise;
      return closes(index).promise;
    },
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      });
      return closing;
    },
  };
}

/** One connection to the pong server. */
export interface PongConnection {
  readonly index: number;
  /** Every text message received, in order. */
  readonly received: string[];
  /** How many 'pong's it sent. */
  pongs: number;
}

export interface PongServer {
  readonly url: string;
  readonly port: number;
  readonly connections: readonly PongConnection[];
  connection(index: number): Promise<PongConnection>;
  /** Resolves with how connection `index` closed, once the server has seen it close. */
  closeOf(index: number): Promise<ServerClose>;
  close(): Promise<void>;
}

/**
 * A `ws` server whose connection `i` answers its first `answers[i]` 'ping's with 'pong' (every
 * one past the end of the list), then answers nothing more and keeps the connection open: a
 * peer that has died without the TCP link telling.
 */
export async function startPongServer(answers: readonly number[]): Promise<PongServer> {
  const http = createHttpServer((_req, res) => {
    res.writeHead(426).end();
  });
  const sockets = new Set<Socket>();
  http.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const wss = new WebSocketServer({ server: http });
  const connections: PongConnection[] = [];
  const arrivals = slots<PongConnection>();
  const closes = slots<ServerClose>();
  wss.on('connection', (socket: ServerSocket) => {
    const index = connections.length;
    const budget = answers[index] ?? Infinity;
    const connection: PongConnection = { index, received: [], pongs: 0 };
    socket.on('message', (raw: RawData) => {
      const text = (Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw as Buffer)).toString('utf8');
      connection.received.push(text);
      if (text === 'ping' && connection.pongs < budget) {
        connection.pongs++;
        socket.send('pong');
      }
    });
    socket.on('close', (code: number, reason: Buffer) => closes(index).resolve({ code, reason: reason.toString('utf8') }));
    socket.on('error', () => undefined);
    connections.push(connection);
    arrivals(index).resolve(connection);
  });
  const port = await listen(http);
  let closing: Promise<void> | undefined;
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    connections,
    connection: (index) => arrivals(index).promise,
    closeOf: async (index) => {
      await arrivals(index).promise;
      return closes(index).promise;
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
