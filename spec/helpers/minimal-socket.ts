/**
 * A minimal test double of the kind users write by hand (RxJS's own spec double is one):
 * only `on*` properties, no `addEventListener`, and events that are bare objects without a
 * `type`. Synchronous: each driver calls the handler at once. No Node API.
 */
import type { WebSocketConstructor } from '../../src/types.js';

type Handler = ((event: object) => void) | null;

export class MinimalSocket {
  static instances: MinimalSocket[] = [];

  static get last(): MinimalSocket {
    const last = MinimalSocket.instances.at(-1);
    if (last === undefined) throw new Error('no MinimalSocket yet');
    return last;
  }

  readyState = 0;
  onopen: Handler = null;
  onmessage: Handler = null;
  onerror: Handler = null;
  onclose: Handler = null;
  /** What the client sent, in order. */
  readonly sent: unknown[] = [];
  /** Each `close()` call's arguments. */
  readonly closeCalls: [number | undefined, string | undefined][] = [];

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {
    MinimalSocket.instances.push(this);
  }

  send(data: unknown): void {
    if (this.readyState !== 1) throw new Error(`send() while readyState is ${this.readyState}`);
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closeCalls.push([code, reason]);
    if (this.readyState < 2) this.readyState = 2;
  }

  // ---- drivers: what the server does; each event is a bare object, without `type` ----

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  message(data: unknown): void {
    this.onmessage?.({ data });
  }

  error(): void {
    this.onerror?.({});
  }

  closed(code: number, reason: string, wasClean: boolean): void {
    this.readyState = 3;
    this.onclose?.({ code, reason, wasClean });
  }

  /** True when nobody listens any more. */
  get released(): boolean {
    return this.onopen === null && this.onmessage === null && this.onerror === null && this.onclose === null;
  }
}

/** The double as `options.WebSocketCtor` (it lacks the passthrough properties' types, not their use). */
export const MinimalSocketCtor = MinimalSocket as unknown as WebSocketConstructor;
