// A local WebSocket echo server on `ws`, with optional static files on the same port.
//
//   import { startEchoServer } from './echo-server.mjs';
//   const server = await startEchoServer({ path: '/echo', staticDir: 'examples/browser-echo' });
//   server.url     // 'ws://127.0.0.1:<port>/echo'  (the echo)
//   server.httpUrl // 'http://127.0.0.1:<port>/'     (the static files, when staticDir is given)
//   await server.close();
//
// Text comes back as text, binary as binary. It listens on loopback only unless you pass
// another `host`. Run it alone with `node examples/echo-server.mjs` (ECHO_PORT, default 0).

import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Starts the server and resolves once it listens.
 *
 * @param {object} [options]
 * @param {number} [options.port=0] the port; 0 picks a free one
 * @param {string} [options.host='127.0.0.1'] the address to listen on (loopback by default)
 * @param {string} [options.path] accept WebSocket upgrades only on this path (e.g. '/echo'); any path when absent
 * @param {string} [options.staticDir] serve GET/HEAD requests from this folder ('/' is its index.html)
 * @param {Record<string, string>} [options.mounts] more folders, by URL prefix: { '/brython/': 'examples/brython' }
 * @returns {Promise<{ url: string, httpUrl: string, port: number, host: string,
 *   server: import('node:http').Server, wss: import('ws').WebSocketServer, close(): Promise<void> }>}
 */
export async function startEchoServer({ port = 0, host = '127.0.0.1', path, staticDir, mounts = {} } = {}) {
  const root = staticDir === undefined ? undefined : resolve(staticDir);
  // Longest prefix first, so that '/brython/' wins over '/'.
  const folders = Object.entries({ ...mounts, ...(root === undefined ? {} : { '/': root }) })
    .map(([prefix, dir]) => [prefix.endsWith('/') ? prefix : `${prefix}/`, resolve(dir)])
    .sort(([a], [b]) => b.length - a.length);
  const server = createServer((req, res) => {
    if (folders.length === 0) {
      res.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' });
      res.end(`this is a WebSocket echo server: connect to ${path ?? '/'} with a WebSocket client\n`);
      return;
    }
    serveStatic(folders, req, res).catch((error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  });

  const wss = new WebSocketServer({ server, ...(path === undefined ? {} : { path }) });
  wss.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
    socket.on('error', () => socket.terminate());
  });
  wss.on('error', () => {
    // Errors of the listening server itself reach the caller through listen() below.
  });

  await new Promise((resolveListen, rejectListen) => {
    const onError = (error) => {
      const reason = error.code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use` : error.message;
      rejectListen(new Error(`the echo server could not listen: ${reason}`, { cause: error }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolveListen(undefined);
    });
  });

  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const authority = `${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  let closing;

  return {
    url: `ws://${authority}${path ?? '/'}`,
    httpUrl: `http://${authority}/`,
    port: address.port,
    host: address.address,
    server,
    wss,
    /** Ends every connection and stops listening. Idempotent. */
    close() {
      closing ??= new Promise((resolveClose) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolveClose(undefined));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function serveStatic(folders, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    res.end('only GET and HEAD are served here\n');
    return;
  }
  const file = resolveFile(folders, req.url ?? '/');
  const info = file === undefined ? undefined : await stat(file).catch(() => undefined);
  if (file === undefined || info === undefined || !info.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found\n');
    return;
  }
  const body = await readFile(file);
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * The file that `target` names under the folder of its longest mounted prefix, or undefined
 * when it is malformed, under no prefix, or outside that folder.
 */
function resolveFile(folders, target) {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(target, 'http://localhost').pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0')) return undefined;
  if (pathname.endsWith('/')) pathname += 'index.html';
  const mount = folders.find(([prefix]) => pathname.startsWith(prefix));
  if (mount === undefined) return undefined;
  const [prefix, root] = mount;
  const file = resolve(root, `.${pathname.slice(prefix.length - 1)}`);
  return file.startsWith(root + sep) ? file : undefined;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const server = await startEchoServer({ port: Number(process.env.ECHO_PORT ?? 0) });
  console.log(`echo server: ${server.url}`);
  const stop = () => void server.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
