import { WebSocketError } from './errors.js';
import type { SendData } from './types.js';

/** The default bound of the outgoing queue, in messages. */
export const DEFAULT_MAX_QUEUE = 1000;

/**
 * The outgoing queue: bounded, first in first out. `push` refuses (throws
 * `ERR_WS_QUEUE_FULL`) rather than drop; `drain` hands everything back in order.
 * A head index keeps `shift` O(1) for queues of any length.
 */
export class Outbox {
  private items: SendData[] = [];
  private head = 0;

  constructor(readonly max: number) {}

  get size(): number {
    return this.items.length - this.head;
  }

  push(data: SendData): void {
    if (this.size >= this.max) {
      throw new WebSocketError(
        'ERR_WS_QUEUE_FULL',
        `the send queue is full (${this.max} messages); nothing was queued. Wait for open, or raise options.maxQueue`,
      );
    }
    this.items.push(data);
  }

  shift(): SendData | undefined {
    if (this.head === this.items.length) return undefined;
    const data = this.items[this.head];
    this.items[this.head++] = undefined as unknown as SendData;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return data;
  }

  drain(): SendData[] {
    const out = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return out;
  }
}
