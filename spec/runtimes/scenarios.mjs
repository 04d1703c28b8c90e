/**
 * The scenarios of the cross-runtime conformance suite, in plain JavaScript that runs as it is
 * in Node, Bun and Deno (spec/runtimes/child.mjs) and, bundled, in Chromium
 * (spec/runtimes/page.mjs). Each scenario drives the built package on the runtime's own
 * WebSocket (or `ws` where `lib.WebSocketCtor` is given) against the conformance server
 * (spec/runtimes/server.ts), and resolves with what it saw, as JSON-ready data. The checks
 * are made by spec/runtimes/conformance.spec.ts, the same for every runtime.
 *
 * Nothing here waits on a clock: each scenario ends when the socket has closed for good
 * (`state$` completes). A scenario that never ends is killed by the spec, and fails.
 */

/** The scenarios, in the order of the table in docs/runtimes.md. */
export const SCENARIOS = [
  { id: 'flow', title: 'the Brython flow: open, send, echo, close 1000' },
  { id: 'server-close', title: 'a close from the server, 4000-4999 with a reason' },
  { id: 'queue', title: '`send()` before open: queued, then sent in order' },
  { id: 'refused', title: 'a refused connection: `error$`, then `close$` 1006' },
  { id: 'reconnect', title: '`reconnect()` after the server is killed and restarted, queue kept' },
  { id: 'heartbeat', title: '`heartbeat()` drops a link whose server stopped answering' },
  { id: 'binary', title: 'binary round trip: ArrayBuffer, Uint8Array, Blob' },
  { id: 'large', title: 'a 16 MiB message, text and binary' },
  { id: 'subprotocol', title: 'subprotocol negotiation' },
  { id: 'close-connecting', title: '`close()` while connecting' },
  { id: 'invalid-urls', title: 'invalid URLs refused with the same codes' },
];

/** The URLs `invalid-urls` tries: none may reach the native constructor. */
export const INVALID_URLS = [
  'localhost:8080',
  '/chat',
  'ftp://127.0.0.1/',
  'file:///tmp/socket',
  'ws://127.0.0.1:1/#fragment',
  'ws://',
  'ws://[::1',
  'ws://127.0.0.1:99999/',
  'ws://exa mple.test/',
  'ws://exa%20mple.test/',
  'not a url',
];

/** The 16 MiB of `large`. */
export const LARGE = 16 * 1024 * 1024;

const tag = (value) => Object.prototype.toString.call(value).slice(8, -1);

/**
 * Records what a socket shows: its events in order (`log`), its states, and the subject
 * face's values and end (`face`). `done` resolves once the state stream has completed.
 */
function watch(ws) {
  const seen = { log: [], states: [], face: [], errors: [] };
  ws.state$.subscribe((state) => seen.states.push(state));
  ws.bind('open', () => seen.log.push('open'));
  ws.bind('error', (error) => {
    seen.log.push('error');
    // A native error event, or one of the package's own errors (a heartbeat's timeout).
    seen.errors.push(typeof error.code === 'string' ? error.code : error.type);
  });
  ws.bind('close', (event) =>
    seen.log.push(`close ${event.code} ${event.wasClean ? 'clean' : 'unclean'} ${JSON.stringify(event.reason)}`),
  );
  const done = new Promise((resolve) => {
    ws.state$.subscribe({ complete: () => resolve() });
  });
  ws.subscribe({
    // Text as it is, up to 100 characters (a 16 MiB message shows as `String`); binary by its type.
    next: (value) => seen.face.push(typeof value === 'string' && value.length <= 100 ? value : tag(value)),
    error: (error) => seen.face.push(`error ${error.code} ${error.closeCode}`),
    complete: () => seen.face.push('complete'),
  });
  return { seen, done };
}

/** The next `n` messages' events, in order. */
function messages(ws, n) {
  return new Promise((resolve) => {
    const got = [];
    const handler = (event) => {
      got.push(event);
      if (got.length === n) {
        ws.unbind('message', handler);
        resolve(got);
      }
    };
    ws.bind('message', handler);
  });
}

/** The next event `evt` of `ws`. */
function next(ws, evt) {
  return new Promise((resolve) => {
    const handler = (event) => {
      ws.unbind(evt, handler);
      resolve(event);
    };
    ws.bind(evt, handler);
  });
}

/** The bytes of a binary message, whatever its type. */
async function bytesOf(data) {
  if (typeof data === 'string') return { tag: 'String', bytes: [] };
  let buffer;
  if (tag(data) === 'Blob') buffer = await data.arrayBuffer();
  else if (ArrayBuffer.isView(data)) buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  else buffer = data;
  return { tag: tag(data), bytes: [...new Uint8Array(buffer)] };
}

/** A deterministic 16 MiB of text and of bytes. */
function largeText() {
  const block = 'The quick brown fox jumps over the lazy dog 0123456789. ';
  return block.repeat(Math.ceil(LARGE / block.length)).slice(0, LARGE);
}

function largeBytes() {
  const bytes = new Uint8Array(LARGE);
  for (let i = 0; i < LARGE; i++) bytes[i] = (i * 31 + (i >>> 13)) & 0xff;
  return bytes;
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Runs scenario `id`. `lib`: the package's `WebSocket`, `reconnect`, `heartbeat`, and
 * `WebSocketCtor` (undefined: the runtime's global). `params`: `{ url }`, the conformance
 * server's address for this scenario (or a refused one).
 */
export async function runScenario(id, params, lib) {
  const { WebSocket, reconnect, heartbeat, WebSocketCtor } = lib;
  const options = (extra = {}) => (WebSocketCtor === undefined ? extra : { WebSocketCtor, ...extra });
  const url = params.url;

  switch (id) {
    case 'flow': {
      const ws = WebSocket(`${url}/echo`, options());
      const { seen, done } = watch(ws);
      ws.bind('open', () => (seen.sent = ws.send('hello from Brython')));
      ws.bind('message', (event) => {
        seen.log.push(`message ${JSON.stringify(event.data)}`);
        ws.close(1000, 'done');
      });
      await done;
      return seen;
    }

    case 'server-close': {
      const ws = WebSocket(`${url}/close-on-request`, options());
      const { seen, done } = watch(ws);
      ws.bind('open', () => ws.send(JSON.stringify({ code: 4321, reason: 'going away now ✓' })));
      await done;
      return seen;
    }

    case 'queue': {
      const ws = WebSocket(`${url}/echo`, options());
      const { seen, done } = watch(ws);
      seen.sends = ['one', 'two', 'three'].map((m) => ws.send(m));
      seen.queued = ws.queued;
      ws.bind('open', () => (seen.queuedInOpenHandler = ws.queued));
      const echoes = await messages(ws, 3);
      seen.echoes = echoes.map((e) => e.data);
      seen.queuedAfter = ws.queued;
      ws.close(1000);
      await done;
      return seen;
    }

    case 'refused': {
      const ws = WebSocket(url, options());
      const { seen, done } = watch(ws);
      await done;
      seen.readyState = ws.readyState;
      return seen;
    }

    case 'reconnect': {
      const ws = WebSocket(
        `${url}/kill-on-request`,
        options({ reconnect: reconnect({ initialDelay: 50, maxDelay: 200, jitter: 0, attempts: 50 }) }),
      );
      const { seen, done } = watch(ws);
      seen.whileReconnecting = [];
      let opens = 0;
      ws.bind('open', () => {
        opens++;
        if (opens === 1) ws.send('kill the server');
      });
      ws.bind('close', () => {
        // The first close: the server is gone. Messages sent now wait for the next connection.
        if (opens === 1 && seen.whileReconnecting.length === 0) {
          seen.stateAtClose = ws.state;
          seen.whileReconnecting = [ws.send('kept 1'), ws.send('kept 2')];
          seen.queued = ws.queued;
        }
      });
      ws.bind('message', (event) => {
        seen.log.push(`message ${JSON.stringify(event.data)}`);
        if (event.data === 'kept 2') ws.close(1000, 'done');
      });
      await done;
      seen.opens = opens;
      return seen;
    }

    case 'heartbeat': {
      const ws = WebSocket(
        `${url}/pong-3`,
        options({ heartbeat: heartbeat({ interval: 100, timeout: 1500, message: 'ping' }) }),
      );
      const { seen, done } = watch(ws);
      seen.pongs = 0;
      ws.bind('message', (event) => {
        if (event.data === 'pong') seen.pongs++;
      });
      await done;
      return seen;
    }

    case 'binary': {
      const ws = WebSocket(`${url}/echo`, options({ binaryType: 'arraybuffer' }));
      const { seen, done } = watch(ws);
      await next(ws, 'open');
      seen.received = [];
      ws.send(new Uint8Array([1, 2, 3, 255]).buffer);
      seen.received.push(await bytesOf((await next(ws, 'message')).data));
      const big = new Uint8Array([0, 0, 9, 8, 7, 0]);
      ws.send(big.subarray(2, 5));
      seen.received.push(await bytesOf((await next(ws, 'message')).data));
      seen.hasBlob = typeof Blob === 'function';
      if (seen.hasBlob) {
        ws.binaryType = 'blob';
        seen.binaryType = ws.binaryType;
        ws.send(new Blob([new Uint8Array([4, 5, 6])]));
        seen.received.push(await bytesOf((await next(ws, 'message')).data));
      }
      ws.send('text stays text');
      seen.received.push({ tag: tag((await next(ws, 'message')).data), bytes: [] });
      ws.close(1000);
      await done;
      return seen;
    }

    case 'large': {
      const ws = WebSocket(`${url}/echo`, options({ binaryType: 'arraybuffer' }));
      const { seen, done } = watch(ws);
      // The subject face would copy each 16 MiB message into `face`: keep only its type.
      await next(ws, 'open');
      const text = largeText();
      ws.send(text);
      const textEcho = (await next(ws, 'message')).data;
      seen.text = { length: typeof textEcho === 'string' ? textEcho.length : -1, same: textEcho === text };
      const bytes = largeBytes();
      ws.send(bytes);
      const binaryEcho = (await next(ws, 'message')).data;
      const got = tag(binaryEcho) === 'ArrayBuffer' ? new Uint8Array(binaryEcho) : new Uint8Array(0);
      seen.binary = { tag: tag(binaryEcho), length: got.length, same: sameBytes(got, bytes) };
      ws.close(1000);
      await done;
      return seen;
    }

    case 'subprotocol': {
      const ws = WebSocket(`${url}/protocols`, ['chat.v2', 'chat.v1'], options());
      const { seen, done } = watch(ws);
      seen.protocolBefore = ws.protocol;
      await next(ws, 'open');
      seen.protocol = ws.protocol;
      ws.close(1000);
      await done;
      return seen;
    }

    case 'close-connecting': {
      const ws = WebSocket(`${url}/echo`, options());
      const { seen, done } = watch(ws);
      ws.close(1000, 'changed my mind');
      seen.sendAfterClose = (() => {
        try {
          ws.send('too late');
          return 'sent';
        } catch (error) {
          return error.code;
        }
      })();
      await done;
      seen.readyState = ws.readyState;
      return seen;
    }

    case 'invalid-urls': {
      return {
        codes: INVALID_URLS.map((bad) => {
          try {
            WebSocket(bad, options()).close();
            return 'accepted';
          } catch (error) {
            return error.code ?? `${error.name}: ${error.message}`;
          }
        }),
      };
    }

    default:
      throw new Error(`unknown scenario ${id}`);
  }
}
