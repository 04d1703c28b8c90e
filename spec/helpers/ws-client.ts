/**
 * What the integration specs read off a socket on `ws`'s WebSocket, shared by faults.spec.ts
 * and resilience.spec.ts (the probes themselves are in ../integration/probes.ts).
 */
import { onTestFinished } from 'vitest';
import type { RxWebSocket, WsCloseEvent, WsEvent } from '../../src/index.js';
import {
  listenerCounts,
  record,
  trackingScheduler,
  watchFace,
  type RecordedSocket,
  type TrackingScheduler,
} from '../integration/probes.js';

/** The listener counts of a native socket that holds none. */
export const NO_LISTENERS = { open: 0, message: 0, error: 0, close: 0 };

/** A close event as `[code, reason, wasClean]`. */
export function closeOf(event: WsCloseEvent): [number, string, boolean] {
  return [event.code, event.reason, event.wasClean];
}

/** A `ws` ErrorEvent, as far as the specs read it: its message and its error's `code`. */
export function nativeError(event: WsEvent | Error): { type: string; message: unknown; code: unknown } {
  const { type, message, error } = event as { type: string; message?: unknown; error?: { code?: unknown } };
  return { type, message, code: error?.code };
}

/** A `trackingScheduler()` whose leftovers are cancelled when the test ends. */
export function trackedScheduler(): TrackingScheduler {
  const scheduler = trackingScheduler();
  onTestFinished(() => scheduler.cancelAll());
  return scheduler;
}

/** Awaits each native socket's own close event, then returns its listener counts. */
export async function listenersAfterClose(instances: readonly RecordedSocket[]): Promise<Record<string, number>[]> {
  await Promise.all(instances.map((native) => native.closed));
  return instances.map(listenerCounts);
}

/** Recorders of all a socket tells: its four event streams, its states, and its subject face. */
export function recordStreams<In, Out>(ws: RxWebSocket<In, Out>) {
  return {
    opens: record(ws.open$),
    messages: record(ws.message$),
    errors: record(ws.error$),
    closes: record(ws.close$),
    states: record(ws.state$),
    face: watchFace(ws),
  };
}

export type Streams = ReturnType<typeof recordStreams<unknown, unknown>>;
