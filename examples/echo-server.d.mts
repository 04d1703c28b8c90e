// Types of echo-server.mjs (plain JavaScript, run by Node as it is), for the specs that use it.
import type { Server } from 'node:http';
import type { WebSocketServer } from 'ws';

export interface EchoServerOptions {
  /** The port; 0 (the default) picks a free one. */
  port?: number;
  /** The address to listen on; loopback by default. */
  host?: string;
  /** Accept WebSocket upgrades only on this path (e.g. '/echo'); any path when absent. */
  path?: string;
  /** Serve GET/HEAD requests from this folder ('/' is its index.html). */
  staticDir?: string;
  /** More folders to serve, by URL prefix: `{ '/brython/': 'examples/brython' }` (longest prefix wins). */
  mounts?: Record<string, string>;
}

export interface EchoServer {
  url: string;
  httpUrl: string;
  port: number;
  host: string;
  server: Server;
  wss: WebSocketServer;
  /** Ends every connection and stops listening. Idempotent. */
  close(): Promise<void>;
}

export function startEchoServer(options?: EchoServerOptions): Promise<EchoServer>;
