// `npm run demo`: the example from Brython's documentation, in Node and then in your browser.
//
// 1. Starts a local server on 127.0.0.1: a WebSocket echo at /echo and the page in
//    examples/browser-echo/ over HTTP, on one port.
// 2. Runs the flow of Brython's example in Node with this package: open, send a text, print the echo,
//    close. It prints exactly:
//        open ws://127.0.0.1:<port>/echo
//        sent Hello from brython-websocket
//        received Hello from brython-websocket
//        closed 1000 clean
// 3. Builds the page's bundle and serves the page until Ctrl+C (SIGINT) or SIGTERM, with,
//    beside it, the same example in Python on Brython (examples/brython/: Brython from
//    node_modules/brython, this package's dist/brython.js):
//        browser demo: http://127.0.0.1:<port>/
//        brython demo: http://127.0.0.1:<port>/brython/
//
// Environment:
//   ECHO_URL=wss://host/path  run the Node flow against this echo server instead; no local
//                             server is started, so there is no browser page, and the demo
//                             exits after the flow
//   DEMO_PORT=8080            the local server's port (default 0: a free port)
//   DEMO_SERVE=0              exit right after the Node flow
//   DEMO_TEXT=...             the text to send (default "Hello from brython-websocket")
//   DEMO_TIMEOUT_MS=10000     how long to wait for the connection to open, then for the echo
//
// Exit code 0 on success (and after SIGINT/SIGTERM), 1 with a message on stderr on failure.

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'brython-websocket';
import { startEchoServer } from './echo-server.mjs';

const PAGE_DIR = fileURLToPath(new URL('./browser-echo/', import.meta.url));
/** The Brython page and what it loads, by URL prefix (the paths its script tags use). */
const BRYTHON_MOUNTS = {
  '/brython/': fileURLToPath(new URL('./brython/', import.meta.url)),
  '/node_modules/brython/': fileURLToPath(new URL('../node_modules/brython/', import.meta.url)),
  '/dist/': fileURLToPath(new URL('../dist/', import.meta.url)),
};
const DEFAULT_TEXT = 'Hello from brython-websocket';
const DEFAULT_TIMEOUT_MS = 10_000;

class DemoError extends Error {
  name = 'DemoError';
}

/** What the flow rejects with when SIGINT or SIGTERM stops it: not a failure. */
const STOPPED = new DemoError('stopped');

/** `WebSocket` where the platform has one (Node 22+), else the one from `ws` (Node 20). */
async function webSocketConstructor() {
  if (typeof globalThis.WebSocket === 'function') return globalThis.WebSocket;
  return (await import('ws')).WebSocket;
}

/**
 * The URL as shown: without any user:password. As in the package's own messages, text that
 * still has an '@' (it may hold credentials the URL parser did not recognise) is not shown.
 */
function shown(url) {
  let text = url;
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    text = u.href;
  } catch {
    // not a URL: shown as given, unless it has an '@'
  }
  return text.includes('@') ? "the URL (not shown: it contains '@')" : text;
}

function reasonOf(event) {
  const message = event?.message ?? event?.error?.message;
  return typeof message === 'string' && message !== '' ? message : undefined;
}

/**
 * The flow of Brython's example: open, send `text`, print each message, close on the echo. Resolves after
 * the close event; rejects with a DemoError on a bad URL, an unreachable server, a close
 * before the echo, or no open / no echo within `timeoutMs`, and with STOPPED when `signal`
 * aborts. Never waits longer than `timeoutMs` for one step.
 */
function runFlow({ url, text, WebSocketCtor, timeoutMs, signal, print }) {
  return new Promise((resolveFlow, rejectFlow) => {
    if (signal.aborted) {
      rejectFlow(STOPPED);
      return;
    }
    let ws;
    try {
      ws = WebSocket(url, { WebSocketCtor });
    } catch (error) {
      rejectFlow(new DemoError(`cannot connect to ${shown(url)}: ${error.message}`));
      return;
    }
    const target = shown(ws.url);
    let opened = false;
    let echoed = false;
    let settled = false;
    let lastError;

    const finish = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) resolveFlow();
      else rejectFlow(error);
    };
    const timer = setTimeout(() => {
      const waitingFor = opened ? 'the echo' : 'the connection to open';
      finish(new DemoError(`timed out after ${timeoutMs} ms waiting for ${waitingFor} (${target})`));
      ws.close();
    }, timeoutMs);
    const onAbort = () => {
      finish(STOPPED);
      ws.close();
    };
    signal.addEventListener('abort', onAbort);

    ws.bind('open', () => {
      opened = true;
      print(`open ${target}`);
      ws.send(text);
      print(`sent ${text}`);
    });
    ws.bind('message', (evt) => {
      const data = typeof evt.data === 'string' ? evt.data : `<${evt.data.byteLength ?? evt.data.size} bytes>`;
      print(`received ${data}`);
      if (evt.data === text && !echoed) {
        echoed = true;
        ws.close();
      }
    });
    const unreachable = (why) => new DemoError(`${target} could not be reached: ${why}`);
    ws.bind('error', (evt) => {
      lastError = evt;
      // Before open, an error means the connection failed. Do not wait for the close event:
      // Node 20's experimental WebSocket never sends it after a refused connection.
      if (!opened) {
        finish(unreachable(reasonOf(evt) ?? 'the connection failed before it opened'));
        ws.close();
      }
    });
    ws.bind('close', (evt) => {
      if (settled) return;
      if (!opened) {
        finish(unreachable(reasonOf(lastError) ?? `the connection closed with code ${evt.code} before it opened`));
        return;
      }
      print(`closed ${evt.code} ${evt.wasClean ? 'clean' : 'unclean'}`);
      if (echoed) finish();
      else finish(new DemoError(`${target} closed the connection before echoing ${JSON.stringify(text)}`));
    });
  });
}

function readPort(value) {
  if (value === undefined || value === '') return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new DemoError(`DEMO_PORT must be a port number from 0 to 65535, got ${JSON.stringify(value)}`);
  }
  return port;
}

function readTimeout(value) {
  if (value === undefined || value === '') return DEFAULT_TIMEOUT_MS;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new DemoError(
      `DEMO_TIMEOUT_MS must be a positive whole number of milliseconds, got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

/** An AbortSignal that aborts at the first SIGINT or SIGTERM; a second one exits at once. */
function stopSignal() {
  const controller = new AbortController();
  const onSignal = (name) => {
    if (controller.signal.aborted) process.exit(1);
    console.error(`demo: ${name}, closing`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}

async function main(env) {
  const signal = stopSignal();
  const text = env.DEMO_TEXT || DEFAULT_TEXT;
  const timeoutMs = readTimeout(env.DEMO_TIMEOUT_MS);
  const echoUrl = env.ECHO_URL || undefined;
  const serve = env.DEMO_SERVE !== '0';
  const port = readPort(env.DEMO_PORT);
  const WebSocketCtor = await webSocketConstructor();

  let server;
  if (echoUrl === undefined) {
    try {
      server = await startEchoServer({
        port,
        host: '127.0.0.1',
        path: '/echo',
        staticDir: PAGE_DIR,
        mounts: BRYTHON_MOUNTS,
      });
    } catch (error) {
      throw new DemoError(error.message);
    }
  }
  try {
    const url = echoUrl ?? server.url;
    await runFlow({ url, text, WebSocketCtor, timeoutMs, signal, print: (line) => console.log(line) });
    if (server === undefined && serve) {
      console.error('demo: ECHO_URL is set, so no local server runs and there is no browser page to serve');
    }
    if (server === undefined || !serve) return;

    const { buildBrowserEcho } = await import('./build-browser.mjs');
    await buildBrowserEcho();
    if (signal.aborted) return;
    console.log(`browser demo: ${server.httpUrl}`);
    console.log(`brython demo: ${server.httpUrl}brython/`);
    console.error('demo: serving the page and the echo until Ctrl+C');
    await new Promise((resolveStop) => signal.addEventListener('abort', resolveStop, { once: true }));
  } catch (error) {
    if (error !== STOPPED) throw error;
  } finally {
    await server?.close();
  }
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  try {
    await main(process.env);
  } catch (error) {
    console.error(`demo: ${error instanceof DemoError ? error.message : (error?.stack ?? String(error))}`);
    process.exitCode = 1;
  }
  // Everything is closed by now; should a stray handle remain, do not hang on it.
  setTimeout(() => process.exit(), 2000).unref();
}
