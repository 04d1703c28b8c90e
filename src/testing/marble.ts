import { Observable, type Subscriber } from 'rxjs';
import type { RunHelpers } from 'rxjs/testing';
import { FakeWebSocket, type FakeMessageData, type FakeSendData } from './fake-websocket.js';

/** A values entry that opens the connection with a subprotocol: `{ open: 'chat.v2' }`. */
export interface MarbleOpen {
  /** The subprotocol the server picks; `''` for none. */
  readonly open: string;
}

/** A values entry that closes from the server with a code: `{ close: 4001, reason: 'bye' }`. */
export interface MarbleClose {
  /** The close code the server sends, e.g. 1000 or 4001. */
  readonly close: number;
  /** @default '' */
  readonly reason?: string;
  /** @default true */
  readonly wasClean?: boolean;
}

/** What a values entry of a script may be: a message from the server, an open, or a close. */
export type MarbleAction = FakeMessageData | MarbleOpen | MarbleClose;

/** Which socket a script drives. */
export interface ScriptOptions {
  /**
   * The index in `server.sockets` (0 is the first socket the client made) of the socket to
   * drive. An action whose socket does not exist yet at its frame fails the test.
   * @default the newest socket at each frame (so a script follows the client across reconnects)
   */
  socket?: number;
}

/** A fake server driven by marble scripts, in a `TestScheduler`'s virtual time. */
export interface MarbleServer {
  /** The constructor to pass as `WebSocketCtor`: a `FakeWebSocket` subclass whose sockets this server drives. */
  readonly WebSocketCtor: typeof FakeWebSocket;
  /** The sockets made from `WebSocketCtor`, oldest first: their `sent`, `closeRequest`, `readyState`... */
  readonly sockets: readonly FakeWebSocket[];
  /**
   * What the client sent, over every socket of this server, each value at the virtual frame of
   * its `send`. It is hot and never completes; a subscriber also gets what was sent earlier in
   * the frame it subscribes in, so `expectObservable(server.sent$)` sees frame 0 whatever the
   * order of the calls in the `run` callback.
   */
  readonly sent$: Observable<FakeSendData>;
  /**
   * Schedules the server's side of the connection, one action per marble, in virtual time from
   * the start of the run (see `marbleServer` for the vocabulary). Call it in the `run` callback.
   * Throws at once for a reserved values key, a bad value, or a marble without a value; an
   * action that cannot apply at its frame (no socket yet, `receive` before open) fails the run.
   */
  script(marbles: string, values?: Readonly<Record<string, MarbleAction>>, options?: ScriptOptions): void;
}

/** The characters a script gives a meaning of its own, and what each means (for error messages). */
const RESERVED: ReadonlyMap<string, string> = new Map([
  ['-', 'one frame of time'],
  [' ', 'nothing (alignment)'],
  ['(', 'the start of a group'],
  [')', 'the end of a group'],
  ['o', 'open'],
  ['#', 'fail (error, then close 1006)'],
  ['|', 'a clean close with 1000'],
  ['^', 'a subscription point (not used in scripts)'],
  ['!', 'an unsubscription point (not used in scripts)'],
]);

// What 'o', '#' and '|' become before the marbles reach `hot()`, which would otherwise end the
// stream at '#' or '|' (a script goes on after a close: the client may reconnect). Characters
// of Unicode's private use area, refused as keys by the same rule as the reserved ones.
const OPEN = '\uE000';
const FAIL = '\uE001';
const CLOSE = '\uE002';

type Step =
  | { readonly kind: 'open'; readonly protocol: string }
  | { readonly kind: 'fail' }
  | { readonly kind: 'close'; readonly code: number; readonly reason: string; readonly wasClean: boolean }
  | { readonly kind: 'receive'; readonly data: FakeMessageData };

function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return 'an array';
      // Object.create(null) has no constructor; the `constructor` property may be anything.
      const described: { readonly constructor?: { readonly name?: string } | null } = value;
      const name = described.constructor?.name;
      return name && name !== 'Object' ? `a ${name}` : 'a plain object';
    }
    case 'string':
      return JSON.stringify(value);
    default:
      return `${typeof value} ${String(value)}`;
  }
}

function isMessageData(value: unknown): value is FakeMessageData {
  if (typeof value === 'string' || ArrayBuffer.isView(value)) return true;
  const tag = Object.prototype.toString.call(value);
  return tag === '[object ArrayBuffer]' || tag === '[object Blob]' || tag === '[object File]';
}

/** Turns a values entry into a step, or throws saying what a values entry may be. */
function toStep(key: string, value: unknown): Step {
  if (isMessageData(value)) return { kind: 'receive', data: value };
  const expected =
    `values[${JSON.stringify(key)}] must be a message from the server (a string, an ArrayBuffer, a typed array or a Blob), ` +
    "{ open: 'protocol' }, or { close: code, reason?, wasClean? }";
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`marbleServer.script(): ${expected}; got ${describeValue(value)}`);
  }
  const entry = value as Record<string, unknown>;
  const keys = Object.keys(entry);
  if ('open' in entry && keys.every((k) => k === 'open')) {
    if (typeof entry.open !== 'string') {
      throw new Error(
        `marbleServer.script(): values[${JSON.stringify(key)}].open must be the subprotocol, a string; got ${describeValue(entry.open)}`,
      );
    }
    return { kind: 'open', protocol: entry.open };
  }
  if ('close' in entry && keys.every((k) => k === 'close' || k === 'reason' || k === 'wasClean')) {
    const { close, reason = '', wasClean = true } = entry;
    if (typeof close !== 'number' || !Number.isInteger(close) || close < 0 || close > 65535) {
      throw new Error(
        `marbleServer.script(): values[${JSON.stringify(key)}].close must be a close code such as 1000 or 4001; got ${describeValue(close)}`,
      );
    }
    if (typeof reason !== 'string') {
      throw new Error(
        `marbleServer.script(): values[${JSON.stringify(key)}].reason must be a string; got ${describeValue(reason)}`,
      );
    }
    if (typeof wasClean !== 'boolean') {
      throw new Error(
        `marbleServer.script(): values[${JSON.stringify(key)}].wasClean must be a boolean; got ${describeValue(wasClean)}`,
      );
    }
    return { kind: 'close', code: close, reason, wasClean };
  }
  throw new Error(
    `marbleServer.script(): ${expected}; got an object with the keys ${JSON.stringify(keys)} ` +
      '(to send JSON, put the text in the values: JSON.stringify(...))',
  );
}

/**
 * A fake WebSocket server for marble tests: it scripts `FakeWebSocket`s with marble strings
 * in the virtual time of a `TestScheduler`'s `run()`, and records what the client sent as an
 * observable, so `expectObservable` checks both directions. Everything happens synchronously,
 * in virtual time; the scripts are `hot()` observables of the run, so an action at frame 0 runs
 * after the `expectObservable` calls of the same callback have subscribed.
 *
 * The marble vocabulary of `script(marbles, values?, options?)`:
 *
 * | marble | the server... |
 * | --- | --- |
 * | `-` | waits one frame (1 ms in run mode); ` ` is ignored; `(ab)` puts a and b on one frame; `10ms ` advances time |
 * | `o` | accepts the connection: `open()` (no subprotocol) |
 * | `#` | fails the connection: `fail()`, an `error` event then `close` 1006, `wasClean: false` |
 * | `\|` | closes cleanly: `serverClose(1000, '', true)`; the script may go on (for the next socket) |
 * | any other character | does what `values[c]` says, or sends `c` itself when no values are given: a string, `ArrayBuffer`, typed array or `Blob` is a message (`receive()`); `{ open: 'chat.v2' }` opens with that subprotocol; `{ close: 4001, reason: 'bye', wasClean: true }` closes with that code |
 *
 * `o # | - ( ) ^ !` and the space are reserved: a values key that is one of them is refused,
 * as is `^` or `!` in a script. Each action drives the newest socket at its frame, so one script
 * follows the client across reconnects; `{ socket: n }` pins a script to `server.sockets[n]`.
 * An action that cannot apply (no socket yet, `receive` before `o`) fails the run with a
 * message naming the marble, the frame and the socket.
 *
 * @example
 * import { TestScheduler } from 'rxjs/testing';
 * import { map } from 'rxjs';
 * import { WebSocket } from 'brython-websocket';
 * import { marbleServer } from 'brython-websocket/testing';
 * new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run((helpers) => {
 *   const server = marbleServer(helpers);
 *   const ws = WebSocket('ws://test/', { WebSocketCtor: server.WebSocketCtor });
 *   ws.bind('message', (evt) => ws.send(`echo ${String(evt.data)}`));
 *   server.script('-o-a-b-x', { a: 'hello', b: 'world', x: { close: 4001, reason: 'bye' } });
 *   helpers.expectObservable(ws).toBe('---a-b-|', { a: 'hello', b: 'world' });
 *   helpers.expectObservable(server.sent$).toBe('---a-b-', { a: 'echo hello', b: 'echo world' });
 *   helpers.expectObservable(ws.close$.pipe(map((e) => e.code))).toBe('-------(c|)', { c: 4001 });
 * });
 */
export function marbleServer(helpers: Pick<RunHelpers, 'hot'>): MarbleServer {
  // A JavaScript caller may pass anything: check it before use.
  const given: unknown = helpers;
  if (typeof given !== 'object' || given === null || !('hot' in given) || typeof given.hot !== 'function') {
    throw new Error('marbleServer(helpers): pass the helpers that TestScheduler.run() gives its callback');
  }
  // Any hot observable of the run carries the run's scheduler: its clock dates the sends.
  const scheduler = helpers.hot('').scheduler;
  const sockets: FakeWebSocket[] = [];
  const subscribers = new Set<Subscriber<FakeSendData>>();
  let sentFrame = -1;
  let sentInFrame: FakeSendData[] = [];

  const recordSent = (data: FakeSendData): void => {
    const now = scheduler.now();
    if (now !== sentFrame) {
      sentFrame = now;
      sentInFrame = [];
    }
    sentInFrame.push(data);
    for (const subscriber of [...subscribers]) subscriber.next(data);
  };

  class MarbleWebSocket extends FakeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      sockets.push(this);
    }

    override send(data: FakeSendData): void {
      const before = this.sent.length;
      super.send(data);
      for (const value of this.sent.slice(before)) recordSent(value);
    }
  }

  const sent$ = new Observable<FakeSendData>((subscriber) => {
    if (sentFrame === scheduler.now()) for (const data of [...sentInFrame]) subscriber.next(data);
    subscribers.add(subscriber);
    return () => {
      subscribers.delete(subscriber);
    };
  });

  // Typed as MarbleServer['script'] says for TypeScript callers; checked here for JavaScript ones.
  const script = (marbles: unknown, values?: unknown, options: ScriptOptions = {}): void => {
    if (typeof marbles !== 'string') {
      throw new Error(
        `marbleServer.script(): the marbles must be a string such as '-o-a-|', got ${describeValue(marbles)}`,
      );
    }
    for (const marker of ['^', '!']) {
      if (marbles.includes(marker)) {
        throw new Error(
          `marbleServer.script(${JSON.stringify(marbles)}): '${marker}' is ${RESERVED.get(marker)}; ` +
            'a script starts at frame 0 of the run: remove it',
        );
      }
    }
    if (values !== undefined && (typeof values !== 'object' || values === null || Array.isArray(values))) {
      throw new Error(
        `marbleServer.script(): values must be an object such as { a: 'hello' }, got ${describeValue(values)}`,
      );
    }
    const socketIndex = options.socket;
    if (socketIndex !== undefined && !(Number.isInteger(socketIndex) && socketIndex >= 0)) {
      throw new Error(
        `marbleServer.script(): options.socket must be an index in server.sockets (0, 1, ...), got ${describeValue(socketIndex)}`,
      );
    }
    const steps = new Map<string, Step>([
      [OPEN, { kind: 'open', protocol: '' }],
      [FAIL, { kind: 'fail' }],
      [CLOSE, { kind: 'close', code: 1000, reason: '', wasClean: true }],
    ]);
    const entries: [string, unknown][] = Object.entries(values ?? {});
    for (const [key, value] of entries) {
      // One code point: RxJS's marble parser splits the marbles into code points too.
      if (Array.from(key).length !== 1) {
        throw new Error(
          `marbleServer.script(): the values key ${JSON.stringify(key)} is not one character; a marble is one character`,
        );
      }
      const meaning = RESERVED.get(key) ?? (steps.has(key) ? 'kept for internal use' : undefined);
      if (meaning !== undefined) {
        throw new Error(
          `marbleServer.script(): ${JSON.stringify(key)} cannot be a values key: in a script it means ${meaning}; ` +
            'use another character for this value',
        );
      }
      steps.set(key, toStep(key, value));
    }
    for (const c of [OPEN, FAIL, CLOSE]) {
      if (marbles.includes(c)) {
        throw new Error(
          `marbleServer.script(): the character U+${c.charCodeAt(0).toString(16).toUpperCase()} is kept for internal use; remove it`,
        );
      }
    }
    const translated = marbles.replace(/[o#|]/g, (c) => (c === 'o' ? OPEN : c === '#' ? FAIL : CLOSE));
    const hot = helpers.hot(translated);
    for (const { frame, notification } of hot.messages) {
      if (notification.kind !== 'N') continue;
      const c = notification.value as string;
      if (steps.has(c)) continue;
      if (values !== undefined) {
        throw new Error(
          `marbleServer.script(${JSON.stringify(marbles)}): the marble ${JSON.stringify(c)} at frame ${frame} has no entry in values; ` +
            `add values[${JSON.stringify(c)}], or remove it from the marbles`,
        );
      }
      steps.set(c, { kind: 'receive', data: c });
    }

    const act = (c: string): void => {
      const marble = c === OPEN ? 'o' : c === FAIL ? '#' : c === CLOSE ? '|' : c;
      const index = socketIndex ?? sockets.length - 1;
      const socket = sockets[index];
      const at = `marbleServer: the marble ${JSON.stringify(marble)} at frame ${scheduler.now()} of ${JSON.stringify(marbles)}`;
      // The loop over hot.messages above gave every marble a step or threw.
      const step = steps.get(c);
      if (step === undefined) throw new Error(`${at} has no action`);
      if (socket === undefined) {
        throw new Error(
          socketIndex === undefined
            ? `${at} has no socket to act on: the client made no socket from server.WebSocketCtor yet`
            : `${at} targets server.sockets[${index}], but the client made ${sockets.length} socket(s) by then`,
        );
      }
      try {
        switch (step.kind) {
          case 'open':
            return socket.open(step.protocol);
          case 'fail':
            return socket.fail();
          case 'close':
            return socket.serverClose(step.code, step.reason, step.wasClean);
          case 'receive':
            return socket.receive(step.data);
        }
      } catch (cause) {
        const why = cause instanceof Error ? cause.message : String(cause);
        const hint =
          socketIndex === undefined && socket.readyState === FakeWebSocket.CLOSED
            ? ' (no newer socket was made: did the client reconnect by then?)'
            : '';
        throw new Error(`${at}, on server.sockets[${index}]: ${why}${hint}`, { cause });
      }
    };

    // hot() observables start when the run flushes; one made while virtual time runs (from a
    // subscription or a scheduled callback) would never start. Say so instead of doing nothing.
    let started = false;
    const setup = hot.setup.bind(hot);
    hot.setup = () => {
      started = true;
      setup();
    };
    scheduler.schedule(() => {
      if (!started) {
        throw new Error(
          `marbleServer.script(${JSON.stringify(marbles)}) was called while virtual time was running ` +
            '(from a subscription or a scheduled callback), where it cannot start: call it in the run() callback; ' +
            'its frames count from the start of the run',
        );
      }
    });

    hot.subscribe((c) => {
      try {
        act(c);
      } catch (error) {
        // An error thrown here would go to RxJS's unhandled-error hook; thrown from a scheduled
        // action, it makes flush(), hence run(), throw: the test fails with this message.
        scheduler.schedule(() => {
          throw error;
        });
      }
    });
  };

  return { WebSocketCtor: MarbleWebSocket, sockets, sent$, script };
}
