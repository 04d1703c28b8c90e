/**
 * A real `ws` echo server for the integration specs: one per test, on 127.0.0.1 and port 0
 * (or a given port, to restart a server where a closed one was), closed after the test. It
 * echoes text as text and binary as binary, records per connection what it received and how
 * the connection closed, and can close, terminate or reset a connection; `onConnection` lets
 * a test script what the server does first (send, close, drop).
 * Every wait is a promise resolved from an event: nothing polls.
 */
import type { IncomingMessage } from 'node:http';
import type { WebSocket as ServerSocket } from 'ws';
import { connectionLog, type Connections } from '../helpers/deferred.js';
import { echo, listen, served, wsOverHttp, type LocalServer } from '../helpers/node-servers.js';

/** One message as the server received it. */
export type Received =
  { readonly binary: false; readonly data: string } | { readonly binary: true; readonly data: Buffer };

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

export interface EchoServer extends LocalServer, Connections<ServerConnection, ServerClose> {
  /**
   * The first connection not yet handed out by an earlier call: resolves at once when it has
   * already arrived, else on its arrival. So `nextConnection()` may be called before or after
   * the client connects without a race.
   */
  nextConnection(): Promise<ServerConnection>;
}

/** Options of `startEchoServer`. */
export interface EchoServerOptions {
  /** The port to listen on; 0 (the default) lets the system pick a free one. */
  readonly port?: number;
  /** Runs for each connection as it arrives (to send, close or terminate at once), before any echo. */
  readonly onConnection?: (connection: ServerConnection) => void;
}

export async function startEchoServer(options: EchoServerOptions = {}): Promise<EchoServer> {
  const { http, wss, close } = wsOverHttp();
  const log = connectionLog<ServerConnection, ServerClose>();
  let handedOut = 0;

  wss.on('connection', (socket: ServerSocket, request: IncomingMessage) => {
    const index = log.connections.length;
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
    echo(socket, (data, isBinary) =>
      connection.received.push(isBinary ? { binary: true, data } : { binary: false, data: data.toString('utf8') }),
    );
    socket.on('close', (code: number, reason: Buffer) => {
      const closed = { code, reason: reason.toString('utf8') };
      connection.closed = closed;
      log.ended(index, closed);
    });
    log.arrived(index, connection);
    options.onConnection?.(connection);
  });

  const port = await listen(http, options.port);
  return { ...served(port, close, log), nextConnection: () => log.connection(handedOut++) };
}
