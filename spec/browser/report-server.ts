/**
 * The server the browser specs talk to (it runs in Node, started by ./global-setup.ts): a
 * `ws` echo server on 127.0.0.1 and port 0, plus a small HTTP API on the same port through
 * which a test in the browser learns what the server saw and makes the server act.
 *
 * A test connects to `ws://127.0.0.1:<port>/<any path>?id=<id>` with an id of its own, and
 * then calls (CORS-enabled, so the page on vitest's origin may fetch them):
 *
 * - `GET  /connections/<id>`           the report of that connection, once it has arrived;
 * - `GET  /connections/<id>/closed`    the report, once the server has seen the connection close;
 * - `POST /connections/<id>/close?code=4002&reason=why`  the server sends a close frame;
 * - `POST /connections/<id>/terminate` the server destroys the TCP socket (no close frame).
 *
 * Each request waits for the event it names, so the browser never polls or sleeps. Text is
 * echoed as text and binary as binary.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket as ServerSocket } from 'ws';
import { deferred, type Deferred } from '../helpers/deferred.js';
import { echo, listen, wsOverHttp } from '../helpers/node-servers.js';

/** One message as the server received it: text, or binary as its bytes. */
export type ReceivedMessage =
  { readonly binary: false; readonly text: string } | { readonly binary: true; readonly bytes: number[] };

/** What the server knows of one connection, as JSON. */
export interface ConnectionReport {
  /** The handshake's request path, query included. */
  readonly path: string;
  /** Every message received, in order. */
  readonly received: ReceivedMessage[];
  /** How the connection closed as the server saw it, or null while it is open. */
  closed: { readonly code: number; readonly reason: string } | null;
}

export interface ReportServer {
  /** `ws://127.0.0.1:<port>` */
  readonly wsUrl: string;
  /** `http://127.0.0.1:<port>` */
  readonly httpUrl: string;
  /** Ends every connection and request, then stops listening. Idempotent. */
  close(): Promise<void>;
}

interface Entry {
  readonly arrived: Deferred<{ socket: ServerSocket; report: ConnectionReport }>;
  readonly closed: Deferred<ConnectionReport>;
}

const CORS = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' };

function reply(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status, CORS).end();
    return;
  }
  res.writeHead(status, { ...CORS, 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

export async function startReportServer(): Promise<ReportServer> {
  const entries = new Map<string, Entry>();
  const entry = (id: string): Entry => {
    let found = entries.get(id);
    if (found === undefined) {
      found = { arrived: deferred(), closed: deferred() };
      entries.set(id, found);
    }
    return found;
  };

  const server = wsOverHttp((req, res) => {
    void route(req, res).catch((error: unknown) => {
      if (!res.headersSent) reply(res, 500, { error: error instanceof Error ? error.message : String(error) });
      else res.end();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/connections\/([^/]+)(?:\/(closed|close|terminate))?$/.exec(url.pathname);
    if (match === null) {
      reply(res, 404, { error: `no route for ${req.method} ${url.pathname}` });
      return;
    }
    const id = decodeURIComponent(match[1]!);
    const action = match[2];
    const method = action === 'close' || action === 'terminate' ? 'POST' : 'GET';
    if (req.method !== method) {
      reply(res, 405, { error: `use ${method} for ${url.pathname}` });
      return;
    }
    const { socket, report } = await entry(id).arrived.promise;
    switch (action) {
      case undefined:
        reply(res, 200, report);
        return;
      case 'closed':
        reply(res, 200, await entry(id).closed.promise);
        return;
      case 'close':
        socket.close(Number(url.searchParams.get('code')), url.searchParams.get('reason') ?? '');
        reply(res, 204);
        return;
      case 'terminate':
        socket.terminate();
        reply(res, 204);
        return;
    }
  }

  server.wss.on('connection', (socket: ServerSocket, request: IncomingMessage) => {
    const path = request.url ?? '/';
    const id = new URL(path, 'http://127.0.0.1').searchParams.get('id');
    const report: ConnectionReport = { path, received: [], closed: null };
    const current = id === null ? undefined : entry(id);
    echo(socket, (data, isBinary) =>
      report.received.push(
        isBinary ? { binary: true, bytes: [...data] } : { binary: false, text: data.toString('utf8') },
      ),
    );
    socket.on('close', (code: number, reason: Buffer) => {
      report.closed = { code, reason: reason.toString('utf8') };
      current?.closed.resolve(report);
    });
    current?.arrived.resolve({ socket, report });
  });

  const port = await listen(server.http);
  return { wsUrl: `ws://127.0.0.1:${port}`, httpUrl: `http://127.0.0.1:${port}`, close: () => server.close() };
}
