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
  private _items: SendData[] = [];
  private _head = 0;

  declare readonly _max: number;

  constructor(max: number) {
    this._max = max;
  }

  get _size(): number {
    return this._items.length - this._head;
  }

  _push(data: SendData): void {
    if (this._size >= this._max) {
      throw new WebSocketError(
        'ERR_WS_QUEUE_FULL',
        `the send queue is full (${this._max}): nothing was queued; wait for open, or raise options.maxQueue`,
      );
    }
    this._items.push(data);
  }

  _shift(): SendData | undefined {
    const items = this._items;
    if (this._head === items.length) return undefined;
    const data = items[this._head];
    items[this._head++] = undefined as unknown as SendData;
    // Compacted once empty, or once the sent part is large and at least half: O(1) per message.
    if (this._head === items.length || (this._head >= 1024 && this._head * 2 >= items.length)) {
      this._items = items.slice(this._head);
      this._head = 0;
    }
    return data;
  }

  _drain(): SendData[] {
    const out = this._items.slice(this._head);
    this._items = [];
    this._head = 0;
    return out;
  }
}
