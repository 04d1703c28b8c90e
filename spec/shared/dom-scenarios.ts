/**
 * The differential scenarios of the DOM face: the same steps run on a platform WebSocket
 * (Chromium's, undici's in Node) and on an `RxWebSocket`, against an echo server, and each
 * returns a plain JSON record of what the listeners saw. The specs compare the records:
 * spec/integration/dom-differential.spec.ts (undici, in a child process) and
 * spec/browser/dom-interface.spec.ts (Chromium). No Node API: it runs in both.
 */

/** What the scenarios use of a socket: the EventTarget half of the WebSocket interface. */
export interface DomSocket {
  readonly readyState: number;
  readonly url: string;
  readonly protocol: string;
  readonly extensions: string;
  readonly bufferedAmount: number;
  binaryType: string;
  readonly CONNECTING: number;
  readonly OPEN: number;
  readonly CLOSING: number;
  readonly CLOSED: number;
  onopen: unknown;
  onmessage: unknown;
  onerror: unknown;
  onclose: unknown;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: unknown, options?: unknown): void;
  removeEventListener(type: string, listener: unknown, options?: unknown): void;
  dispatchEvent(event: Event): boolean;
}

export type MakeSocket = (url: string) => DomSocket;

type Log = string[];

/** A close event, as the DOM has it (Node 20's types have no `CloseEvent`). */
interface CloseEvent extends Event {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
}

function once<T>(socket: DomSocket, type: string): Promise<T> {
  return new Promise((resolve) => socket.addEventListener(type, resolve, { once: true }));
}

/** The members a fresh socket has, as the interface says. */
export function members(make: MakeSocket, url: string): Record<string, unknown> {
  const socket = make(url);
  const record = {
    methods: ['send', 'close', 'addEventListener', 'removeEventListener', 'dispatchEvent'].map(
      (m) => `${m}:${typeof (socket as unknown as Record<string, unknown>)[m]}`,
    ),
    handlers: [socket.onopen, socket.onmessage, socket.onerror, socket.onclose],
    constants: [socket.CONNECTING, socket.OPEN, socket.CLOSING, socket.CLOSED],
    readyState: socket.readyState,
    protocol: socket.protocol,
    extensions: socket.extensions,
    bufferedAmount: socket.bufferedAmount,
    binaryType: socket.binaryType,
    urlIsString: typeof socket.url === 'string',
  };
  socket.close();
  return record;
}

/**
 * Listener semantics on real events: order, `this`, `handleEvent`, duplicates, `capture`,
 * `once`, `signal`, removal during an event, an `on*` handler replaced and removed.
 */
export async function listeners(make: MakeSocket, url: string): Promise<Record<string, unknown>> {
  const socket = make(url);
  const log: Log = [];
  const self = (who: string, that: unknown): void => {
    if (that !== socket) log.push(`${who}: this is not the socket`);
  };
  const a = function (this: unknown, e: MessageEvent): void {
    self('a', this);
    log.push(`a ${String(e.data)}`);
  };
  const object = {
    handleEvent(this: unknown, e: MessageEvent): void {
      log.push(`object ${String(e.data)} ${this === object ? 'this=object' : 'this=other'}`);
    },
  };
  const controller = new AbortController();
  const removedDuringEvent = (e: MessageEvent): void => {
    log.push(`removed-during-event ${String(e.data)}`);
  };
  socket.addEventListener('message', a);
  socket.onmessage = function (this: unknown, e: MessageEvent) {
    self('onmessage 1', this);
    log.push(`onmessage-1 ${String(e.data)}`);
  };
  socket.addEventListener('message', a); // a duplicate: ignored
  socket.addEventListener('message', a, true); // another capture: a second listener
  socket.addEventListener('message', object);
  socket.addEventListener('message', (e: MessageEvent) => log.push(`once ${String(e.data)}`), { once: true });
  socket.addEventListener('message', (e: MessageEvent) => log.push(`signal ${String(e.data)}`), {
    signal: controller.signal,
  });
  socket.addEventListener('message', (e: MessageEvent) => {
    log.push(`remover ${String(e.data)}`);
    socket.removeEventListener('message', removedDuringEvent);
  });
  socket.addEventListener('message', removedDuringEvent);
  socket.addEventListener('message', (e: MessageEvent) => log.push(`last ${String(e.data)}`), {
    signal: AbortSignal.abort(),
  });

  await once(socket, 'open');
  socket.send('m1');
  await once(socket, 'message');
  log.push('--');
  controller.abort();
  socket.onmessage = function (this: unknown, e: MessageEvent) {
    self('onmessage 2', this);
    log.push(`onmessage-2 ${String(e.data)}`);
  };
  socket.send('m2');
  await once(socket, 'message');
  log.push('--');
  socket.onmessage = null;
  socket.removeEventListener('message', a, { capture: true });
  socket.send('m3');
  await once(socket, 'message');
  const closed = once<CloseEvent>(socket, 'close');
  socket.close(1000, 'done');
  const close = await closed;
  return { log, close: [close.type, close.code, close.reason, close.wasClean], onmessage: socket.onmessage };
}

/** The life of one connection as the four `on*` handlers and the listeners see it. */
export async function lifecycle(make: MakeSocket, url: string): Promise<Record<string, unknown>> {
  const socket = make(url);
  const log: Log = [];
  const states = (): string => `readyState=${socket.readyState}`;
  let target: unknown;
  socket.onopen = (e: Event) => {
    target = e.target;
    log.push(`onopen ${e.type} ${states()}`);
  };
  socket.addEventListener('open', (e: Event) => log.push(`open ${e.type} ${states()}`));
  socket.onmessage = (e: MessageEvent) => log.push(`onmessage ${e.type} ${String(e.data)}`);
  socket.onerror = (e: Event) => log.push(`onerror ${e.type}`);
  socket.onclose = (e: CloseEvent) => log.push(`onclose ${e.type} ${e.code} ${e.reason} ${e.wasClean} ${states()}`);
  const closed = once(socket, 'close');
  await once(socket, 'open');
  socket.send('hello');
  await once(socket, 'message');
  socket.close(4000, 'bye');
  log.push(`after close() ${states()}`);
  await closed;
  // Apart: the one documented difference of native events (see docs/interop.md).
  return { log, readyState: socket.readyState, targetIsSocket: target === socket };
}

/** `dispatchEvent`: any type, in order, `handleEvent`, the return value, and no effect on the connection. */
export async function dispatching(make: MakeSocket, url: string): Promise<Record<string, unknown>> {
  const socket = make(url);
  const log: Log = [];
  const targets: boolean[] = [];
  const object = { handleEvent: (e: Event) => log.push(`object ${e.type}`) };
  socket.addEventListener('custom', function (this: unknown, e: Event) {
    targets.push(e.target === socket);
    log.push(`custom ${e.type} this=${this === socket ? 'socket' : 'other'}`);
    e.preventDefault();
  });
  socket.addEventListener('custom', object);
  socket.onmessage = (e: MessageEvent) => log.push(`onmessage ${String(e.data)}`);
  socket.addEventListener('close', () => log.push('close listener'));
  await once(socket, 'open');
  const results = [
    socket.dispatchEvent(new Event('custom', { cancelable: true })),
    socket.dispatchEvent(new Event('custom')),
    socket.dispatchEvent(new MessageEvent('message', { data: 'forged' })),
    socket.dispatchEvent(new Event('close')),
    socket.dispatchEvent(new Event('nobody-listens')),
  ];
  const stillOpen = socket.readyState;
  // The connection goes on: a real message still arrives.
  socket.send('real');
  await once(socket, 'message');
  const closed = once(socket, 'close');
  socket.close();
  await closed;
  // Apart: the one documented difference of dispatched events (see docs/interop.md).
  return { log, results, stillOpen, targetIsSocket: targets };
}

export const SCENARIOS = { members, listeners, lifecycle, dispatching } as const;
export type ScenarioName = keyof typeof SCENARIOS;

/** Runs every scenario on `make`, one after the other. */
export async function runAll(make: MakeSocket, url: string): Promise<Record<ScenarioName, unknown>> {
  const out = {} as Record<ScenarioName, unknown>;
  for (const name of Object.keys(SCENARIOS) as ScenarioName[]) out[name] = await SCENARIOS[name](make, url);
  return out;
}

/**
 * The HTML rule: a replaced `on*` handler keeps its place among the listeners. undici (Node's
 * WebSocket) puts it at the end instead; this turns a record of the HTML order into undici's,
 * so the Node spec can accept undici's order for undici, and only for undici.
 */
export function undiciOrder(record: Record<ScenarioName, unknown>): Record<ScenarioName, unknown> {
  const listenersRecord = record.listeners as { log: string[] };
  const log = [...listenersRecord.log];
  const start = log.indexOf('--') + 1;
  const end = log.indexOf('--', start);
  const segment = log.slice(start, end);
  const handler = segment.findIndex((line) => line.startsWith('onmessage-2'));
  if (handler !== -1) segment.push(...segment.splice(handler, 1));
  log.splice(start, end - start, ...segment);
  return { ...record, listeners: { ...listenersRecord, log } };
}

/** The record without the fields of the documented differences (`event.target`), and those fields. */
export function apart(record: Record<ScenarioName, unknown>): { same: unknown; targets: unknown } {
  const strip = (r: unknown): { rest: unknown; target: unknown } => {
    const { targetIsSocket, ...rest } = r as { targetIsSocket?: unknown };
    return { rest, target: targetIsSocket };
  };
  const lifecycle = strip(record.lifecycle);
  const dispatching = strip(record.dispatching);
  return {
    same: { ...record, lifecycle: lifecycle.rest, dispatching: dispatching.rest },
    targets: { lifecycle: lifecycle.target, dispatching: dispatching.target },
  };
}
