/**
 * A stream-processing pipeline in Node: a feed of JSON ticks `{ symbol, price, size }` from a
 * WebSocket server, cut into fixed time windows, each window summed up per symbol (count,
 * volume, notional, min, max, VWAP). The socket reconnects after a drop, and the same
 * subscription goes on with the next connection's ticks.
 *
 *   connectTicks(url)                    the socket (ws in Node 20, reconnection, tick parsing)
 *   aggregateTicks(ticks, windowMs)      the windows, as an Observable
 *
 * Run the demo (a local feed that drops once): `npm run build && node examples/node-pipeline/run.mjs`.
 * Tests: `npx vitest run examples/node-pipeline` (a real `ws` server, and marbles in virtual time).
 */
import { asyncScheduler, bufferTime, defer, map, type Observable, type SchedulerLike } from 'rxjs';
import { WebSocket as WsWebSocket } from 'ws';
import { WebSocket, type RxWebSocket, type WebSocketConstructor, type WsMessageEvent } from 'brython-websocket';
import { reconnect, type ReconnectFeature } from 'brython-websocket/resilience';

/** One trade from the feed. */
export interface Tick {
  readonly symbol: string;
  readonly price: number;
  readonly size: number;
}

/** One symbol's ticks in one window. */
export interface SymbolStats {
  readonly symbol: string;
  /** How many ticks. */
  readonly count: number;
  /** The sum of the sizes. */
  readonly volume: number;
  /** The sum of price × size. */
  readonly notional: number;
  readonly min: number;
  readonly max: number;
  /** The volume-weighted average price: notional / volume. */
  readonly vwap: number;
}

/** What the pipeline emits for each window: its time span (scheduler time) and its symbols, by name. */
export interface TickWindow {
  readonly start: number;
  readonly end: number;
  readonly symbols: readonly SymbolStats[];
}

/**
 * How `connectTicks` reconnects unless told otherwise: at once-ish, then backing off to 10 s.
 * A feature object holds no state of its own: each socket it is given to gets its own.
 */
export const FEED_RECONNECT: ReconnectFeature = reconnect({ initialDelay: 250, maxDelay: 10_000, jitter: 0.5 });

export interface FeedOptions {
  /** @default the `ws` package's WebSocket (Node 20 has no global one) */
  WebSocketCtor?: WebSocketConstructor;
  /** `reconnect({ … })` from 'brython-websocket/resilience', or `false` (never). @default FEED_RECONNECT */
  reconnect?: ReconnectFeature | false;
  /** The scheduler of the socket's timers (the reconnect delays). @default asyncScheduler */
  scheduler?: SchedulerLike;
}

/**
 * The deserializer: a text message holding one valid tick. Anything else throws, so the socket
 * skips that message and reports a `DecodeError` on `error$`; the feed goes on.
 */
export function parseTick(event: WsMessageEvent): Tick {
  if (typeof event.data !== 'string') throw new TypeError('a tick is JSON text, not a binary message');
  const value = JSON.parse(event.data) as unknown;
  const { symbol, price, size } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (
    typeof symbol !== 'string' ||
    symbol === '' ||
    typeof price !== 'number' ||
    !Number.isFinite(price) ||
    typeof size !== 'number' ||
    !(size > 0 && Number.isFinite(size))
  ) {
    throw new TypeError(`not a tick { symbol, price, size }: ${event.data}`);
  }
  return { symbol, price, size };
}

/**
 * Opens the feed: an `RxWebSocket` whose messages are `Tick`s. It reconnects after a drop (and
 * after a clean close meaning "going away" or "restarting"); a clean close with 1000 ends it.
 */
export function connectTicks(url: string, options: FeedOptions = {}): RxWebSocket<Tick, never> {
  return WebSocket<Tick, never>(url, {
    WebSocketCtor: options.WebSocketCtor ?? WsWebSocket,
    reconnect: options.reconnect ?? FEED_RECONNECT,
    deserializer: parseTick,
    ...(options.scheduler === undefined ? {} : { scheduler: options.scheduler }),
  });
}

interface Totals {
  count: number;
  volume: number;
  notional: number;
  min: number;
  max: number;
}

/** Adds `part` into `bySymbol`. */
function add(bySymbol: Map<string, Totals>, symbol: string, part: Totals): void {
  const s = bySymbol.get(symbol);
  if (s === undefined) {
    bySymbol.set(symbol, { ...part });
    return;
  }
  s.count += part.count;
  s.volume += part.volume;
  s.notional += part.notional;
  s.min = Math.min(s.min, part.min);
  s.max = Math.max(s.max, part.max);
}

function toStats(bySymbol: Map<string, Totals>): SymbolStats[] {
  return [...bySymbol]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([symbol, s]) => ({ symbol, ...s, vwap: s.notional / s.volume }));
}

/** Sums up ticks per symbol, symbols in name order. */
export function summarize(ticks: readonly Tick[]): SymbolStats[] {
  const bySymbol = new Map<string, Totals>();
  for (const { symbol, price, size } of ticks) {
    add(bySymbol, symbol, { count: 1, volume: size, notional: price * size, min: price, max: price });
  }
  return toStats(bySymbol);
}

/** Adds up the stats of several windows, per symbol (e.g. the totals of a run). */
export function combine(windows: readonly TickWindow[]): SymbolStats[] {
  const bySymbol = new Map<string, Totals>();
  for (const window of windows) {
    for (const { symbol, count, volume, notional, min, max } of window.symbols) {
      add(bySymbol, symbol, { count, volume, notional, min, max });
    }
  }
  return toStats(bySymbol);
}

/**
 * The pipeline: every `windowMs` (on `scheduler`), one `TickWindow` of the ticks received
 * meanwhile, an empty one included (a quiet feed, or a reconnect in progress). The windows
 * start at the subscription. When the feed ends (the socket's final clean close), the last,
 * shorter window is emitted and the stream completes; a final unclean close (reconnection
 * given up) errors it with the socket's `CloseError`.
 *
 * It only reads `ticks`: subscribing opens nothing, unsubscribing closes nothing.
 */
export function aggregateTicks(
  ticks: Observable<Tick>,
  windowMs: number,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<TickWindow> {
  return defer(() => {
    let start = scheduler.now();
    return ticks.pipe(
      bufferTime(windowMs, scheduler),
      map((batch): TickWindow => {
        const end = scheduler.now();
        const window = { start, end, symbols: summarize(batch) };
        start = end;
        return window;
      }),
    );
  });
}
