/** A `FakeWebSocket` that can stop reading, as `ws` can (`pause()`/`resume()`/`isPaused`), recording each call. */
import { afterEach, beforeEach } from 'vitest';
import { FakeWebSocket } from '../../src/testing/index.js';
import { RxWebSocket } from '../../src/websocket.js';

export class PausableFake extends FakeWebSocket {
  /** Every one made since `PausableFake.made = []`, oldest first. */
  static made: PausableFake[] = [];
  isPaused = false;
  readonly calls: string[] = [];

  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    PausableFake.made.push(this);
  }

  pause(): void {
    this.calls.push('pause');
    this.isPaused = true;
  }

  resume(): void {
    this.calls.push('resume');
    this.isPaused = false;
  }
}

/** A `FakeWebSocket` whose `bufferedAmount` the test sets (the plain fake's is always 0). */
export class BufferingFake extends FakeWebSocket {
  buffered = 0;

  override get bufferedAmount(): number {
    return this.buffered;
  }
}

/**
 * The streams specs' setup: a fresh `FakeWebSocket` registry before each test, and every socket
 * `open()` made closed after it. `open()` makes a socket on `Ctor` and opens its fake.
 */
export function fakeSockets(): <T = string>(
  Ctor?: typeof FakeWebSocket,
  options?: Record<string, unknown>,
) => { ws: RxWebSocket<T, never>; fake: FakeWebSocket } {
  let sockets: RxWebSocket<unknown, never>[] = [];
  beforeEach(() => {
    FakeWebSocket.reset();
    PausableFake.made = [];
  });
  afterEach(() => {
    for (const ws of sockets) if (ws.state !== 'closed') ws.close();
    sockets = [];
  });
  return <T = string>(Ctor: typeof FakeWebSocket = FakeWebSocket, options: Record<string, unknown> = {}) => {
    const ws = new RxWebSocket<T, never>('ws://test/', { WebSocketCtor: Ctor, ...options });
    sockets.push(ws);
    const fake = FakeWebSocket.last;
    fake.open();
    return { ws, fake };
  };
}
