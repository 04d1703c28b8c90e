import { NotImplementedError, SendError, WebSocketError } from './errors.js';
import type { WebSocketConstructor } from './types.js';

/**
 * Brython's `websocket.supported`: true when a global `WebSocket` constructor existed
 * when this module loaded (browsers, Node 22+, Deno, Bun, Node 20 run with
 * `--experimental-websocket`). Where it is false, pass `options.WebSocketCtor`.
 *
 * @example
 * import { supported } from 'brython-websocket';
 * if (!supported) console.log('pass options.WebSocketCtor, e.g. the one from the ws package');
 */
export const supported: boolean = typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'function';

/** The constructor to use: the one passed, else the global one, else a clear error. */
export function resolveConstructor(ctor: WebSocketConstructor | undefined): WebSocketConstructor {
  if (ctor !== undefined) {
    if (typeof ctor !== 'function')
      throw invalid(`options.WebSocketCtor must be a WebSocket class (e.g. ws's), got ${describe(ctor)}`);
    return ctor;
  }
  const global = (globalThis as { WebSocket?: unknown }).WebSocket;
  if (typeof global === 'function') return global as WebSocketConstructor;
  throw new NotImplementedError("no WebSocket constructor: pass options.WebSocketCtor (e.g. ws's) or run Node 22+");
}

/** An `ERR_WS_INVALID_ARGUMENT` error. */
export function invalid(message: string): WebSocketError {
  return new WebSocketError('ERR_WS_INVALID_ARGUMENT', message);
}

/** Refuses a key of `options` that is not in `known` (a typo would otherwise be ignored silently). */
export function refuseUnknown(options: object, known: readonly string[], kind: string, where = ''): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key))
      throw invalid(`unknown ${kind} ${JSON.stringify(key)}${where}; the ${kind}s are ${known.join(', ')}`);
  }
}

const EXAMPLE = '; e.g. ws://localhost:8080';

/**
 * Validates `host` and returns the URL to connect to: a `ws:` or `wss:` one as given (a `URL`
 * as its `href`), an `http:`/`https:` one mapped to `ws:`/`wss:` as browsers do. Throws `ERR_WS_INVALID_URL` before any connection attempt.
 * A URL with an `@` may hold credentials: the messages then leave it out.
 */
export function normalizeUrl(host: unknown): string {
  const text = host instanceof URL ? host.href : host;
  if (typeof text !== 'string') {
    throw new WebSocketError('ERR_WS_INVALID_URL', `the host must be a string or a URL, got ${describe(host)}`);
  }
  const fail = (why: string): WebSocketError =>
    new WebSocketError(
      'ERR_WS_INVALID_URL',
      `invalid WebSocket URL${text.includes('@') ? '' : ` ${JSON.stringify(text)}`}: ${why}`,
    );
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // No `cause`: the parser's error keeps the input, credentials included.
    throw fail('not an absolute URL' + EXAMPLE);
  }
  // ws: and wss: as they are, http: and https: as ws: and wss:.
  if (!/^(ws|http)s?:$/.test(url.protocol)) throw fail('use the scheme ws:, wss:, http: or https:' + EXAMPLE);
  // (A fragment, even an empty one, shows as a '#' in the text.)
  if (text.includes('#')) throw fail('remove the fragment (#...)');
  if (url.hostname === '') throw fail('no host' + EXAMPLE);
  // Chromium's parser keeps a space in a host as %20 where the standard refuses it: refused here too.
  if (url.hostname.includes('%')) throw fail('remove the space or % from the host' + EXAMPLE);
  // A ws: or wss: URL goes to the constructor as given (a test double may compare it).
  const scheme = url.protocol.replace('http', 'ws');
  if (scheme === url.protocol) return text;
  url.protocol = scheme;
  return url.href;
}

// RFC 6455 §4.1: each protocol is an RFC 7230 token, and none appears twice.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Validates the subprotocols: tokens, no duplicates. Returns them as the native constructor takes them. */
export function validateProtocols(protocols: unknown): string | string[] | undefined {
  if (protocols === undefined) return undefined;
  const list = typeof protocols === 'string' ? [protocols] : protocols;
  if (!Array.isArray(list))
    throw invalid(`protocols must be a string or an array of strings, got ${describe(protocols)}`);
  const items = list as unknown[];
  items.forEach((p, i) => {
    if (typeof p !== 'string' || !TOKEN.test(p))
      throw invalid(`invalid subprotocol ${describe(p)}: use a token such as "chat.v2"`);
    if (items.indexOf(p) !== i) throw invalid(`the subprotocol "${p}" is listed twice; list it once`);
  });
  return typeof protocols === 'string' ? protocols : [...(items as string[])];
}

/** Validates what `close()` will send: code 1000 or 3000-4999, reason at most 123 UTF-8 bytes. */
export function validateClose(code: unknown, reason: unknown): void {
  const fail = (message: string): WebSocketError => new WebSocketError('ERR_WS_INVALID_CLOSE', message);
  if (!Number.isInteger(code) || (code !== 1000 && ((code as number) < 3000 || (code as number) > 4999))) {
    throw fail(`invalid close code ${describe(code)}: use 1000 or 3000-4999`);
  }
  if (typeof reason !== 'string') throw fail(`the close reason must be a string, got ${describe(reason)}`);
  const bytes = new TextEncoder().encode(reason).length;
  if (bytes > 123) throw fail(`the close reason is ${bytes} bytes of UTF-8; shorten it to 123`);
}

/**
 * The close that the subject face's `error(e)` asks for: `e.code` and `e.reason` when they
 * make a valid close, else 1000 with no reason.
 */
export function closeOf(error: unknown): [code: number, reason: string] {
  const { code, reason } = Object(error) as { code?: unknown; reason?: unknown };
  try {
    validateClose(code, reason ?? '');
  } catch {
    return [1000, ''];
  }
  return [code as number, (reason as string | undefined) ?? ''];
}

/** A short description of a value for error messages; never the value of an object. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'function' || typeof value === 'symbol') return `a ${typeof value}`;
  if (typeof value !== 'object' || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  // An object may have no constructor (Object.create(null)), or one with no name.
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? `a ${name}` : 'a plain object';
}

/** True when `get` (a built-in getter) accepts `value`: a brand check no `Symbol.toStringTag` can fake. */
function branded(proto: object, key: string, value: unknown): boolean {
  const descriptor = Object.getOwnPropertyDescriptor(proto, key);
  if (typeof descriptor?.get !== 'function') return false;
  try {
    descriptor.get.call(value);
    return true;
  } catch {
    return false;
  }
}

const isShared = (value: unknown): boolean =>
  typeof SharedArrayBuffer === 'function' && branded(SharedArrayBuffer.prototype as object, 'byteLength', value);

/**
 * A buffer that was transferred away (to a worker, by `structuredClone`): its length is 0 and
 * a view of it cannot be made (Node 20 has no `ArrayBuffer.prototype.detached`).
 */
function isDetached(buffer: ArrayBuffer): boolean {
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

/** Throws `ERR_WS_INVALID_ARGUMENT` unless `data` is what a WebSocket can send. */
export function assertSendable(data: unknown): void {
  if (typeof data === 'string') return;
  let buffer: unknown = data;
  if (ArrayBuffer.isView(data)) buffer = data.buffer;
  else if (!branded(ArrayBuffer.prototype, 'byteLength', data)) {
    if (typeof Blob === 'function' && branded(Blob.prototype, 'size', data)) return;
    buffer = undefined;
  }
  if (isShared(buffer ?? data)) {
    throw invalid('cannot send a SharedArrayBuffer: copy it first (view.slice())');
  }
  if (buffer === undefined) {
    throw invalid(`cannot send ${describe(data)}: send a string, ArrayBuffer, view or Blob (JSON.stringify objects)`);
  }
  if (isDetached(buffer as ArrayBuffer)) {
    throw new SendError('cannot send a detached ArrayBuffer: copy it before the transfer', data);
  }
}
