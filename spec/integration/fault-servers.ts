/**
 * Servers that fail a WebSocket client in the ways the fault specs need, each on 127.0.0.1 and
 * port 0, closed when the test ends, every wait a promise resolved from an event:
 *
 * - `startStatusServer(status)`: a plain `http` server (no WebSocket code at all) that answers
 *   every request, the upgrade request included, with `status`.
 * - `closedPort()`: a port that was listened on and has just been closed (connection refused).
 * - `startPlainWsServer()`: a plain-TCP `ws` server, for a `wss:` URL pointed at it.
 * - `startTruncatingServer()`: a raw TCP server that completes the WebSocket handshake by hand,
 *   sends one whole text message, then a frame header announcing more bytes than follow, and
 *   destroys the socket in the middle of that message.
 */
import { createHash } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { connectionLog, slots, type Connections } from '../helpers/deferred.js';
import { closer, listen, served, trackSockets, wsOverHttp, type LocalServer } from '../helpers/node-servers.js';

/** A request as the status server saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  /** The `Upgrade` header: `'websocket'` for a WebSocket handshake. */
  readonly upgrade: string | undefined;
  /** The `Authorization` header, when the client sent one (credentials in the URL). */
  readonly authorization?: string | undefined;
}

export interface StatusServer extends LocalServer {
  /** Every request received, in order. */
  readonly requests: readonly SeenRequest[];
  /** Resolves when request `index` (0-based) has been answered. */
  answered(index: number): Promise<SeenRequest>;
}

/**
 * A plain HTTP server that answers every request with `status` and a short body. Node hands an
 * upgrade request to the request handler when no 'upgrade' listener exists, so the WebSocket
 * handshake gets this answer instead of a 101.
 */
export async function startStatusServer(status: number): Promise<StatusServer> {
  const requests: SeenRequest[] = [];
  const answers = slots<SeenRequest>();
  const server = createHttpServer((request, response) => {
    const seen: SeenRequest = {
      method: request.method ?? '',
      url: request.url ?? '',
      upgrade: request.headers.upgrade,
      ...(request.headers.authorization === undefined ? {} : { authorization: request.headers.authorization }),
    };
    const index = requests.length;
    requests.push(seen);
    // No Date header: Node would start a timer to refresh its cached date, and the specs count timers.
    response.sendDate = false;
    response.writeHead(status, { 'content-type': 'text/plain', connection: 'close' });
    response.end(`refused with ${status}\n`, () => answers(index).resolve(seen));
  });
  const close = closer(server, trackSockets(server));
  const port = await listen(server);
  return { url: `ws://127.0.0.1:${port}`, port, requests, answered: (index) => answers(index).promise, close };
}

/** A port on 127.0.0.1 that was free, was listened on, and has just been closed. */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  const port = await listen(server);
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return port;
}

/** Its `url` is a `ws:` one: the test swaps the scheme for `wss:`. */
export interface PlainWsServer extends LocalServer {
  /** How many TCP connections were accepted. */
  readonly tcpConnections: () => number;
  /** The `code` of each HTTP parse error (`clientError`), in order. */
  readonly clientErrors: readonly string[];
  /** How many WebSocket connections were accepted (0 when every client spoke TLS). */
  readonly wsConnections: () => number;
  /** Resolves when the HTTP layer has rejected connection `index`'s bytes. */
  clientError(index: number): Promise<string>;
}

/** A `ws` server over plain TCP (no TLS), that records what the HTTP parser made of each client. */
export async function startPlainWsServer(): Promise<PlainWsServer> {
  const { http, wss, close } = wsOverHttp();
  let tcp = 0;
  http.on('connection', () => tcp++);
  const clientErrors: string[] = [];
  const errors = slots<string>();
  http.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const code = error.code ?? error.message;
    errors(clientErrors.length).resolve(code);
    clientErrors.push(code);
    // As Node's default handler does: answer 400, then end the connection (here with a FIN).
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  let ws = 0;
  wss.on('connection', () => ws++);
  const port = await listen(http);
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    tcpConnections: () => tcp,
    clientErrors,
    wsConnections: () => ws,
    clientError: (index) => errors(index).promise,
    close,
  };
}

/** The GUID of RFC 6455, section 1.3. */
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** `Sec-WebSocket-Accept` for a client's `Sec-WebSocket-Key`. */
function acceptFor(key: string): string {
  return createHash('sha1')
    .update(key + WS_GUID)
    .digest('base64');
}

/** One unmasked server-to-client text frame, whole (payloads under 126 bytes). */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  if (payload.length >= 126) throw new RangeError('textFrame: keep test payloads under 126 bytes');
  return Buffer.concat([Buffer.from([0x81, payload.length]), payload]);
}

/** One connection to the truncating server. */
export interface TruncatedConnection {
  readonly index: number;
  /** The client's upgrade request, as latin1 text. */
  readonly request: string;
  /** The whole message sent before the truncated one: `whole <index>`. */
  readonly whole: string;
}

/** `closeOf(index)` resolves when TCP connection `index` has closed. */
export type TruncatingServer = LocalServer & Connections<TruncatedConnection, void>;

/**
 * A raw TCP server that speaks just enough WebSocket: it reads the upgrade request, answers 101
 * with the `Sec-WebSocket-Accept` computed from the key, sends the text message `whole <index>`,
 * then the header of a text frame announcing `announced` bytes followed by only `delivered` of
 * them, and destroys the socket once that write is flushed (a FIN, no close frame).
 */
export async function startTruncatingServer(announced = 1000, delivered = 10): Promise<TruncatingServer> {
  if (announced < 126 || announced > 0xffff || delivered >= announced)
    throw new RangeError('126 <= announced <= 65535, delivered < announced');
  const log = connectionLog<TruncatedConnection>();
  let accepted = 0;
  const server = createNetServer((socket) => {
    const index = accepted++;
    let request = '';
    let answered = false;
    socket.on('error', () => undefined);
    socket.once('close', () => log.ended(index, undefined));
    socket.on('data', (chunk: Buffer) => {
      if (answered) return;
      request += chunk.toString('latin1');
      const end = request.indexOf('\r\n\r\n');
      if (end === -1) return;
      answered = true;
      const key = /^sec-websocket-key:[ \t]*(\S+)[ \t]*$/im.exec(request.slice(0, end))?.[1];
      if (key === undefined) {
        socket.destroy();
        return;
      }
      const whole = `whole ${index}`;
      const header = Buffer.from([0x81, 126, announced >> 8, announced & 0xff]);
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\n' +
          'Upgrade: websocket\r\n' +
          'Connection: Upgrade\r\n' +
          `Sec-WebSocket-Accept: ${acceptFor(key)}\r\n\r\n`,
        'latin1',
      );
      socket.write(textFrame(whole));
      socket.write(Buffer.concat([header, Buffer.alloc(delivered, 0x61)]), () => socket.destroy());
      log.arrived(index, { index, request, whole });
    });
  });
  const close = closer(server, trackSockets(server));
  const port = await listen(server);
  return served(port, close, log);
}
