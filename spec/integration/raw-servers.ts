/**
 * Servers that misbehave, for the resilience specs: each on 127.0.0.1 and port 0, closed when
 * the test ends, and every wait a promise resolved from an event.
 *
 * - `startSilentServer()`: accepts TCP and reads, but never answers the WebSocket handshake.
 * - `startPongServer(answers)`: a `ws` server that answers 'ping' with 'pong' for a while, then
 *   goes silent while keeping the connection open.
 */
import { createServer as createNetServer } from 'node:net';
import type { RawData, WebSocket as ServerSocket } from 'ws';
import { connectionLog, type Connections } from '../helpers/deferred.js';
import {
  bufferOf,
  closer,
  listen,
  served,
  trackSockets,
  wsOverHttp,
  type LocalServer,
} from '../helpers/node-servers.js';
import type { ServerClose } from './server.js';

/** One TCP connection to the silent server. */
export interface SilentConnection {
  readonly index: number;
  /** Everything the client wrote (its HTTP upgrade request), as latin1 text. */
  readonly received: () => string;
}

/** `closeOf(index)` resolves when TCP connection `index` has closed (the client let it go). */
export type SilentServer = LocalServer & Connections<SilentConnection, void>;

/** A TCP server that accepts connections and reads them, and never writes a byte. */
export async function startSilentServer(): Promise<SilentServer> {
  const log = connectionLog<SilentConnection>();
  const server = createNetServer((socket) => {
    const index = log.connections.length;
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The client's abort may reset the connection: an error without a listener would throw.
    socket.on('error', () => undefined);
    socket.once('close', () => log.ended(index, undefined));
    log.arrived(index, { index, received: () => Buffer.concat(chunks).toString('latin1') });
  });
  const close = closer(server, trackSockets(server));
  const port = await listen(server);
  return served(port, close, log);
}

/** One connection to the pong server. */
export interface PongConnection {
  readonly index: number;
  /** Every text message received, in order. */
  readonly received: string[];
  /** How many 'pong's it sent. */
  pongs: number;
}

/** `closeOf(index)` resolves with how connection `index` closed, once the server has seen it close. */
export type PongServer = LocalServer & Connections<PongConnection, ServerClose>;

/**
 * A `ws` server whose connection `i` answers its first `answers[i]` 'ping's with 'pong' (every
 * one past the end of the list), then answers nothing more and keeps the connection open: a
 * peer that has died without the TCP link telling.
 */
export async function startPongServer(answers: readonly number[]): Promise<PongServer> {
  const { http, wss, close } = wsOverHttp();
  const log = connectionLog<PongConnection, ServerClose>();
  wss.on('connection', (socket: ServerSocket) => {
    const index = log.connections.length;
    const budget = answers[index] ?? Infinity;
    const connection: PongConnection = { index, received: [], pongs: 0 };
    socket.on('message', (raw: RawData) => {
      const text = bufferOf(raw).toString('utf8');
      connection.received.push(text);
      if (text === 'ping' && connection.pongs < budget) {
        connection.pongs++;
        socket.send('pong');
      }
    });
    socket.on('close', (code: number, reason: Buffer) => log.ended(index, { code, reason: reason.toString('utf8') }));
    log.arrived(index, connection);
  });
  const port = await listen(http);
  return served(port, close, log);
}
