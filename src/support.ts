import { NotImplementedError, WebSocketError } from './errors.js';
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
    if (typeof ctor !== 'function') {
      throw new WebSocketError(
        'ERR_WS_INVALID_ARGUMENT',
        `options.WebSocketCtor must be a WebSocket constructor, got ${describe(ctor)}; ` +
          "pass e.g. the WebSocket class from the 'ws' package",
      );
    }
    return ctor;
  }
  const global = (globalThis as { WebSocket?: unknown }).WebSocket;
  if (typeof global === 'function') return global as WebSocketConstructor;
  throw new NotImplementedError(
    'WebSocket is not supported here: there is no global WebSocket constructor. ' +
      "Pass options.WebSocketCtor, e.g. WebSocket('ws://host', { WebSocketCtor: (await import('ws')).WebSocket }), " +
      'or run Node 22+ (Node 20: --experimental-websocket)',
  );
}

const SCHEMES: Record<string, string> = { 'ws:': 'ws:', 'wss:': 'wss:', 'http:': 'ws:', 'https:': 'wss:' };
const EXAMPLE = 'an absolute ws: or wss: URL such as ws://localhost:8080/chat';

/**
 * Validates `host` and returns the URL to connect to, with `http:`/`https:` mapped to
 * `ws:`/`wss:` as browsers do. Throws `ERR_WS_INVALID_URL` before any connection attempt.
 */
export function normalizeUrl(host: unknown): string {
  let text: string;
  if (typeof host === 'string') text = host;
  else if (host instanceof URL) text = host.href;
  else {
    throw new WebSocketError(
      'ERR_WS_INVALID_URL',
      `the WebSocket host must be a string or a URL, got ${describe(host)}; pass ${EXAMPLE}`,
    );
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // No `cause`: the parser's error keeps the input, credentials included.
    throw new WebSocketError(
      'ERR_WS_INVALID_URL',
      `invalid WebSocket URL ${JSON.stringify(redact(text))}: it is not an absolute URL; pass ${EXAMPLE}`,
    );
  }
  const scheme = SCHEMES[url.protocol];
  if (scheme === undefined) {
    throw new WebSocketError(
      'ERR_WS_INVALID_URL',
      `invalid WebSocket URL ${JSON.stringify(redact(text))}: the scheme ` +
        // 'user:secret@host' parses with the scheme 'user:': name it only when nothing was redacted.
        `${redact(text) === text ? `${JSON.stringify(url.protocol)} ` : ''}is not ws:, wss:, http: or https:; pass ${EXAMPLE}`,
    );
  }
  if (url.hash !== '' || text.includes('#')) {
    throw new WebSocketError(
      'ERR_WS_INVALID_URL',
      `invalid WebSocket URL ${JSON.stringify(redact(text))}: a WebSocket URL cannot have a fragment (#...); remove it`,
    );
  }
  if (url.hostname === '') {
    throw new WebSocketError(
      'ERR_WS_INVALID_URL',
      `invalid WebSocket URL ${JSON.stringify(redact(text))}: it has no host; pass ${EXAMPLE}`,
    );
  }
  url.protocol = scheme;
  return url.href;
}

/** The URL with any `user:password@` replaced by `***@`, for error messages and logs. */
export function redact(url: string): string {
  const scheme = url.indexOf('://');
  if (scheme !== -1) {
    try {
      const parsed = new URL(url);
      if (parsed.username === '' && parsed.password === '') return url;
      return `${parsed.protocol}//***@${parsed.host}${parsed.pathname}${parsed.search}${parsed.hash}`;
    } catch {
      // Not parseable: fall through to the cautious rule.
    }
  }
  // The last '@' anywhere: a password may hold '/', '?' or '#' in a URL that does not parse.
  const start = scheme === -1 ? 0 : scheme + 3;
  const at = url.lastIndexOf('@');
  return at < start ? url : `${url.slice(0, start)}***${url.slice(at)}`;
}

/**
 * Free text (a native error's message) with the credentials of `url` taken out wherever they
 * appear, encoded or not. `redact` is for a URL; this is for text that may quote one.
 */
export function scrub(text: string, url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return text;
  }
  if (parsed.username === '' && parsed.password === '') return text;
  const forms = new Set<string>();
  for (const user of [parsed.username, safeDecode(parsed.username)]) {
    for (const password of [parsed.password, safeDecode(parsed.password)]) {
      forms.add(password === '' ? `${user}@` : `${user}:${password}@`);
    }
  }
  let out = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join('***@');
  return out;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

// RFC 6455 §4.1: each protocol is an RFC 7230 token, and none appears twice.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Validates the subprotocols: tokens, no duplicates. Returns them as the native constructor takes them. */
export function validateProtocols(protocols: unknown): string | string[] | undefined {
  if (protocols === undefined) return undefined;
  const list = typeof protocols === 'string' ? [protocols] : protocols;
  if (!Array.isArray(list)) {
    throw new WebSocketError(
      'ERR_WS_INVALID_ARGUMENT',
      `protocols must be a string or an array of strings, got ${describe(protocols)}`,
    );
  }
  const seen = new Set<string>();
  for (const p of list) {
    if (typeof p !== 'string' || !TOKEN.test(p)) {
      throw new WebSocketError(
        'ERR_WS_INVALID_ARGUMENT',
        `invalid subprotocol ${describe(p)}: a subprotocol is a non-empty token without spaces, commas ` +
          'or separators, e.g. "chat.v2"',
      );
    }
    if (seen.has(p)) {
      throw new WebSocketError(
        'ERR_WS_INVALID_ARGUMENT',
        `the subprotocol ${JSON.stringify(p)} is listed twice; list each subprotocol once`,
      );
    }
    seen.add(p);
  }
  return typeof protocols === 'string' ? protocols : [...list];
}

/** Validates what `close()` will send: code 1000 or 3000-4999, reason at most 123 UTF-8 bytes. */
export function validateClose(code: unknown, reason: unknown): void {
  if (typeof code !== 'number' || !Number.isInteger(code) || (code !== 1000 && (code < 3000 || code > 4999))) {
    throw new WebSocketError(
      'ERR_WS_INVALID_CLOSE',
      `invalid close code ${describe(code)}: use 1000 (normal closure) or an application code from 3000 to 4999`,
    );
  }
  if (typeof reason !== 'string') {
    throw new WebSocketError('ERR_WS_INVALID_CLOSE', `the close reason must be a string, got ${describe(reason)}`);
  }
  const bytes = utf8Length(reason);
  if (bytes > 123) {
    throw new WebSocketError(
      'ERR_WS_INVALID_CLOSE',
      `the close reason is ${bytes} bytes of UTF-8; the protocol allows at most 123: shorten it`,
    );
  }
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** A short description of a value for error messages; never the value of an object. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return String(value);
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default: {
      const name = (value as object).constructor?.name;
      return name && name !== 'Object' ? `a ${name}` : 'a plain object';
    }
  }
}

/** Throws `ERR_WS_INVALID_ARGUMENT` unless `data` is what a WebSocket can send. */
export function assertSendable(data: unknown): void {
  if (typeof data === 'string') return;
  const tag = Object.prototype.toString.call(data);
  if (tag === '[object ArrayBuffer]' || tag === '[object Blob]' || tag === '[object File]') return;
  if (ArrayBuffer.isView(data)) {
    if (Object.prototype.toString.call(data.buffer) === '[object SharedArrayBuffer]') {
      throw new WebSocketError(
        'ERR_WS_INVALID_ARGUMENT',
        'cannot send a view of a SharedArrayBuffer: copy it into an ordinary ArrayBuffer first (e.g. view.slice())',
      );
    }
    return;
  }
  const shared = tag === '[object SharedArrayBuffer]';
  throw new WebSocketError(
    'ERR_WS_INVALID_ARGUMENT',
    shared
      ? 'cannot send a SharedArrayBuffer: copy it into an ordinary ArrayBuffer first (e.g. new Uint8Array(sab).slice().buffer)'
      : `cannot send ${describe(data)}: send a string, an ArrayBuffer, an ArrayBufferView or a Blob ` +
          '(serialize objects first, e.g. JSON.stringify, or pass options.serializer and use next())',
  );
}
