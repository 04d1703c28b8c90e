/** A `FakeWebSocket` that can stop reading, as `ws` can (`pause()`/`resume()`/`isPaused`), recording each call. */
import { FakeWebSocket } from '../../src/testing/index.js';

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
