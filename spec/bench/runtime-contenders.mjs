/**
 * The contenders of the runtimes section (spec/bench/runtimes.mjs), on the runtime's own
 * global WebSocket: the same code in Node 22, Node 24, Bun, Deno (runtime-client.mjs) and
 * Chromium (runtime-page.mjs, bundled). `lib`: the built package's `WebSocket` and
 * `RxWebSocket`, and RxJS's `webSocket`. Each `open(url, { onOpen, onData }, lib)` calls
 * `onOpen()` once open and `onData(data)` with each message's data, and returns `{ send }`.
 */
export const RUNTIME_CONTENDERS = {
  raw: {
    label: 'raw onmessage (the runtime socket)',
    open(url, { onOpen, onData }) {
      const socket = new globalThis.WebSocket(url);
      socket.onopen = () => onOpen();
      socket.onmessage = (e) => onData(e.data);
      return { send: (text) => socket.send(text) };
    },
  },
  message$: {
    label: 'RxWebSocket message$',
    open(url, { onOpen, onData }, { RxWebSocket }) {
      const socket = new RxWebSocket(url);
      socket.bind('open', () => onOpen());
      socket.message$.subscribe((e) => onData(e.data));
      return { send: (text) => socket.send(text) };
    },
  },
  bind: {
    label: "RxWebSocket bind('message')",
    open(url, { onOpen, onData }, { WebSocket }) {
      const socket = WebSocket(url);
      socket.bind('open', () => onOpen()).bind('message', (e) => onData(e.data));
      return { send: (text) => socket.send(text) };
    },
  },
  subject: {
    label: 'RxWebSocket subject face',
    open(url, { onOpen, onData }, { RxWebSocket }) {
      const socket = new RxWebSocket(url);
      socket.bind('open', () => onOpen());
      socket.subscribe((data) => onData(data));
      return { send: (text) => socket.send(text) };
    },
  },
  rxjs: {
    label: 'RxJS webSocket, identity deserializer',
    open(url, { onOpen, onData }, { webSocket }) {
      const subject = webSocket({ url, deserializer: (e) => e.data, openObserver: { next: () => onOpen() } });
      subject.subscribe({ next: (data) => onData(data) });
      return { send: (text) => subject.next(text) };
    },
  },
};

/**
 * One throughput run: opens `name`'s socket on `url` (the bench server's /flood), sends "go"
 * once open, and resolves with `{ ms, count }` once `n` messages have arrived, `ms` counted
 * from the open. Every handler reads `data.length`, so the data is really produced.
 */
export function floodRun(name, url, n, lib) {
  return new Promise((resolve) => {
    let t0 = 0;
    let count = 0;
    let bytes = 0;
    let conn;
    conn = RUNTIME_CONTENDERS[name].open(
      url,
      {
        onOpen: () => {
          t0 = performance.now();
          conn.send('go');
        },
        onData: (data) => {
          bytes += data.length;
          if (++count === n) resolve({ ms: performance.now() - t0, count, bytes });
        },
      },
      lib,
    );
  });
}
