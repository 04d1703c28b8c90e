/**
 * Property-based tests (fast-check): random interleavings of client calls (bind, unbind, send,
 * next, close, complete) and server events (open, message, error, server close, reconnects in
 * virtual time) on `FakeWebSocket`, checked against a model after every step.
 *
 * The harness keeps a model of what the socket must do and a witness: the first subscriber of
 * each event stream, which logs every event with the socket's state at that moment. After each
 * step it checks:
 * - each handler was called once per event, in bind order (the witness's event, then exactly
 *   the handlers bound to that event, each with that same event object);
 * - each native event reached its stream once, and every other event is one the socket makes
 *   (a DecodeError, a connect timeout and its 4901 close);
 * - `send`/`next` return or throw what the state says; the frames the servers got are the
 *   accepted ones, in order, once each (an open handler's sends go ahead of the queue, as
 *   documented); after the final close `drainQueue()` holds the rest;
 * - nothing is sent after the final close, and no fake ever discarded a frame;
 * - every stream (the four events, `state$`, the subject face) terminates once, at the final
 *   close and only then; then no timer and no native listener is left.
 *
 * The heartbeat runs against a model of its own documented rules: pings exactly when nothing
 * was sent for `interval`; a dead link detected by checks every `timeout / 4` (4 silent in a
 * row), so exactly `timeout` after the open when nothing arrived, else within
 * [timeout, 1.25 × timeout] of the last message.
 *
 * A failure's shrunk counterexample is kept in spec/regressions/ as a plain test.
 */
import fc from 'fast-check';
import { config, type Observable, VirtualTimeScheduler } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloseError, DecodeError, isWebSocketError, type WebSocketError } from '../src/errors.js';
import {
  CLOSE_CONNECT_TIMEOUT,
  CLOSE_HEARTBEAT_TIMEOUT,
  connectTimeout,
  defaultShouldReconnect,
  heartbeat,
  reconnect,
} from '../src/resilience.js';
import { FakeWebSocket } from '../src/testing/index.js';
import type { WsCloseEvent } from '../src/types.js';
import { RxWebSocket, type SocketState } from '../src/websocket.js';
import { textOf } from './helpers/text.js';

const EVENTS = ['open', 'error', 'message', 'close'] as const;
type EvtName = (typeof EVENTS)[number];
type Action = 'record' | 'throw' | 'send' | 'close';

interface Setup {
  reconnect:
    | {
        attempts: number;
        factor: number;
        maxDelay: number;
        resetAfter: number;
        rule: 'default' | 'always' | 'never';
      }
    | undefined;
  connectTimeout: number | undefined;
  maxQueue: number;
  manualCloseHandshake: boolean;
}

type Command =
  | { kind: 'bind'; evt: EvtName; action: Action; again: number | null }
  | { kind: 'unbind'; evt: EvtName; which: number | 'all' | 'stranger' }
  | { kind: 'send' }
  | { kind: 'next'; boom: boolean }
  | { kind: 'close'; code: number | undefined }
  | { kind: 'complete' }
  | { kind: 'open' }
  | { kind: 'message'; bad: boolean }
  | { kind: 'fail' }
  | { kind: 'serverClose'; code: number; wasClean: boolean }
  | { kind: 'tick'; ms: number };

const CONNECTING = FakeWebSocket.CONNECTING;
const OPEN = FakeWebSocket.OPEN;
const CLOSING = FakeWebSocket.CLOSING;
const CLOSED = FakeWebSocket.CLOSED;

const STREAMS = ['open$', 'message$', 'error$', 'close$', 'state$', 'face'] as const;
type StreamName = (typeof STREAMS)[number];

interface HandlerRec {
  readonly id: number;
  readonly evt: EvtName;
  readonly action: Action;
  readonly fn: (event: unknown) => void;
}

type LogEntry =
  | { readonly kind: 'witness'; readonly evt: EvtName; readonly event: unknown; readonly bound: readonly HandlerRec[] }
  | { readonly kind: 'handler'; readonly evt: EvtName; readonly event: unknown; readonly rec: HandlerRec };

interface NativeRecord {
  readonly event: unknown;
  readonly type: string;
  /** true: must reach its stream once; false: never; 'maybe': at most once (a dropped socket's). */
  readonly forward: boolean | 'maybe';
}

interface Accepted {
  readonly payload: string;
  readonly fromOpenHandler: boolean;
}

type SendOutcome = 'sent' | 'queued' | 'ERR_WS_QUEUE_FULL' | 'ERR_WS_INVALID_STATE';

/** Valid close codes for close(): undefined means none given (1000). */
const isValidClose = (code: number | undefined): boolean =>
  code === undefined || code === 1000 || (Number.isInteger(code) && code >= 3000 && code <= 4999);

class Harness {
  readonly scheduler = new VirtualTimeScheduler();
  readonly ws: RxWebSocket<string, string>;
  readonly problems: string[] = [];

  // ---- the model --------------------------------------------------------------------
  private modelState: SocketState = 'connecting';
  private readonly modelStates: SocketState[] = ['connecting'];
  private readonly expectedSent: string[] = [];
  private modelQueue: string[] = [];
  private readonly accepted: Accepted[] = [];
  private closeRequested = false;
  private attempt = 0;
  private openedAt: number | undefined;
  private connectAt = 0;
  private reconnectDue: number | undefined;
  private openDispatch: { closed: boolean } | undefined;
  private finalEvent: { event: WsCloseEvent | undefined } | undefined;
  private finalChecked = false;
  private drained: string[] = [];
  private sentAtFinal = 0;
  private pendingTimeout = false;
  private lastMessage: { data: string; bad: boolean; decoded: boolean } | undefined;

  // ---- what was observed ------------------------------------------------------------
  private fake!: FakeWebSocket;
  private readonly aborted = new Set<FakeWebSocket>();
  private readonly timedOut = new Set<FakeWebSocket>();
  private readonly natives: NativeRecord[] = [];
  private readonly log: LogEntry[] = [];
  private readonly bound: Record<EvtName, HandlerRec[]> = { open: [], error: [], message: [], close: [] };
  private readonly created: Record<EvtName, HandlerRec[]> = { open: [], error: [], message: [], close: [] };
  private readonly ids = new Map<unknown, number>();
  private readonly terminations: Record<
    StreamName,
    { kind: 'complete' | 'error'; error?: unknown; state: SocketState }[]
  > = {
    open$: [],
    message$: [],
    error$: [],
    close$: [],
    state$: [],
    face: [],
  };
  private readonly stateValues: SocketState[] = [];
  private readonly faceValues: string[] = [];
  private readonly expectedFace: string[] = [];
  private readonly reported: unknown[] = [];
  private readonly expectedReports: unknown[] = [];
  private counter = 0;

  constructor(readonly setup: Setup) {
    FakeWebSocket.reset();
    FakeWebSocket.manualCloseHandshake = setup.manualCloseHandshake;
    config.onUnhandledError = (error) => {
      this.reported.push(error);
    };
    const onConnect = (fake: FakeWebSocket): void => {
      this.onConnect(fake);
    };
    class Probe extends FakeWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        onConnect(this);
      }
    }
    const r = setup.reconnect;
    this.ws = new RxWebSocket<string, string>('ws://test/', {
      WebSocketCtor: Probe,
      scheduler: this.scheduler,
      maxQueue: setup.maxQueue,
      ...(setup.connectTimeout === undefined ? {} : { connectTimeout: connectTimeout(setup.connectTimeout) }),
      ...(r === undefined
        ? {}
        : {
            reconnect: reconnect({
              jitter: 0,
              initialDelay: 1,
              factor: r.factor,
              maxDelay: r.maxDelay,
              attempts: r.attempts,
              resetAfter: r.resetAfter,
              ...(r.rule === 'default' ? {} : { shouldReconnect: () => r.rule === 'always' }),
            }),
          }),
      serializer: (value: string) => {
        if (value.startsWith('boom')) throw new BoomError(value);
        return `N:${value}`;
      },
      deserializer: (event) => {
        const data = textOf(event.data);
        if (data.startsWith('bad')) throw new SyntaxError(`cannot decode ${data}`);
        return `in:${data}`;
      },
    });
    // The witness: the first subscriber of each stream.
    const streams: Record<EvtName, Observable<unknown>> = {
      open: this.ws.open$,
      error: this.ws.error$,
      message: this.ws.message$,
      close: this.ws.close$,
    };
    for (const evt of EVENTS) {
      streams[evt].subscribe({
        next: (event) => this.witness(evt, event),
        error: (error: unknown) => this.terminated(`${evt}$`, 'error', error),
        complete: () => this.terminated(`${evt}$`, 'complete'),
      });
    }
    this.ws.state$.subscribe({
      next: (state) => this.stateValues.push(state),
      error: (error: unknown) => this.terminated('state$', 'error', error),
      complete: () => this.terminated('state$', 'complete'),
    });
    this.ws.subscribe({
      next: (value) => this.faceValues.push(value),
      error: (error: unknown) => this.terminated('face', 'error', error),
      complete: () => this.terminated('face', 'complete'),
    });
  }

  private problem(message: string): void {
    this.problems.push(message);
  }

  private now(): number {
    return this.scheduler.now();
  }

  private setState(state: SocketState): void {
    if (this.modelState === state) return;
    this.modelState = state;
    this.modelStates.push(state);
  }

  private get sentAll(): string[] {
    return FakeWebSocket.instances.flatMap((f) => f.sent as string[]);
  }

  // ---- hooks ------------------------------------------------------------------------

  /**
   * The open event fake.open() dispatched, if any. Read through a call: the event handlers set
   * it during fake.open(), which TypeScript's narrowing of the field cannot see.
   */
  private openDispatched(): { closed: boolean } | undefined {
    return this.openDispatch;
  }

  private onConnect(fake: FakeWebSocket): void {
    if (FakeWebSocket.instances.length > 1) {
      if (this.modelState !== 'reconnecting') this.problem(`a new socket was made while ${this.modelState}`);
      if (this.reconnectDue !== this.now()) {
        this.problem(`reconnected at ${this.now()}, expected at ${String(this.reconnectDue)}`);
      }
    }
    this.fake = fake;
    this.connectAt = this.now();
    this.openedAt = undefined;
    this.reconnectDue = undefined;
    this.setState('connecting');
    for (const type of EVENTS) {
      // Added before the socket's own listener: this sees each native event first.
      fake.addEventListener(type, (event: unknown) => {
        let forward: boolean | 'maybe' = true;
        if (type === 'error' && this.aborted.has(fake)) forward = false;
        else if (this.timedOut.has(fake) && (type === 'error' || type === 'close')) forward = 'maybe';
        this.natives.push({ event, type, forward });
      });
    }
  }

  private witness(evt: EvtName, event: unknown): void {
    const state = this.ws.state;
    this.log.push({ kind: 'witness', evt, event, bound: [...this.bound[evt]] });
    const native = this.natives.some((n) => n.event === event);
    switch (evt) {
      case 'open':
        if (!native) this.problem('an open event that no socket dispatched');
        if (this.modelState !== 'connecting') this.problem(`an open event while ${this.modelState}`);
        this.setState('open');
        this.openedAt = this.now();
        this.openDispatch = { closed: false };
        break;
      case 'message': {
        if (!native) this.problem('a message event that no socket dispatched');
        if (this.lastMessage?.bad === true && !this.lastMessage.decoded) {
          this.problem(`no DecodeError for ${this.lastMessage.data}`);
        }
        const data = String((event as { data: unknown }).data);
        const bad = data.startsWith('bad');
        this.lastMessage = { data, bad, decoded: false };
        if (!bad) this.expectedFace.push(`in:${data}`);
        break;
      }
      case 'error':
        if (event instanceof DecodeError) {
          const last = this.lastMessage;
          if (last === undefined || !last.bad || last.decoded || event.data !== last.data) {
            this.problem(`an unexpected DecodeError for ${String(event.data)}`);
          } else last.decoded = true;
        } else if (isWebSocketError(event)) {
          const due = this.setup.connectTimeout === undefined ? undefined : this.connectAt + this.setup.connectTimeout;
          if (event.code !== 'ERR_WS_TIMEOUT' || this.modelState !== 'connecting' || due !== this.now()) {
            this.problem(`an unexpected ${event.code} at ${this.now()} while ${this.modelState}`);
          }
          this.timedOut.add(this.fake);
          this.pendingTimeout = true;
        } else if (!native) this.problem('an error event that no socket dispatched');
        break;
      case 'close': {
        const close = event as WsCloseEvent;
        if (!native) {
          if (!this.pendingTimeout || close.code !== CLOSE_CONNECT_TIMEOUT || close.wasClean) {
            this.problem(`a close event (${close.code}) that no socket dispatched`);
          }
          this.pendingTimeout = false;
        }
        const final = this.isFinal(close);
        if (final) this.reachFinal(close);
        else this.setState('reconnecting');
        if (state !== this.modelState)
          this.problem(`close$ emitted ${close.code} while ${state}, expected ${this.modelState}`);
        break;
      }
    }
    if (evt !== 'close' && state !== this.modelState)
      this.problem(`${evt}$ emitted while ${state}, expected ${this.modelState}`);
  }

  /** The reconnect rule, as documented; updates the attempt count and the next delay. */
  private isFinal(event: WsCloseEvent): boolean {
    const policy = this.setup.reconnect;
    if (policy === undefined || this.closeRequested) return true;
    if (event.wasClean) {
      const again = policy.rule === 'default' ? defaultShouldReconnect(event) : policy.rule === 'always';
      if (!again) return true;
    }
    if (this.openedAt !== undefined && this.now() - this.openedAt >= policy.resetAfter) this.attempt = 0;
    if (this.attempt >= policy.attempts) return true;
    this.attempt++;
    this.reconnectDue = this.now() + Math.min(policy.maxDelay, policy.factor ** (this.attempt - 1));
    return false;
  }

  private reachFinal(event: WsCloseEvent | undefined): void {
    this.setState('closed');
    this.finalEvent = { event };
    this.sentAtFinal = this.sentAll.length;
  }

  private terminated(stream: StreamName, kind: 'complete' | 'error', error?: unknown): void {
    this.terminations[stream].push({ kind, error, state: this.ws.state });
  }

  private handler(rec: HandlerRec, event: unknown): void {
    this.log.push({ kind: 'handler', evt: rec.evt, event, rec });
    switch (rec.action) {
      case 'record':
        return;
      case 'throw': {
        const error = new Error(`handler ${rec.id} threw`);
        this.expectedReports.push(error);
        throw error;
      }
      case 'send': {
        const payload = `h${this.counter++}`;
        this.send(payload, rec.evt === 'open', () => this.ws.send(payload));
        return;
      }
      case 'close':
        this.close(undefined);
        return;
    }
  }

  // ---- client calls -----------------------------------------------------------------

  private predictSend(): SendOutcome {
    const state = this.modelState;
    if (state === 'open' && this.fake.readyState === OPEN) return 'sent';
    if (
      state === 'connecting' ||
      state === 'reconnecting' ||
      (state === 'open' && this.setup.reconnect !== undefined)
    ) {
      return this.modelQueue.length >= this.setup.maxQueue ? 'ERR_WS_QUEUE_FULL' : 'queued';
    }
    return 'ERR_WS_INVALID_STATE';
  }

  private send(payload: string, fromOpenHandler: boolean, call: () => boolean): void {
    const expected = this.predictSend();
    const fake = this.fake;
    const before = fake.sent.length;
    const queuedBefore = this.ws.queued;
    let outcome: string;
    try {
      const result = call();
      outcome = result ? 'sent' : 'queued';
    } catch (error) {
      outcome = isWebSocketError(error) ? error.code : `threw ${String(error)}`;
    }
    if (outcome !== expected) {
      this.problem(`${payload} while ${this.modelState}: expected ${expected}, got ${outcome}`);
      return;
    }
    if (outcome === 'sent') {
      if (fake.sent.length !== before + 1 || fake.sent[before] !== payload) {
        this.problem(`${payload}: send returned true but the socket did not get it`);
      }
      this.expectedSent.push(payload);
      this.accepted.push({ payload, fromOpenHandler });
    } else if (outcome === 'queued') {
      if (this.ws.queued !== queuedBefore + 1)
        this.problem(`${payload}: send returned false but queued is ${this.ws.queued}`);
      this.modelQueue.push(payload);
      this.accepted.push({ payload, fromOpenHandler });
    } else if (this.ws.queued !== queuedBefore || fake.sent.length !== before) {
      this.problem(`${payload}: a send that threw changed the queue or the socket`);
    }
  }

  private close(code: number | undefined, via: 'close' | 'complete' = 'close'): void {
    if (!isValidClose(code)) {
      const before = this.ws.state;
      try {
        this.ws.close(code);
        this.problem(`close(${String(code)}) did not throw`);
      } catch (error) {
        if (!isWebSocketError(error) || error.code !== 'ERR_WS_INVALID_CLOSE')
          this.problem(`close(${String(code)}) threw ${String(error)}`);
      }
      if (this.ws.state !== before) this.problem(`close(${String(code)}) threw but changed the state`);
      return;
    }
    // The model first: the fake may dispatch the close event inside the call.
    const state = this.modelState;
    if (state !== 'closing' && state !== 'closed') {
      this.closeRequested = true;
      if (this.openDispatch !== undefined) this.openDispatch.closed = true;
      if (state === 'reconnecting') this.reachFinal(undefined);
      else {
        this.setState('closing');
        if (this.fake.readyState === CONNECTING) this.aborted.add(this.fake);
      }
    }
    try {
      if (via === 'complete') this.ws.complete();
      else if (code === undefined) this.ws.close();
      else this.ws.close(code, `bye ${code}`);
    } catch (error) {
      this.problem(`${via}(${String(code)}) threw ${String(error)}`);
    }
  }

  step(command: Command): void {
    const fake = this.fake;
    switch (command.kind) {
      case 'bind': {
        const evt = command.evt;
        let rec: HandlerRec;
        const old = this.created[evt];
        if (command.again !== null && old.length > 0) rec = old[command.again % old.length]!;
        else {
          const made: HandlerRec = {
            id: this.counter++,
            evt,
            action: command.action,
            fn: (event: unknown) => this.handler(made, event),
          };
          rec = made;
          old.push(rec);
          this.ids.set(rec.fn, rec.id);
        }
        try {
          this.ws.bind(evt, rec.fn);
          if (this.modelState === 'closed') this.problem('bind after the final close did not throw');
          this.bound[evt].push(rec);
        } catch (error) {
          if (this.modelState !== 'closed' || !isWebSocketError(error) || error.code !== 'ERR_WS_INVALID_STATE') {
            this.problem(`bind threw ${String(error)} while ${this.modelState}`);
          }
        }
        break;
      }
      case 'unbind': {
        const evt = command.evt;
        const which = command.which;
        if (which === 'all') {
          this.ws.unbind(evt);
          this.bound[evt] = [];
          break;
        }
        const old = this.created[evt];
        const fn = which === 'stranger' || old.length === 0 ? () => undefined : old[which % old.length]!.fn;
        const isBound = this.bound[evt].some((r) => r.fn === fn);
        try {
          this.ws.unbind(evt, fn);
          if (!isBound) this.problem('unbind of a handler that is not bound did not throw');
        } catch (error) {
          if (isBound || !isWebSocketError(error) || error.code !== 'ERR_WS_INVALID_ARGUMENT') {
            this.problem(`unbind threw ${String(error)}`);
          }
        }
        this.bound[evt] = this.bound[evt].filter((r) => r.fn !== fn);
        break;
      }
      case 'send': {
        const payload = `c${this.counter++}`;
        this.send(payload, false, () => this.ws.send(payload));
        break;
      }
      case 'next': {
        const value = `${command.boom ? 'boom' : 'v'}${this.counter++}`;
        if (command.boom) {
          const before = { state: this.ws.state, queued: this.ws.queued, sent: this.sentAll.length };
          try {
            this.ws.next(value);
            this.problem('next() with a throwing serializer did not throw');
          } catch (error) {
            if (!(error instanceof BoomError) || error.message !== value)
              this.problem(`next() threw ${String(error)}, not the serializer's error`);
          }
          const after = { state: this.ws.state, queued: this.ws.queued, sent: this.sentAll.length };
          if (JSON.stringify(after) !== JSON.stringify(before)) this.problem('a serializer error changed the socket');
        } else this.send(`N:${value}`, false, () => this.ws.next(value));
        break;
      }
      case 'close':
        this.close(command.code);
        break;
      case 'complete':
        this.close(1000, 'complete');
        break;
      case 'open': {
        if (fake.readyState !== CONNECTING) return;
        this.openDispatch = undefined;
        fake.open();
        // The queue goes out right after the open handlers, unless one of them closed.
        const dispatch = this.openDispatched();
        if (dispatch === undefined) this.problem('open() dispatched no open event');
        else if (!dispatch.closed) {
          this.expectedSent.push(...this.modelQueue);
          this.modelQueue = [];
        }
        this.openDispatch = undefined;
        break;
      }
      case 'message':
        if (fake.readyState !== OPEN) return;
        fake.receive(`${command.bad ? 'bad' : 's'}${this.counter++}`);
        break;
      case 'fail':
        if (fake.readyState === CLOSED) return;
        fake.fail();
        break;
      case 'serverClose':
        if (fake.readyState !== OPEN && fake.readyState !== CLOSING) return;
        fake.serverClose(command.code, `server ${command.code}`, command.wasClean);
        break;
      case 'tick': {
        const target = this.now() + command.ms;
        this.scheduler.maxFrames = target;
        this.scheduler.flush();
        this.scheduler.frame = target;
        break;
      }
    }
    this.pendingTimeout = false;
  }

  /** Every check, after each step. */
  check(): void {
    const ws = this.ws;
    expect(this.problems).toEqual([]);
    expect(ws.state).toBe(this.modelState);
    expect(this.stateValues).toEqual(this.modelStates);
    // Each native event reached its stream once; each handler ran once per event, in bind order.
    for (const n of this.natives) {
      const seen = this.log.filter((e) => e.kind === 'witness' && e.event === n.event).length;
      const allowed = n.forward === 'maybe' ? [0, 1] : [n.forward ? 1 : 0];
      expect(allowed, `native ${n.type} event reached its stream ${seen} times`).toContain(seen);
    }
    const witnessed = new Set<unknown>();
    for (const entry of this.log) {
      if (entry.kind !== 'witness') continue;
      witnessed.add(entry.event);
      const calls = this.log
        .filter((e) => e.kind === 'handler' && e.event === entry.event)
        .map((e) => (e as { rec: HandlerRec }).rec.id);
      expect(calls, `the handlers of a ${entry.evt} event`).toEqual(entry.bound.map((r) => r.id));
    }
    for (const entry of this.log) {
      if (entry.kind === 'handler')
        expect(witnessed.has(entry.event), `handler ${entry.rec.id} got an event the stream never emitted`).toBe(true);
    }
    expect(this.reported).toEqual(this.expectedReports);
    for (const evt of EVENTS) {
      expect(ws.events(evt).map((fn) => this.ids.get(fn))).toEqual(this.bound[evt].map((r) => r.id));
    }
    // Frames: the accepted ones, in order, once each; no fake ever discarded one.
    expect(this.sentAll).toEqual(this.expectedSent);
    expect(ws.queued).toBe(this.modelQueue.length);
    for (const f of FakeWebSocket.instances) expect(f.discarded).toEqual([]);
    expect(this.faceValues).toEqual(this.expectedFace);
    if (this.lastMessage?.bad === true)
      expect(this.lastMessage.decoded, `a DecodeError for ${this.lastMessage.data}`).toBe(true);
    // Timers fire when due: nothing late.
    if (this.modelState === 'connecting' && this.setup.connectTimeout !== undefined) {
      expect(this.now()).toBeLessThan(this.connectAt + this.setup.connectTimeout);
    }
    if (this.modelState === 'reconnecting') expect(this.now()).toBeLessThan(this.reconnectDue!);
    if (this.modelState !== 'closed') {
      for (const stream of STREAMS)
        expect(this.terminations[stream], `${stream} terminated before the final close`).toEqual([]);
      return;
    }
    // The final close.
    for (const stream of STREAMS) {
      expect(
        this.terminations[stream].map((t) => t.state),
        `${stream} terminates once, at the final close`,
      ).toEqual(['closed']);
      if (stream !== 'face') expect(this.terminations[stream][0]!.kind).toBe('complete');
    }
    const event = this.finalEvent!.event;
    const face = this.terminations.face[0]!;
    if (this.closeRequested || event === undefined || event.wasClean) expect(face.kind).toBe('complete');
    else {
      expect(face.kind).toBe('error');
      expect(face.error).toBeInstanceOf(CloseError);
      expect((face.error as CloseError).closeCode).toBe(event.code);
    }
    expect(this.sentAll.length, 'nothing is sent after the final close').toBe(this.sentAtFinal);
    if (this.finalChecked) return;
    this.finalChecked = true;
    this.drained = ws.drainQueue() as string[];
    expect(this.drained).toEqual(this.modelQueue);
    this.modelQueue = [];
    expect(ws.queued).toBe(0);
    expect(this.scheduler.actions, 'no timer is left after the final close').toEqual([]);
    for (const f of FakeWebSocket.instances) {
      expect(f.readyState).toBe(CLOSED);
      // Only the harness's own listener is left on each native socket.
      for (const type of EVENTS) expect(f.listenerCount(type), `${type} listeners left`).toBe(1);
    }
    // The invariants as the issue states them: what reached the servers, then what is still
    // queued, is what was accepted, in order, once each, except that an open handler's sends
    // go ahead of the queue (documented); they reached the server once each too.
    const delivered = [...this.sentAll, ...this.drained];
    expect(new Set(delivered).size).toBe(delivered.length);
    expect([...delivered].sort()).toEqual(this.accepted.map((a) => a.payload).sort());
    const early = new Set(this.accepted.filter((a) => a.fromOpenHandler).map((a) => a.payload));
    expect(delivered.filter((p) => !early.has(p))).toEqual(
      this.accepted.filter((a) => !a.fromOpenHandler).map((a) => a.payload),
    );
    // A late subscriber is terminated at once.
    for (const stream of [ws.open$, ws.message$, ws.error$, ws.close$, ws] as Observable<unknown>[]) {
      let ended = false;
      stream.subscribe({ complete: () => (ended = true), error: () => (ended = true) });
      expect(ended).toBe(true);
    }
  }

  /** Closes for good if the commands did not: the final-close checks then always run. */
  finish(): void {
    if (this.modelState !== 'closed') {
      this.step({ kind: 'close', code: undefined });
      this.check();
    }
    if (this.modelState === 'closing' && this.fake.readyState === CLOSING) {
      this.step({ kind: 'serverClose', code: 1000, wasClean: true });
      this.check();
    }
    expect(this.modelState).toBe('closed');
  }
}

class BoomError extends Error {
  override name = 'BoomError';
}

// ---- arbitraries --------------------------------------------------------------------

const evtArb = fc.constantFrom(...EVENTS);

const setupArb: fc.Arbitrary<Setup> = fc.record({
  reconnect: fc.option(
    fc.record({
      attempts: fc.constantFrom(Infinity, 0, 1, 3),
      factor: fc.constantFrom(1, 2),
      maxDelay: fc.integer({ min: 1, max: 4 }),
      resetAfter: fc.constantFrom(1, 3, 1e9),
      rule: fc.constantFrom('default' as const, 'always' as const, 'never' as const),
    }),
    { nil: undefined, freq: 4 },
  ),
  connectTimeout: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined, freq: 2 }),
  maxQueue: fc.constantFrom(0, 1, 3, 1000),
  manualCloseHandshake: fc.boolean(),
});

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('bind' as const),
      evt: evtArb,
      action: fc.constantFrom<Action>('record', 'record', 'throw', 'send', 'close'),
      again: fc.option(fc.nat(4), { nil: null, freq: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('unbind' as const),
      evt: evtArb,
      which: fc.oneof(fc.nat(4), fc.constant('all' as const), fc.constant('stranger' as const)),
    }),
  },
  { weight: 4, arbitrary: fc.constant({ kind: 'send' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('next' as const), boom: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('close' as const),
      code: fc.constantFrom(undefined, 1000, 3000, 4999, 0, 999, 1001, 2999, 5000),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'complete' as const }) },
  { weight: 4, arbitrary: fc.constant({ kind: 'open' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('message' as const), bad: fc.boolean() }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'fail' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('serverClose' as const),
      code: fc.constantFrom(1000, 1001, 1005, 1006, 1008, 1011, 1012, 1013, 1014, 3000, 4000, 4999),
      wasClean: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 4 }) }) },
);

const NUM_RUNS = Number(process.env.FC_RUNS ?? 200);

function scenario(setup: Setup, commands: readonly Command[]): void {
  const harness = new Harness(setup);
  harness.check();
  for (const command of commands) {
    harness.step(command);
    harness.check();
  }
  harness.finish();
}

beforeEach(() => {
  FakeWebSocket.reset();
});

afterEach(() => {
  FakeWebSocket.reset();
  config.onUnhandledError = null;
});

describe('random interleavings of client calls and server events (FakeWebSocket, virtual time)', () => {
  it('keep every invariant: handlers, order, nothing lost or sent late, one termination at the final close', () => {
    fc.assert(
      fc.property(setupArb, fc.array(commandArb, { maxLength: 50, size: 'max' }), (setup, commands) => {
        scenario(setup, commands);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('keep them with reconnection on and no connect timeout (long lives across many sockets)', () => {
    const reconnecting = setupArb.map((s) => ({
      ...s,
      connectTimeout: undefined,
      reconnect: s.reconnect ?? {
        attempts: Infinity,
        factor: 1,
        maxDelay: 1,
        resetAfter: 1e9,
        rule: 'always' as const,
      },
    }));
    fc.assert(
      fc.property(reconnecting, fc.array(commandArb, { maxLength: 60, size: 'max' }), (setup, commands) => {
        scenario(setup, commands);
      }),
      { numRuns: NUM_RUNS / 2 },
    );
  });

  it('the harness itself catches a broken invariant (a frame sent twice)', () => {
    // The checks must be able to fail: replay a frame on the socket behind the client's back.
    const harness = new Harness({
      reconnect: undefined,
      connectTimeout: undefined,
      maxQueue: 1000,
      manualCloseHandshake: false,
    });
    harness.step({ kind: 'open' });
    harness.step({ kind: 'send' });
    harness.check();
    const fake = FakeWebSocket.last;
    fake.send(fake.sent[0]!);
    expect(() => harness.check()).toThrow();
  });
});

// ---- the heartbeat, against a model of its documented rules ------------------------------

interface HeartbeatSetup {
  interval: number;
  /** undefined: the default, 2 × interval. */
  timeout: number | undefined;
  /** Virtual ms before the server accepts. */
  openAfter: number;
}

type HeartbeatCommand = { kind: 'tick'; ms: number } | { kind: 'message' } | { kind: 'send' };

/**
 * The heartbeat's rules as documented, on one open connection:
 * - a ping whenever nothing was sent for `interval` ms (any send puts the next one off), exact;
 * - receiving sets a flag; a check runs every `timeout / 4` ms from the open and clears it;
 *   the link is dead at the 4th check in a row that found it unset: so exactly `timeout` after
 *   the open when nothing ever arrived, else `timeout` to 1.25 × `timeout` after the last message.
 * Returns what must have been sent, with its time, and the time of the drop.
 */
class HeartbeatModel {
  readonly sent: [number, string][] = [];
  dead: number | undefined;
  /** A ping due at the very time of the drop: whether it went out first is the scheduler's order. */
  pingAtDrop: number | undefined;
  lastMessage: number | undefined;
  private lastSent: number;
  private nextCheck: number;
  private heard = false;
  private silent = 0;
  readonly quarter: number;

  constructor(
    readonly interval: number,
    readonly timeout: number,
    readonly openAt: number,
  ) {
    this.lastSent = openAt;
    this.quarter = timeout / 4;
    this.nextCheck = timeout === Infinity ? Infinity : openAt + this.quarter;
  }

  /** Runs the timers due up to `target`, in time order. */
  advance(target: number): void {
    while (this.dead === undefined) {
      const ping = this.lastSent + this.interval;
      const check = this.nextCheck;
      const at = Math.min(ping, check);
      if (at > target) return;
      if (check <= ping) {
        if (this.heard) {
          this.heard = false;
          this.silent = 0;
        } else if (++this.silent >= 4) {
          this.dead = check;
          if (ping === check) this.pingAtDrop = check;
          return;
        }
        this.nextCheck = check + this.quarter;
      }
      if (ping <= check) {
        this.sent.push([ping, 'ping']);
        this.lastSent = ping;
      }
    }
  }

  message(at: number): void {
    this.heard = true;
    this.lastMessage = at;
  }

  send(at: number, payload: string): void {
    this.sent.push([at, payload]);
    this.lastSent = at;
  }
}

function heartbeatScenario(setup: HeartbeatSetup, commands: readonly HeartbeatCommand[]): void {
  FakeWebSocket.reset();
  const scheduler = new VirtualTimeScheduler();
  const advance = (ms: number): void => {
    const target = scheduler.now() + ms;
    scheduler.maxFrames = target;
    scheduler.flush();
    scheduler.frame = target;
  };
  /** What the server got, with the virtual time it got it. */
  const got: [number, string][] = [];
  class Timed extends FakeWebSocket {
    override send(data: Parameters<FakeWebSocket['send']>[0]): void {
      if (this.readyState === FakeWebSocket.OPEN) got.push([scheduler.now(), textOf(data)]);
      super.send(data);
    }
  }
  const feature = heartbeat({
    interval: setup.interval,
    message: 'ping',
    ...(setup.timeout === undefined ? {} : { timeout: setup.timeout }),
  });
  const timeout = setup.timeout ?? setup.interval * 2;
  expect(feature.policy).toEqual({ interval: setup.interval, message: 'ping', timeout });
  const ws = new RxWebSocket('ws://test/', { WebSocketCtor: Timed, scheduler, heartbeat: feature });
  const errors: [number, unknown][] = [];
  const closes: [number, number, boolean][] = [];
  ws.error$.subscribe((error) => errors.push([scheduler.now(), error]));
  ws.close$.subscribe((event) => closes.push([scheduler.now(), event.code, event.wasClean]));
  const fake = FakeWebSocket.last;

  advance(setup.openAfter);
  fake.open();
  const model = new HeartbeatModel(setup.interval, timeout, scheduler.now());
  let counter = 0;

  const check = (): void => {
    const dead = model.dead;
    // What went out: the model's frames, in order, at their times; a ping due at the drop's
    // own time may have gone out just before it.
    const expected = [...model.sent];
    if (dead !== undefined && model.pingAtDrop !== undefined && got.length === expected.length + 1)
      expected.push([dead, 'ping']);
    expect(got).toEqual(expected);
    if (dead === undefined) {
      expect(errors).toEqual([]);
      expect(closes).toEqual([]);
      expect(ws.state).toBe('open');
      return;
    }
    expect(errors).toHaveLength(1);
    const [at, error] = errors[0]!;
    expect(at).toBe(dead);
    expect(isWebSocketError(error) && error.code).toBe('ERR_WS_TIMEOUT');
    expect((error as WebSocketError).message).toContain(String(timeout));
    expect(closes).toEqual([[dead, CLOSE_HEARTBEAT_TIMEOUT, false]]);
    expect(ws.state).toBe('closed');
    // The documented window, whatever the checks' phase.
    if (model.lastMessage === undefined) expect(dead - model.openAt).toBe(timeout);
    else {
      expect(dead - model.lastMessage).toBeGreaterThanOrEqual(timeout);
      expect(dead - model.lastMessage).toBeLessThanOrEqual(timeout * 1.25);
    }
  };

  for (const command of commands) {
    switch (command.kind) {
      case 'tick':
        model.advance(scheduler.now() + command.ms);
        advance(command.ms);
        break;
      case 'message':
        if (fake.readyState !== FakeWebSocket.OPEN) break;
        fake.receive(`m${counter++}`);
        model.message(scheduler.now());
        break;
      case 'send': {
        const payload = `u${counter++}`;
        if (model.dead === undefined) {
          expect(ws.send(payload)).toBe(true);
          model.send(scheduler.now(), payload);
        } else {
          expect(() => ws.send(payload)).toThrow(expect.objectContaining({ code: 'ERR_WS_INVALID_STATE' }));
        }
        break;
      }
    }
    check();
  }
  // The end: closed by the client unless the heartbeat dropped it; then nothing is left.
  if (model.dead === undefined) {
    ws.close();
    expect(ws.state).toBe('closed');
    advance(timeout === Infinity ? 1000 : timeout * 2);
    expect(got).toEqual(model.sent);
  } else {
    // Nothing more goes out after the drop, however long the wait.
    const before = got.length;
    advance(timeout * 2 + setup.interval * 2);
    expect(got).toHaveLength(before);
  }
  expect(scheduler.actions, 'no timer is left').toEqual([]);
  expect(fake.readyState).toBe(FakeWebSocket.CLOSED);
  expect(fake.discarded).toEqual([]);
  for (const type of EVENTS) expect(fake.listenerCount(type), `${type} listeners left`).toBe(0);
}

const heartbeatSetupArb: fc.Arbitrary<HeartbeatSetup> = fc.record({
  interval: fc.integer({ min: 1, max: 8 }),
  timeout: fc.constantFrom(undefined, 4, 8, 12, 20, 40, 6, 10, Infinity),
  openAfter: fc.integer({ min: 0, max: 3 }),
});

const heartbeatCommandArb: fc.Arbitrary<HeartbeatCommand> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 10, max: 60 }) }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'message' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'send' as const }) },
);

describe('the heartbeat in virtual time (FakeWebSocket), against a model of its documented rules', () => {
  it('pings exactly when nothing was sent for `interval`; drops with 4900 at the 4th silent check, within [timeout, 1.25 × timeout] of the last message', () => {
    fc.assert(
      fc.property(
        heartbeatSetupArb,
        fc.array(heartbeatCommandArb, { maxLength: 40, size: 'max' }),
        (setup, commands) => {
          heartbeatScenario(setup, commands);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('drops exactly `timeout` after the open when nothing ever arrives, pings or not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(4, 8, 12, 20, 6),
        fc.array(fc.constant({ kind: 'send' as const }), { maxLength: 3 }),
        (interval, timeout, sends) => {
          heartbeatScenario({ interval, timeout, openAfter: 1 }, [...sends, { kind: 'tick', ms: timeout * 2 }]);
        },
      ),
      { numRuns: NUM_RUNS / 2 },
    );
  });
});
