/**
 * The pipeline's demo. A local feed (a `ws` server on a free port) streams ticks, one every
 * 5 ms. It drops the first connection without a close frame after 12 ticks; the client
 * reconnects by itself, and the second connection sends 12 more, then ends the feed with a
 * clean 1000. Each window is printed as it closes, then the totals of the run.
 *
 *   npm run build && node examples/node-pipeline/run.mjs
 */
import type { AddressInfo } from 'node:net';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { WebSocketServer } from 'ws';
import { reconnect } from 'brython-websocket/resilience';
import { aggregateTicks, combine, connectTicks, type SymbolStats, type Tick, type TickWindow } from './pipeline.js';

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA'] as const;
const BASE_PRICE: Record<(typeof SYMBOLS)[number], number> = { AAPL: 100, MSFT: 300, NVDA: 900 };

/** The i-th tick of the feed (i = 0, 1, 2…): the same on every run. */
export function demoTick(i: number): Tick {
  const symbol = SYMBOLS[i % SYMBOLS.length];
  if (symbol === undefined) throw new RangeError(`demoTick(i): i is a tick number (0, 1, 2…), not ${i}`);
  return { symbol, price: BASE_PRICE[symbol] + (i % 4) * 0.5, size: 1 + (i % 5) };
}

export interface DemoOptions {
  /** @default 50 */
  windowMs?: number;
  /** Ticks per connection. @default 12 */
  ticksPerConnection?: number;
  /** @default console.log */
  print?: (line: string) => void;
}

interface Feed {
  readonly url: string;
  close(): Promise<void>;
}

/** The feed: connection n sends ticks n×count ... n×count + count − 1, then the first is dropped, the second ends the feed. */
async function startFeed(count: number): Promise<Feed> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  let connections = 0;
  wss.on('connection', (socket) => {
    const n = connections++;
    socket.on('error', () => undefined);
    let i = 0;
    const timer = setInterval(() => {
      const last = i === count - 1;
      socket.send(JSON.stringify(demoTick(n * count + i)), () => {
        if (!last) return;
        // Once the last tick is written: the first connection is dropped (the client sees
        // 1006 and reconnects), the second closes cleanly (1000: the feed is over).
        if (n === 0) socket.terminate();
        else socket.close(1000, 'end of feed');
      });
      if (last) clearInterval(timer);
      i++;
    }, 5);
    socket.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ticks`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const client of wss.clients) client.terminate();
        wss.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function formatStats(s: SymbolStats): string {
  return `${s.symbol} n=${s.count} vol=${s.volume} min=${s.min.toFixed(2)} max=${s.max.toFixed(2)} vwap=${s.vwap.toFixed(2)}`;
}

/** Runs the demo; resolves with the totals once the feed has ended. */
export async function main(options: DemoOptions = {}): Promise<SymbolStats[]> {
  const { windowMs = 50, ticksPerConnection = 12, print = console.log } = options;
  const feed = await startFeed(ticksPerConnection);
  try {
    print(`feed ${feed.url}, windows of ${windowMs} ms`);
    const ticks = connectTicks(feed.url, { reconnect: reconnect({ initialDelay: 100, jitter: 0 }) });
    // Brython-style handlers for the connection's life; the pipeline itself only reads ticks.
    ticks.bind('open', () => print('-- connected'));
    ticks.bind('close', (evt) =>
      print(`-- connection closed: ${evt.code}${evt.reason === '' ? '' : ` ${evt.reason}`} (${ticks.state})`),
    );
    let origin: number | undefined;
    const windows: TickWindow[] = await lastValueFrom(
      aggregateTicks(ticks, windowMs).pipe(
        tap((w) => {
          origin ??= w.start;
          const span = `[${String(w.start - origin).padStart(4)}, ${String(w.end - origin).padStart(4)}) ms`;
          print(`${span}  ${w.symbols.length === 0 ? '(no ticks)' : w.symbols.map(formatStats).join(' | ')}`);
        }),
        toArray(),
      ),
    );
    const totals = combine(windows);
    print(`totals  ${totals.map(formatStats).join(' | ')}`);
    return totals;
  } finally {
    await feed.close();
  }
}
