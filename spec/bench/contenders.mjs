/**
 * The clients being compared. Each `open(url, { onOpen, onData })` connects the way a user
 * of that API would, calls `onOpen()` once open and `onData(data)` with each message's data
 * (a string, a Buffer for `ws-buffer`, a parsed value for the JSON paths), and returns
 * `{ send(text) }`. Modules load lazily, so a run loads only what its contender uses: the
 * built package's main entry, and its subpath entries `brython-websocket/resilience`
 * (`ours-bind-resilient`) and `brython-websocket/webSocket` (`ours-webSocket*`), see `available`.
 */
const DIST = new URL('../../dist/index.js', import.meta.url).href;
const DIST_RESILIENCE = new URL('../../dist/resilience.js', import.meta.url).href;
const DIST_WEBSOCKET = new URL('../../dist/webSocket.js', import.meta.url).href;

/**
 * `BENCH_BASELINE_DIST`: a `dist/` built from an earlier commit. When set, the `base-*`
 * contenders run that build, so a change can be measured before and after in one run.
 */
const BASELINE = process.env.BENCH_BASELINE_DIST;
const baseline = async () => import(new URL(`file://${BASELINE}/index.js`).href);

const ws = async () => (await import('ws')).WebSocket;
const ours = async () => import(DIST);
const oursResilience = async () => import(DIST_RESILIENCE);
const oursWebSocket = async () => (await import(DIST_WEBSOCKET)).webSocket;
const rxjsWebSocket = async () => (await import('rxjs/webSocket')).webSocket;

/**
 * The resilience options, made by the features of `brython-websocket/resilience`:
 * reconnection and a heartbeat that notes every message received.
 */
async function resilience() {
  const { reconnect, heartbeat } = await oursResilience();
  return { reconnect: reconnect(), heartbeat: heartbeat({ interval: 15_000, message: 'ping', timeout: 40_000 }) };
}

/** RxJS 7's `webSocket()` config, the same for RxJS's and this package's drop-in. */
async function rxjsStyle(webSocket, url, { onOpen, onData }, identity) {
  const subject = webSocket({
    url,
    WebSocketCtor: await ws(),
    openObserver: { next: () => onOpen() },
    ...(identity ? { deserializer: (e) => e.data } : {}),
  });
  subject.subscribe({ next: (data) => onData(data) });
  return { send: (text) => subject.next(text) };
}

export const CONTENDERS = {
  'ws-buffer': {
    label: "ws on('message'), Buffer (wire limit)",
    async open(url, { onOpen, onData }) {
      const socket = new (await ws())(url);
      socket.on('open', () => onOpen());
      socket.on('message', (data) => onData(data));
      return { send: (text) => socket.send(text) };
    },
  },
  'ws-onmessage': {
    label: 'ws onmessage, string (DOM-style)',
    async open(url, { onOpen, onData }) {
      const socket = new (await ws())(url);
      socket.onopen = () => onOpen();
      socket.onmessage = (e) => onData(e.data);
      return { send: (text) => socket.send(text) };
    },
  },
  'rxjs-identity': {
    label: 'RxJS webSocket, identity deserializer',
    async open(url, hooks) {
      return rxjsStyle(await rxjsWebSocket(), url, hooks, true);
    },
  },
  'rxjs-json': {
    label: 'RxJS webSocket, default JSON.parse',
    json: true,
    async open(url, hooks) {
      return rxjsStyle(await rxjsWebSocket(), url, hooks, false);
    },
  },
  'node-global': {
    label: 'Node --experimental-websocket global',
    nodeFlags: ['--experimental-websocket', '--no-warnings'],
    async open(url, { onOpen, onData }) {
      const socket = new globalThis.WebSocket(url);
      socket.onopen = () => onOpen();
      socket.onmessage = (e) => onData(e.data);
      return { send: (text) => socket.send(text) };
    },
  },
  'ours-message$': {
    label: 'RxWebSocket message$',
    async open(url, { onOpen, onData }) {
      const { RxWebSocket } = await ours();
      const socket = new RxWebSocket(url, { WebSocketCtor: await ws() });
      socket.bind('open', () => onOpen());
      socket.message$.subscribe((e) => onData(e.data));
      return { send: (text) => socket.send(text) };
    },
  },
  'ours-bind': {
    label: "RxWebSocket bind('message')",
    async open(url, { onOpen, onData }) {
      const { WebSocket } = await ours();
      const socket = WebSocket(url, { WebSocketCtor: await ws() });
      socket.bind('open', () => onOpen()).bind('message', (e) => onData(e.data));
      return { send: (text) => socket.send(text) };
    },
  },
  'ours-onmessage': {
    label: 'RxWebSocket onmessage (DOM face)',
    async open(url, { onOpen, onData }) {
      const { RxWebSocket } = await ours();
      const socket = new RxWebSocket(url, { WebSocketCtor: await ws() });
      socket.onopen = () => onOpen();
      socket.onmessage = (e) => onData(e.data);
      return { send: (text) => socket.send(text) };
    },
  },
  'base-message$': {
    label: 'RxWebSocket message$, before (baseline)',
    needs: 'baseline',
    async open(url, { onOpen, onData }) {
      const { RxWebSocket } = await baseline();
      const socket = new RxWebSocket(url, { WebSocketCtor: await ws() });
      socket.bind('open', () => onOpen());
      socket.message$.subscribe((e) => onData(e.data));
      return { send: (text) => socket.send(text) };
    },
  },
  'base-bind': {
    label: "RxWebSocket bind('message'), before",
    needs: 'baseline',
    async open(url, { onOpen, onData }) {
      const { WebSocket } = await baseline();
      const socket = WebSocket(url, { WebSocketCtor: await ws() });
      socket.bind('open', () => onOpen()).bind('message', (e) => onData(e.data));
      return { send: (text) => socket.send(text) };
    },
  },
  'ours-bind-resilient': {
    label: "bind('message'), reconnect + heartbeat",
    needs: 'resilience',
    async open(url, { onOpen, onData }) {
      const { WebSocket } = await ours();
      const socket = WebSocket(url, { WebSocketCtor: await ws(), ...(await resilience()) });
      socket.bind('open', () => onOpen()).bind('message', (e) => onData(e.data));
      return { send: (text) => socket.send(text) };
    },
  },
  'ours-subject': {
    label: 'RxWebSocket subject face',
    async open(url, { onOpen, onData }) {
      const { RxWebSocket } = await ours();
      const socket = new RxWebSocket(url, { WebSocketCtor: await ws() });
      socket.bind('open', () => onOpen());
      socket.subscribe((data) => onData(data));
      return { send: (text) => socket.send(text) };
    },
  },
  'ours-subject-json': {
    label: 'RxWebSocket subject face, json()',
    json: true,
    async open(url, { onOpen, onData }) {
      const { RxWebSocket, json } = await ours();
      const socket = new RxWebSocket(url, { WebSocketCtor: await ws(), ...json() });
      socket.bind('open', () => onOpen());
      socket.subscribe((data) => onData(data));
      return { send: (text) => socket.send(JSON.stringify(text)) };
    },
  },
  'ours-webSocket': {
    label: 'webSocket() (this package), identity',
    needs: 'webSocket',
    async open(url, hooks) {
      return rxjsStyle(await oursWebSocket(), url, hooks, true);
    },
  },
  'ours-webSocket-json': {
    label: 'webSocket() (this package), JSON',
    needs: 'webSocket',
    json: true,
    async open(url, hooks) {
      return rxjsStyle(await oursWebSocket(), url, hooks, false);
    },
  },
};

/**
 * Whether the built package has what `name` needs: the `brython-websocket/webSocket` entry
 * (rxjs-compat's `webSocket`), or the `brython-websocket/resilience` entry whose features a
 * socket accepts (checked on a do-nothing constructor).
 */
export async function available(name) {
  const needs = CONTENDERS[name].needs;
  if (needs === undefined) return true;
  if (needs === 'baseline') return BASELINE !== undefined;
  try {
    if (needs === 'webSocket') return typeof (await oursWebSocket()) === 'function';
    // A socket that stays CONNECTING: nothing is sent, fired or closed.
    class Idle {
      readyState = 0;
      send() {
        // never open
      }
      addEventListener() {
        // never fires
      }
      removeEventListener() {
        // never fires
      }
      close() {
        // never opened
      }
    }
    const { WebSocket } = await ours();
    WebSocket('ws://localhost/', { WebSocketCtor: Idle, ...(await resilience()) }).close();
    return true;
  } catch {
    return false;
  }
}
