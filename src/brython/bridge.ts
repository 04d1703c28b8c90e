import type { Observable, Subscription } from 'rxjs';
import { reportHandlerError } from '../bindings.js';
import { CloseError, DecodeError, isWebSocketError, type WebSocketError } from '../errors.js';
import { connectTimeout, heartbeat, reconnect } from '../resilience.js';
import { describe, invalid, supported } from '../support.js';
import type { EventName } from '../types.js';
import { RxWebSocket } from '../websocket.js';

/**
 * What the Python module (websocket.py) calls. Brython converts the arguments of a call from
 * Python to JavaScript (str -> string, int/float -> number, list -> array, dict -> object, a
 * Python function -> a JavaScript function that prints the Python traceback of an exception
 * it raises, then rethrows it), and hands bytes and None over as Brython's own objects.
 *
 * Names avoid `bind`, `unbind` and `bindings`: Brython gives every JavaScript object its own
 * methods of those names, which hide the object's.
 *
 * No function here throws an error of the package into Python, where it would arrive as a
 * `JavascriptError` without its code: each returns a `Result`, and the Python side raises
 * the exception class of its `code`.
 */
export interface Bridge {
  readonly version: string;
  /** What the install step found and did (see install.ts). */
  install?: import('./install.js').InstallReport;
  readonly supported: boolean;
  failure(value: unknown): Result<never> | { failed: false };
  create(url: string, options: Record<string, unknown>): Result<RxWebSocket>;
  add_handler(ws: RxWebSocket, evt: EventName, fn: unknown): Result<(event: unknown) => void>;
  remove_handler(ws: RxWebSocket, evt: EventName, handler: (event: unknown) => void): Result<void>;
  /** The hot path: `send`'s boolean itself, or a failed Result. */
  send(ws: RxWebSocket, data: unknown): boolean | Result<never>;
  close(ws: RxWebSocket, code: unknown, reason: unknown): Result<void>;
  drain(ws: RxWebSocket): Result<unknown[]>;
  set_binary_type(ws: RxWebSocket, value: unknown): Result<void>;
  is_binary(data: unknown): boolean;
  to_uint8array(data: unknown): Result<Uint8Array>;
  byte_list(data: unknown): Result<number[]>;
  stream(ws: RxWebSocket, name: 'open$' | 'message$' | 'error$' | 'close$' | 'state$'): Observable<unknown>;
  observe(source: Observable<unknown>, next: unknown, error: unknown, complete: unknown): Result<Subscription>;
  reconnect(options: unknown): Result<unknown>;
  heartbeat(options: unknown): Result<unknown>;
  connect_timeout(ms: unknown): Result<unknown>;
}

/** A call's value, or the package's error as the Python side rebuilds it. */
export type Result<T> =
  | { failed: false; value: T }
  | {
      failed: true;
      code: string;
      message: string;
      close_code?: number;
      reason?: string;
      was_clean?: boolean;
      data?: unknown;
    };

/**
 * The package's words for JavaScript, in the words of the Python module: option names in
 * snake_case, dicts instead of objects.
 */
const PYTHON_WORDS: readonly [RegExp, string][] = [
  [/options\.maxQueue/g, "the option 'max_queue'"],
  [/options\.binaryType/g, "the option 'binary_type'"],
  [
    /options\.(reconnect|heartbeat) takes \w+\(…\) from 'brython-websocket\/resilience'/g,
    "the option '$1' takes websocket.$1(...)",
  ],
  [
    /options\.connectTimeout takes connectTimeout\(…\) from 'brython-websocket\/resilience'/g,
    "the option 'connect_timeout' takes websocket.connect_timeout(ms)",
  ],
  [/connectTimeout\(/g, 'connect_timeout('],
  [/drainQueue\(\)/g, 'drain_queue()'],
  [/\binitialDelay\b/g, 'initial_delay'],
  [/\bmaxDelay\b/g, 'max_delay'],
  [/\bresetAfter\b/g, 'reset_after'],
  [/\bshouldReconnect\b/g, 'should_reconnect'],
  [/\{ attempts: 5 \}/g, "{'attempts': 5}"],
  [/\{ interval: 15000, message: 'ping' \}/g, "{'interval': 15000, 'message': 'ping'}"],
  // A dict, None and most Python objects reach JavaScript as plain objects.
  [/a plain object/g, 'a Python object (not a number or a str)'],
  [/an array/g, 'a list'],
  [/\bInfinity\b/g, "float('inf')"],
];

const UNSUPPORTED =
  'this browser has no WebSocket (websocket.supported is False): check websocket.supported ' +
  'before calling websocket.WebSocket()';

/** An error message of the package, as a Python programmer reads it. */
export function pythonMessage(error: WebSocketError): string {
  if (error.code === 'ERR_WS_UNSUPPORTED') return UNSUPPORTED;
  let message = error.message;
  for (const [pattern, words] of PYTHON_WORDS) message = message.replace(pattern, words);
  return message;
}

/** The record of an error of the package that the Python side raises again (see `_exception`). */
function failureOf(error: WebSocketError): Result<never> {
  const failure: Result<never> = { failed: true, code: error.code, message: pythonMessage(error) };
  if (error instanceof CloseError) {
    failure.close_code = error.closeCode;
    failure.reason = error.reason;
    failure.was_clean = error.wasClean;
  } else if (error instanceof DecodeError) {
    failure.data = error.data;
  }
  return failure;
}

/** Runs `body`; an error of the package becomes a failed Result, anything else is thrown. */
function attempt<T>(body: () => T): Result<T> {
  try {
    return { failed: false, value: body() };
  } catch (error) {
    if (isWebSocketError(error)) return failureOf(error);
    throw error;
  }
}

/**
 * A Python function as a handler: Brython's wrapper has printed the Python traceback of an
 * exception it raised (and marked it `$handled`) before rethrowing it, so that one is done
 * with; anything else is reported as a handler error of the package. Nothing stops.
 */
function safely(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!printed(error)) reportHandlerError(error);
  }
}

/** A Python exception whose traceback Brython has printed (it marks those `$handled`). */
function printed(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { $handled?: unknown }).$handled === true;
}

/** A Python function of one argument as a handler that never throws (see `safely`). */
function guarded(fn: (value: unknown) => unknown): (value: unknown) => void {
  return (value) => safely(() => fn(value));
}

const isFunction = (value: unknown): value is (value: unknown) => unknown => typeof value === 'function';

const tag = (value: unknown): string => Object.prototype.toString.call(value).slice(8, -1);

/** The bytes of a Brython `bytes` or `bytearray`: a plain array of integers in `source`. */
function brythonBytes(value: unknown): number[] | undefined {
  const source = typeof value === 'object' && value !== null ? (value as { source?: unknown }).source : undefined;
  return Array.isArray(source) ? (source as number[]) : undefined;
}

export function makeBridge(version: string): Bridge {
  return {
    version,
    supported,
    failure: (value) => (isWebSocketError(value) ? failureOf(value) : { failed: false }),
    create: (url, options) => attempt(() => new RxWebSocket(url, options)),
    add_handler: (ws, evt, fn) =>
      attempt(() => {
        // The package's own check and message, for what Brython could not make a function.
        if (!isFunction(fn)) ws.bind(evt, fn as never);
        const handler = guarded(fn as (value: unknown) => unknown);
        ws.bind(evt, handler);
        return handler;
      }),
    remove_handler: (ws, evt, handler) => attempt(() => void ws.unbind(evt, handler)),
    send: (ws, data) => {
      try {
        return ws.send(data as string);
      } catch (error) {
        if (isWebSocketError(error)) return failureOf(error);
        throw error;
      }
    },
    close: (ws, code, reason) => attempt(() => ws.close(code as number, reason as string)),
    drain: (ws) => attempt(() => ws.drainQueue()),
    set_binary_type: (ws, value) =>
      attempt(() => {
        ws.binaryType = value as string;
      }),
    is_binary: (data) =>
      ArrayBuffer.isView(data) || ['ArrayBuffer', 'SharedArrayBuffer', 'Blob', 'File'].includes(tag(data)),
    to_uint8array: (data) =>
      attempt(() => {
        const bytes = brythonBytes(data);
        if (bytes === undefined)
          throw new TypeError('this version of Brython keeps bytes in another shape than brython-websocket reads');
        return Uint8Array.from(bytes);
      }),
    byte_list: (data) =>
      attempt(() => {
        if (tag(data) === 'ArrayBuffer') return Array.from(new Uint8Array(data as ArrayBuffer));
        if (ArrayBuffer.isView(data)) return Array.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        throw invalid(
          `to_bytes() takes binary message data (an ArrayBuffer), got ${tag(data) === 'Blob' ? 'a Blob' : describe(data)}: ` +
            "set ws.binaryType = 'arraybuffer' (or the option 'binary_type') before the message arrives",
        );
      }),
    stream: (ws, name) => ws[name] as Observable<unknown>,
    observe: (source, next, error, complete) =>
      attempt(() =>
        source.subscribe({
          next: isFunction(next) ? guarded(next) : undefined,
          error: isFunction(error) ? guarded(error) : undefined,
          // Called with no argument: Brython passes on every argument it is given.
          complete: isFunction(complete) ? () => safely(() => (complete as () => unknown)()) : undefined,
        }),
      ),
    reconnect: (options) =>
      attempt(() => {
        const rule = (options as { shouldReconnect?: unknown } | null)?.shouldReconnect;
        if (!isFunction(rule)) return reconnect(options as never);
        // A rule that raised has printed its traceback: no reconnect, and no second report.
        const shouldReconnect = (event: unknown): boolean => {
          try {
            return rule(event) === true;
          } catch (error) {
            if (printed(error)) return false;
            throw error;
          }
        };
        return reconnect({ ...(options as object), shouldReconnect });
      }),
    heartbeat: (options) => attempt(() => heartbeat(options as never)),
    connect_timeout: (ms) => attempt(() => connectTimeout(ms as number)),
  };
}
