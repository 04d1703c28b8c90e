import { describe, invalid } from './support.js';
import type { WsEvent } from './types.js';

/**
 * What counts as a socket, and how the package listens to one. The one place that knows the
 * two shapes a native socket may have:
 *
 * - an EventTarget: `addEventListener` and `removeEventListener` (the platform's, `ws`'s,
 *   undici's, mock-socket's); preferred wherever a native has it;
 * - `on*` properties only (`onopen`, `onmessage`, `onerror`, `onclose`), as many hand-written
 *   test doubles have; their events may even lack a `type`.
 *
 * Either way it needs `send` and `close` functions and a numeric `readyState`.
 */

type Fn = (event: never) => void;

interface Listening {
  addEventListener?: unknown;
  removeEventListener?: unknown;
  onopen?: unknown;
  onmessage?: unknown;
  onerror?: unknown;
  onclose?: unknown;
}

const TYPES = ['open', 'message', 'error', 'close'] as const;

/** True when `native` has `addEventListener` and `removeEventListener`. */
export const isTarget = (native: Listening): boolean =>
  typeof native.addEventListener === 'function' && typeof native.removeEventListener === 'function';

/**
 * Throws `ERR_WS_INVALID_ARGUMENT`, naming what is missing, unless `native` (what the
 * WebSocket constructor returned) is a socket of one of the two shapes.
 */
export function assertSocket(native: unknown): void {
  const n = Object(native) as Record<string, unknown> & Listening;
  const missing = [
    typeof n.send === 'function' ? '' : 'send()',
    typeof n.close === 'function' ? '' : 'close()',
    typeof n.readyState === 'number' ? '' : 'a numeric readyState',
    isTarget(n) || TYPES.every((type) => `on${type}` in n) ? '' : 'addEventListener() or on* properties',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw invalid(
      `options.WebSocketCtor made ${describe(native)}, not a WebSocket: it lacks ${missing.join(', ')}; pass a WebSocket class (e.g. ws's)`,
    );
  }
}

/** The view of an `on*` event that lacks its `type` (a test double's): the event, typed. */
function typed(event: unknown, type: string): WsEvent {
  if (typeof event === 'object' && event !== null) {
    return (event as WsEvent).type === type
      ? (event as WsEvent)
      : (Object.create(event, { type: { value: type } }) as WsEvent);
  }
  return { type };
}

/**
 * Listens to a native socket: `listener` gets `open`, `error` and `close`, `onMessage` gets
 * `message`. Through `addEventListener` where the native has it, else through its `on*`
 * properties (then an event without a `type` reaches `listener` with the type it came for).
 */
export function listen(native: object, listener: Fn, onMessage: Fn): void {
  const n = native as Record<string, unknown>;
  if (isTarget(n)) {
    for (const type of TYPES)
      (n.addEventListener as (t: string, l: Fn) => void).call(n, type, type === 'message' ? onMessage : listener);
    return;
  }
  n.onmessage = onMessage;
  for (const type of ['open', 'error', 'close'])
    n[`on${type}`] = (event: unknown) => listener(typed(event, type) as never);
}

/** Stops listening to a native socket (what `listen` set up). */
export function unlisten(native: object, listener: Fn, onMessage: Fn): void {
  const n = native as Record<string, unknown>;
  for (const type of TYPES) {
    if (isTarget(n))
      (n.removeEventListener as (t: string, l: Fn) => void).call(n, type, type === 'message' ? onMessage : listener);
    else n[`on${type}`] = null;
  }
}
