import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloseError, WebSocketError } from '../../src/errors.js';
import { FakeWebSocket, type FakeEvent } from '../../src/testing/index.js';
import type { WebSocketConstructor } from '../../src/types.js';
import { RxWebSocket, WebSocket } from '../../src/websocket.js';
import { thrownBy } from '../helpers/thrown.js';
import { record } from '../shared/record.js';
import { textOf } from '../helpers/text.js';

beforeEach(() => {
  FakeWebSocket.reset();
});

afterEach(() => {
  FakeWebSocket.reset();
});

// ---- Helpers ------------------------------------------------------------------------------

/** The DOMException that `fn` throws, as the DOM's WebSocket would; anything else fails the test. */
function domException(fn: () => unknown): DOMException {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(DOMException);
  return error as DOMException;
}

/** Records every event of the four types (and the readyState at dispatch), in dispatch order. */
function recordEvents(fake: FakeWebSocket): { event: FakeEvent; readyState: number }[] {
  const log: { event: FakeEvent; readyState: number }[] = [];
  for (const type of ['open', 'message', 'error', 'close'] as const) {
    fake.addEventListener(type, (event) => {
      log.push({ event, readyState: fake.readyState });
    });
  }
  return log;
}

function opened(...protocols: string[]): FakeWebSocket {
  const fake = new FakeWebSocket('ws://test/', protocols);
  fake.open();
  return fake;
}

const TYPES = ['open', 'message', 'error', 'close'] as const;

function listenerCounts(fake: FakeWebSocket): Record<string, number> {
  return Object.fromEntries(TYPES.map((type) => [type, fake.listenerCount(type)]));
}

// ---- The fake alone -----------------------------------------------------------------------

describe('FakeWebSocket: the constructor and its statics', () => {
  it('lists every instance in order in instances, the newest as last, and reset() empties that same array', () => {
    const all = FakeWebSocket.instances;
    const a = new FakeWebSocket('ws://a.test/');
    const b = new FakeWebSocket('ws://b.test/');
    expect(FakeWebSocket.instances).toEqual([a, b]);
    expect(FakeWebSocket.last).toBe(b);
    FakeWebSocket.reset();
    expect(all).toHaveLength(0);
    expect(FakeWebSocket.instances).toBe(all);
    const c = new FakeWebSocket('ws://c.test/');
    expect(all).toEqual([c]);
  });

  it('lists instances of subclasses too', () => {
    class Sub extends FakeWebSocket {}
    const sub = new Sub('ws://test/');
    expect(FakeWebSocket.instances).toEqual([sub]);
    expect(FakeWebSocket.last).toBeInstanceOf(Sub);
  });

  it('throws from last, saying what to do, when no socket was made since reset()', () => {
    expect(() => FakeWebSocket.last).toThrow(
      "FakeWebSocket.last: no FakeWebSocket was made since FakeWebSocket.reset(); create a socket first, e.g. WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket })",
    );
  });

  it('has the readyState constants on the constructor and on instances', () => {
    const fake = new FakeWebSocket('ws://test/');
    expect([FakeWebSocket.CONNECTING, FakeWebSocket.OPEN, FakeWebSocket.CLOSING, FakeWebSocket.CLOSED]).toEqual([
      0, 1, 2, 3,
    ]);
    expect([fake.CONNECTING, fake.OPEN, fake.CLOSING, fake.CLOSED]).toEqual([0, 1, 2, 3]);
  });

  it('starts CONNECTING with the DOM defaults', () => {
    const fake = new FakeWebSocket('ws://test/chat?room=1', 'chat.v1');
    expect({
      url: fake.url,
      protocols: fake.protocols,
      readyState: fake.readyState,
      protocol: fake.protocol,
      extensions: fake.extensions,
      bufferedAmount: fake.bufferedAmount,
      binaryType: fake.binaryType,
      sent: fake.sent,
      discarded: fake.discarded,
      closeRequest: fake.closeRequest,
      manualCloseHandshake: fake.manualCloseHandshake,
      handlers: [fake.onopen, fake.onmessage, fake.onerror, fake.onclose],
    }).toEqual({
      url: 'ws://test/chat?room=1',
      protocols: ['chat.v1'],
      readyState: FakeWebSocket.CONNECTING,
      protocol: '',
      extensions: '',
      bufferedAmount: 0,
      binaryType: 'blob',
      sent: [],
      discarded: [],
      closeRequest: undefined,
      manualCloseHandshake: false,
      handlers: [null, null, null, null],
    });
  });

  it('serializes the URL as the DOM does: a URL object, http: as ws:, https: as wss:', () => {
    expect(new FakeWebSocket(new URL('ws://test:8080/a')).url).toBe('ws://test:8080/a');
    expect(new FakeWebSocket('http://test/x').url).toBe('ws://test/x');
    expect(new FakeWebSocket('https://test').url).toBe('wss://test/');
  });

  it.each([
    ['not a URL', 'localhost8080'],
    ['a scheme other than ws/wss/http/https', 'ftp://test/'],
    ['a fragment', 'ws://test/#top'],
  ])('refuses %s with a SyntaxError, as the DOM constructor does', (_, url) => {
    const error = domException(() => new FakeWebSocket(url));
    expect(error.name).toBe('SyntaxError');
    expect(error).toBeInstanceOf(DOMException);
    expect(FakeWebSocket.instances).toEqual([]);
  });

  it.each([
    ['a subprotocol that is not a token', ['chat v1']],
    ['an empty subprotocol', ['']],
    ['a subprotocol listed twice', ['chat', 'chat']],
  ])('refuses %s with a SyntaxError', (_, protocols) => {
    const error = domException(() => new FakeWebSocket('ws://test/', protocols));
    expect(error.name).toBe('SyntaxError');
    expect(error.message).toContain(JSON.stringify(protocols.at(-1)).slice(1, -1));
  });

  it('takes manualCloseHandshake from the constructor it was made with, and reset() turns it off', () => {
    FakeWebSocket.manualCloseHandshake = true;
    expect(new FakeWebSocket('ws://test/').manualCloseHandshake).toBe(true);
    FakeWebSocket.reset();
    expect(FakeWebSocket.manualCloseHandshake).toBe(false);
    expect(new FakeWebSocket('ws://test/').manualCloseHandshake).toBe(false);
    class Manual extends FakeWebSocket {
      static override manualCloseHandshake = true;
    }
    expect(new Manual('ws://test/').manualCloseHandshake).toBe(true);
    expect(new FakeWebSocket('ws://test/').manualCloseHandshake).toBe(false);
  });
});

describe('FakeWebSocket: binaryType', () => {
  it("accepts 'arraybuffer' and 'blob', and ignores any other value as the DOM does", () => {
    const fake = new FakeWebSocket('ws://test/');
    fake.binaryType = 'arraybuffer';
    expect(fake.binaryType).toBe('arraybuffer');
    fake.binaryType = 'nodebuffer';
    expect(fake.binaryType).toBe('arraybuffer');
    fake.binaryType = 'blob';
    expect(fake.binaryType).toBe('blob');
  });
});

describe('FakeWebSocket: send()', () => {
  it('throws an InvalidStateError while CONNECTING, as the DOM does, and records nothing', () => {
    const fake = new FakeWebSocket('ws://test/');
    const error = domException(() => fake.send('early'));
    expect(error).toBeInstanceOf(DOMException);
    expect({ name: error.name, message: error.message }).toEqual({
      name: 'InvalidStateError',
      message: "Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.",
    });
    expect([fake.sent, fake.discarded]).toEqual([[], []]);
  });

  it('records what is sent while OPEN in sent, in order, binary data as given', () => {
    const fake = opened();
    const buffer = new ArrayBuffer(2);
    const view = new Uint8Array([1, 2, 3]);
    fake.send('a');
    fake.send(buffer);
    fake.send(view);
    fake.send('b');
    expect(fake.sent).toEqual(['a', buffer, view, 'b']);
    expect(fake.sent[1]).toBe(buffer);
    expect(fake.sent[2]).toBe(view);
    expect(fake.discarded).toEqual([]);
  });

  it('converts a value of another type to a string, as the DOM does', () => {
    const fake = opened();
    fake.send(42 as unknown as string);
    fake.send({ toString: () => 'object' } as unknown as string);
    expect(fake.sent).toEqual(['42', 'object']);
  });

  it('drops what is sent while CLOSING or CLOSED without throwing (the DOM), recording it in discarded', () => {
    const fake = opened();
    fake.manualCloseHandshake = true;
    fake.send('before');
    fake.close();
    expect(fake.readyState).toBe(FakeWebSocket.CLOSING);
    fake.send('while closing');
    fake.serverClose();
    fake.send('after');
    expect(fake.sent).toEqual(['before']);
    expect(fake.discarded).toEqual(['while closing', 'after']);
  });
});

describe('FakeWebSocket: close() by the client', () => {
  it('while CONNECTING: CLOSED at once, then error and close 1006 (not clean), and the request is recorded', () => {
    const fake = new FakeWebSocket('ws://test/');
    const log = recordEvents(fake);
    fake.close(4000, 'cancel');
    expect(fake.readyState).toBe(FakeWebSocket.CLOSED);
    expect(log).toEqual([
      { event: { type: 'error', target: fake }, readyState: FakeWebSocket.CLOSED },
      {
        event: { type: 'close', target: fake, code: 1006, reason: '', wasClean: false },
        readyState: FakeWebSocket.CLOSED,
      },
    ]);
    expect(fake.closeRequest).toEqual({ code: 4000, reason: 'cancel' });
  });

  it('while OPEN: records the request and completes the handshake at once with that code and reason', () => {
    const fake = opened();
    const log = recordEvents(fake);
    fake.close(4001, 'bye');
    expect(fake.closeRequest).toEqual({ code: 4001, reason: 'bye' });
    expect(fake.readyState).toBe(FakeWebSocket.CLOSED);
    expect(log).toEqual([
      {
        event: { type: 'close', target: fake, code: 4001, reason: 'bye', wasClean: true },
        readyState: FakeWebSocket.CLOSED,
      },
    ]);
  });

  it('while OPEN without a code: the close event has 1005 (no status) and an empty reason', () => {
    const fake = opened();
    const log = recordEvents(fake);
    fake.close();
    expect(fake.closeRequest).toEqual({ code: undefined, reason: undefined });
    expect(log.map(({ event }) => event)).toEqual([
      { type: 'close', target: fake, code: 1005, reason: '', wasClean: true },
    ]);
  });

  it('with manualCloseHandshake: stays CLOSING until serverClose() answers', () => {
    const fake = opened();
    fake.manualCloseHandshake = true;
    const log = recordEvents(fake);
    fake.close(1000, 'done');
    expect({ readyState: fake.readyState, log: [...log], closeRequest: fake.closeRequest }).toEqual({
      readyState: FakeWebSocket.CLOSING,
      log: [],
      closeRequest: { code: 1000, reason: 'done' },
    });
    expect(() => fake.receive('late')).toThrow('receive(): the socket is CLOSING');
    fake.serverClose(1000, 'done');
    expect(fake.readyState).toBe(FakeWebSocket.CLOSED);
    expect(log.map(({ event }) => event)).toEqual([
      { type: 'close', target: fake, code: 1000, reason: 'done', wasClean: true },
    ]);
  });

  it('with FakeWebSocket.manualCloseHandshake: a CLOSING socket can also fail()', () => {
    FakeWebSocket.manualCloseHandshake = true;
    const fake = opened();
    const log = recordEvents(fake);
    fake.close();
    fake.fail();
    expect(log.map(({ event }) => event.type)).toEqual(['error', 'close']);
    expect(log[1]!.event).toEqual({ type: 'close', target: fake, code: 1006, reason: '', wasClean: false });
  });

  it('does nothing when called again, or once CLOSED', () => {
    const fake = opened();
    fake.manualCloseHandshake = true;
    const log = recordEvents(fake);
    fake.close(4000, 'first');
    fake.close(4001, 'second');
    expect(fake.closeRequest).toEqual({ code: 4000, reason: 'first' });
    fake.serverClose(4000, 'first');
    fake.close(4002);
    expect(log).toHaveLength(1);
    expect(fake.closeRequest).toEqual({ code: 4000, reason: 'first' });
  });

  it.each([999, 1001, 1005, 2999, 5000, 2999.4, Number.NaN])(
    'refuses the code %s with an InvalidAccessError and changes nothing',
    (code) => {
      const fake = opened();
      const error = domException(() => fake.close(code));
      expect(error.name).toBe('InvalidAccessError');
      expect(error).toBeInstanceOf(DOMException);
      expect([fake.readyState, fake.closeRequest]).toEqual([FakeWebSocket.OPEN, undefined]);
    },
  );

  it('accepts 1000, 3000 and 4999, and rounds a fraction as WebIDL does (ties to even)', () => {
    const requested = [1000, 3000, 4999, 3000.5, 3001.5, 999.6].map((code) => {
      const fake = opened();
      fake.close(code);
      return fake.closeRequest?.code;
    });
    expect(requested).toEqual([1000, 3000, 4999, 3000, 3002, 1000]);
  });

  it('refuses a reason over 123 bytes of UTF-8 with a SyntaxError, and accepts 123 bytes', () => {
    const fake = opened();
    const error = domException(() => fake.close(1000, 'é'.repeat(62)));
    expect(error.name).toBe('SyntaxError');
    expect(fake.readyState).toBe(FakeWebSocket.OPEN);
    fake.close(1000, `${'é'.repeat(61)}a`);
    expect(fake.readyState).toBe(FakeWebSocket.CLOSED);
  });
});

describe('FakeWebSocket: driving it as the server', () => {
  it('open(): OPEN, then the open event; open(protocol) sets the subprotocol the client offered', () => {
    const fake = new FakeWebSocket('ws://test/', ['chat.v2', 'chat.v1']);
    const log = recordEvents(fake);
    fake.open('chat.v1');
    expect(log).toEqual([{ event: { type: 'open', target: fake }, readyState: FakeWebSocket.OPEN }]);
    expect(fake.protocol).toBe('chat.v1');
  });

  it('open(protocol) refuses a subprotocol the client did not offer', () => {
    const fake = new FakeWebSocket('ws://test/', 'chat.v1');
    expect(() => fake.open('chat.v3')).toThrow(
      'open("chat.v3"): the client offered only ["chat.v1"]; open with one of those, or with no argument',
    );
    expect(() => new FakeWebSocket('ws://test/').open('chat')).toThrow(
      'open("chat"): the client offered no subprotocol',
    );
    expect(fake.readyState).toBe(FakeWebSocket.CONNECTING);
  });

  it('open() twice throws, saying the socket is already OPEN', () => {
    const fake = opened();
    expect(() => fake.open()).toThrow(
      'open(): the socket is OPEN, and open() needs it CONNECTING; open() accepts a CONNECTING socket once; make a new socket to open another',
    );
  });

  it('receive() before open() throws, saying to call open() first', () => {
    const fake = new FakeWebSocket('ws://test/');
    expect(() => fake.receive('hi')).toThrow(
      'receive(): the socket is CONNECTING, and receive() needs it OPEN; call open() first',
    );
  });

  it('receive(text): a message event whose data is the string', () => {
    const fake = opened();
    const log = recordEvents(fake);
    fake.receive('hello');
    fake.receive('');
    expect(log.map(({ event }) => event)).toEqual([
      { type: 'message', target: fake, data: 'hello' },
      { type: 'message', target: fake, data: '' },
    ]);
  });

  it("receive(binary) with binaryType 'arraybuffer': a new ArrayBuffer holding exactly the bytes", () => {
    const fake = opened();
    fake.binaryType = 'arraybuffer';
    const got: unknown[] = [];
    fake.addEventListener('message', (event) => got.push(event.data));
    const buffer = new Uint8Array([1, 2, 3]).buffer;
    const window = new Uint8Array([9, 8, 7, 6, 5]).subarray(1, 4);
    fake.receive(buffer);
    fake.receive(window);
    fake.receive(new DataView(new Uint8Array([4, 5]).buffer));
    expect(got.map((data) => Object.prototype.toString.call(data))).toEqual(Array(3).fill('[object ArrayBuffer]'));
    expect(got.map((data) => [...new Uint8Array(data as ArrayBuffer)])).toEqual([
      [1, 2, 3],
      [8, 7, 6],
      [4, 5],
    ]);
    expect(got[0]).not.toBe(buffer);
  });

  it("receive(binary) with binaryType 'blob' (the default): a Blob holding the bytes; a Blob as given", async () => {
    const fake = opened();
    const got: unknown[] = [];
    fake.addEventListener('message', (event) => got.push(event.data));
    const blob = new Blob(['xyz']);
    fake.receive(new Uint8Array([104, 105]));
    fake.receive(blob);
    expect(got[0]).toBeInstanceOf(Blob);
    expect(await (got[0] as Blob).text()).toBe('hi');
    expect(got[1]).toBe(blob);
  });

  it("receive(Blob) with binaryType 'arraybuffer' throws: a Blob cannot be read synchronously", () => {
    const fake = opened();
    fake.binaryType = 'arraybuffer';
    expect(() => fake.receive(new Blob(['x']))).toThrow(
      "receive(): binaryType is 'arraybuffer' and a Blob cannot be read synchronously; pass its bytes as an ArrayBuffer or a typed array instead",
    );
  });

  it('receive() of a value that is no message data throws a TypeError', () => {
    const fake = opened();
    expect(() => fake.receive({ text: 'hi' } as unknown as string)).toThrow(TypeError);
    expect(() => fake.receive(42 as unknown as string)).toThrow(
      'receive(): pass a string, an ArrayBuffer, a typed array, a DataView or a Blob, got [object Number]',
    );
  });

  it('fail() while CONNECTING or OPEN: CLOSED, an error event, then close 1006 not clean', () => {
    for (const fake of [new FakeWebSocket('ws://test/'), opened()]) {
      const log = recordEvents(fake);
      fake.fail();
      expect(log).toEqual([
        { event: { type: 'error', target: fake }, readyState: FakeWebSocket.CLOSED },
        {
          event: { type: 'close', target: fake, code: 1006, reason: '', wasClean: false },
          readyState: FakeWebSocket.CLOSED,
        },
      ]);
    }
  });

  it('fail() once CLOSED throws', () => {
    const fake = opened();
    fake.fail();
    expect(() => fake.fail()).toThrow(
      'fail(): the socket is CLOSED, and fail() needs it CONNECTING or OPEN or CLOSING',
    );
  });

  it('serverClose() defaults to 1000, empty reason, clean; no error event', () => {
    const fake = opened();
    const log = recordEvents(fake);
    fake.serverClose();
    expect(log).toEqual([
      {
        event: { type: 'close', target: fake, code: 1000, reason: '', wasClean: true },
        readyState: FakeWebSocket.CLOSED,
      },
    ]);
  });

  it('serverClose(code, reason, wasClean) passes them to the close event, unclean too, still without an error event', () => {
    const fake = opened();
    const log = recordEvents(fake);
    fake.serverClose(1011, 'crash', false);
    expect(log.map(({ event }) => event)).toEqual([
      { type: 'close', target: fake, code: 1011, reason: 'crash', wasClean: false },
    ]);
  });

  it('serverClose() while CONNECTING throws, pointing to open() or fail(); a bad code throws', () => {
    const fake = new FakeWebSocket('ws://test/');
    expect(() => fake.serverClose()).toThrow(
      'serverClose(): the socket is CONNECTING, and serverClose() needs it OPEN or CLOSING; call open() first',
    );
    fake.open();
    expect(() => fake.serverClose(1000.5)).toThrow(
      'serverClose(): the code must be a whole number such as 1000 or 4001, got 1000.5',
    );
    expect(fake.readyState).toBe(FakeWebSocket.OPEN);
  });

  it('every driver on a CLOSED socket throws, naming the state', () => {
    const fake = opened();
    fake.serverClose();
    expect(() => fake.receive('x')).toThrow('receive(): the socket is CLOSED, and receive() needs it OPEN');
    expect(() => fake.serverClose()).toThrow('serverClose(): the socket is CLOSED');
    expect(() => fake.open()).toThrow('open(): the socket is CLOSED');
  });
});

describe('FakeWebSocket: listeners', () => {
  it('keeps a listener added twice once (the DOM dedupes by listener and capture)', () => {
    const fake = opened();
    const calls: string[] = [];
    const listener = (event: FakeEvent): void => {
      calls.push(event.type);
    };
    fake.addEventListener('message', listener);
    fake.addEventListener('message', listener);
    fake.addEventListener('message', listener, { once: false });
    expect(fake.listenerCount('message')).toBe(1);
    fake.addEventListener('message', listener, true);
    expect(fake.listenerCount('message')).toBe(2);
    fake.receive('x');
    expect(calls).toEqual(['message', 'message']);
  });

  it('removes by listener (and capture); removing an unknown listener does nothing', () => {
    const fake = opened();
    const calls: string[] = [];
    const a = (): void => {
      calls.push('a');
    };
    const b = (): void => {
      calls.push('b');
    };
    fake.addEventListener('message', a);
    fake.addEventListener('message', b);
    fake.removeEventListener('message', a, true);
    expect(fake.listenerCount('message')).toBe(2);
    fake.removeEventListener('message', a);
    fake.removeEventListener('message', () => undefined);
    fake.removeEventListener('open', b);
    fake.receive('x');
    expect(calls).toEqual(['b']);
    expect(fake.listenerCount('message')).toBe(1);
  });

  it('runs listeners and on<type> handlers in the order they were first set; a handler replaced keeps its place', () => {
    const fake = opened();
    const calls: string[] = [];
    fake.addEventListener('message', () => calls.push('first'));
    fake.onmessage = () => calls.push('handler 1');
    fake.addEventListener('message', { handleEvent: () => calls.push('object') });
    fake.onmessage = function (this: FakeWebSocket, event) {
      calls.push(`handler 2 (${textOf(event.data)}, this is the socket: ${String(this === fake)})`);
    };
    fake.receive('x');
    expect(calls).toEqual(['first', 'handler 2 (x, this is the socket: true)', 'object']);
    expect(fake.listenerCount('message')).toBe(3);
    fake.onmessage = null;
    expect([fake.onmessage, fake.listenerCount('message')]).toEqual([null, 2]);
  });

  it('calls onopen, onerror and onclose with the events', () => {
    const fake = new FakeWebSocket('ws://test/');
    const calls: unknown[] = [];
    fake.onopen = (event) => calls.push(event);
    fake.onerror = (event) => calls.push(event);
    fake.onclose = (event) => calls.push(event);
    fake.open();
    fake.fail();
    expect(calls).toEqual([
      { type: 'open', target: fake },
      { type: 'error', target: fake },
      { type: 'close', target: fake, code: 1006, reason: '', wasClean: false },
    ]);
  });

  it('honours once and signal', () => {
    const fake = opened();
    const calls: string[] = [];
    const controller = new AbortController();
    fake.addEventListener('message', () => calls.push('once'), { once: true });
    fake.addEventListener('message', () => calls.push('signal'), { signal: controller.signal });
    fake.receive('1');
    controller.abort();
    fake.receive('2');
    expect(calls).toEqual(['once', 'signal']);
    expect(fake.listenerCount('message')).toBe(0);
    fake.addEventListener('message', () => calls.push('aborted already'), { signal: controller.signal });
    expect(fake.listenerCount('message')).toBe(0);
  });

  it('skips a listener removed during a dispatch, and does not call one added during it until the next event', () => {
    const fake = opened();
    const calls: string[] = [];
    const late = (): void => {
      calls.push('late');
    };
    const removed = (): void => {
      calls.push('removed');
    };
    fake.addEventListener('message', () => {
      calls.push('first');
      fake.removeEventListener('message', removed);
      fake.addEventListener('message', late);
    });
    fake.addEventListener('message', removed);
    fake.receive('1');
    fake.receive('2');
    expect(calls).toEqual(['first', 'first', 'late']);
  });

  it('dispatchEvent() calls the listeners with the event as given, returns true, and changes no state', () => {
    const fake = new FakeWebSocket('ws://test/');
    const got: unknown[] = [];
    fake.addEventListener('message', (event) => got.push(event));
    const event = { type: 'message', data: 'forged' };
    expect(fake.dispatchEvent(event)).toBe(true);
    expect(got).toEqual([event]);
    expect(got[0]).toBe(event);
    expect(fake.readyState).toBe(FakeWebSocket.CONNECTING);
    expect(() => fake.dispatchEvent({} as { type: string })).toThrow(TypeError);
  });

  it('runs every listener when one throws, and the driver rethrows the first error after the dispatch', () => {
    const fake = new FakeWebSocket('ws://test/');
    const calls: string[] = [];
    fake.addEventListener('open', () => {
      throw new Error('first');
    });
    fake.addEventListener('open', () => {
      throw new Error('second');
    });
    fake.addEventListener('open', () => calls.push('third'));
    expect(() => fake.open()).toThrow('first');
    expect(calls).toEqual(['third']);
    expect(fake.readyState).toBe(FakeWebSocket.OPEN);
  });

  it('dispatches the events a listener causes after the current event, before the driver returns', () => {
    const fake = new FakeWebSocket('ws://test/');
    const calls: string[] = [];
    fake.addEventListener('open', () => {
      calls.push('open 1');
      fake.close(4000);
      calls.push(`after close(): readyState ${fake.readyState}`);
    });
    fake.addEventListener('open', () => calls.push('open 2'));
    fake.addEventListener('close', (event) => calls.push(`close ${event.code}`));
    fake.open();
    expect(calls).toEqual(['open 1', 'after close(): readyState 2', 'open 2', 'close 4000']);
    expect(fake.readyState).toBe(FakeWebSocket.CLOSED);
  });

  it('lets a test answer from a listener: receive() inside onmessage comes after the current message', () => {
    const fake = opened();
    const calls: string[] = [];
    fake.onmessage = (event) => {
      calls.push(`got ${textOf(event.data)}`);
      if (event.data === 'ping') fake.receive('pong');
      calls.push(`done ${textOf(event.data)}`);
    };
    fake.receive('ping');
    expect(calls).toEqual(['got ping', 'done ping', 'got pong', 'done pong']);
  });

  it('a server close that answers from a listener supersedes the queued end of the handshake: one close event', () => {
    const fake = opened();
    const codes: number[] = [];
    fake.addEventListener('message', () => {
      fake.close(4000);
      fake.serverClose(4001, 'server first');
    });
    fake.addEventListener('close', (event) => codes.push(event.code));
    fake.receive('x');
    expect(codes).toEqual([4001]);
  });
});

// ---- Under the package ----------------------------------------------------------------------

// The FakeWebSocket examples of docs/testing.md (spec/docs-code.spec.ts runs them as they are shown).
describe('docs/testing.md: FakeWebSocket', () => {
  beforeEach(() => FakeWebSocket.reset());

  it('queues while connecting, then talks to the server', () => {
    const ws = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
    const received: unknown[] = [];
    ws.bind('message', (evt) => received.push(evt.data));
    expect(ws.send('hello')).toBe(false); // queued: the socket is still connecting
    const server = FakeWebSocket.last;
    server.open(); // the open event, then the queue is sent
    server.receive('welcome');
    ws.close(4000, 'bye');
    expect(server.sent).toEqual(['hello']);
    expect(received).toEqual(['welcome']);
    expect(server.closeRequest).toEqual({ code: 4000, reason: 'bye' });
    expect(ws.state).toBe('closed');
  });

  it('errors with the close code when the connection drops', () => {
    const ws = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
    const errors: unknown[] = [];
    ws.subscribe({ error: (e: unknown) => errors.push(e) });
    FakeWebSocket.last.open();
    FakeWebSocket.last.fail(); // an error event, then a close with 1006
    expect(errors).toEqual([expect.objectContaining({ code: 'ERR_WS_CLOSED', closeCode: 1006, wasClean: false })]);
  });
});

describe('FakeWebSocket as WebSocketCtor of the package', () => {
  it('is a WebSocketConstructor without a cast', () => {
    const ctor: WebSocketConstructor = FakeWebSocket;
    const ws = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
    const rx = new RxWebSocket('ws://test/', ['chat.v1'], { WebSocketCtor: ctor });
    expect(FakeWebSocket.instances.map((fake) => [fake.url, fake.protocols])).toEqual([
      ['ws://test/', []],
      ['ws://test/', ['chat.v1']],
    ]);
    expect([ws.readyState, rx.readyState]).toEqual([WebSocket.CONNECTING, WebSocket.CONNECTING]);
  });

  it('adds one native listener per event type, however many binds and subscribers, and removes them all on close', () => {
    const ws = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
    const fake = FakeWebSocket.last;
    expect(listenerCounts(fake)).toEqual({ open: 1, message: 1, error: 1, close: 1 });
    ws.bind('message', () => undefined)
      .bind('message', () => undefined)
      .bind('open', () => undefined);
    const subscriptions = [record(ws), record(ws.message$), record(ws.close$), record(ws.state$)];
    expect(listenerCounts(fake)).toEqual({ open: 1, message: 1, error: 1, close: 1 });
    fake.open();
    fake.serverClose();
    expect(listenerCounts(fake)).toEqual({ open: 0, message: 0, error: 0, close: 0 });
    expect(subscriptions.map((rec) => rec.completed)).toEqual([true, true, true, true]);
  });

  it('queues sends while connecting and flushes them in order after the open handlers ran', () => {
    const ws = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
    const fake = FakeWebSocket.last;
    expect([ws.send('a'), ws.send('b')]).toEqual([false, false]);
    expect([fake.sent, ws.queued]).toEqual([[], 2]);
    const seenByOpenHandler: unknown[] = [];
    ws.bind('open', () => seenByOpenHandler.push([...fake.sent]));
    fake.open();
    expect(seenByOpenHandler).toEqual([[]]);
    expect([fake.sent, ws.queued]).toEqual([['a', 'b'], 0]);
    expect(ws.send('c')).toBe(true);
    expect(fake.sent).toEqual(['a', 'b', 'c']);
  });

  it('stops flushing when an open handler closes the socket, and keeps the rest for drainQueue()', () => {
    const ws = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
    const fake = FakeWebSocket.last;
    ws.send('a');
    ws.send('b');
    ws.bind('open', () => ws.close(4000, 'changed my mind'));
    fake.open();
    expect({ sent: fake.sent, discarded: fake.discarded, closeRequest: fake.closeRequest, state: ws.state }).toEqual({
      sent: [],
      discarded: [],
      closeRequest: { code: 4000, reason: 'changed my mind' },
      state: 'closed',
    });
    expect(ws.drainQueue()).toEqual(['a', 'b']);
  });

  it('close() while connecting: closed at once, close$ 1006, no error on error$, the subject face completes', () => {
    const ws = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
    const fake = FakeWebSocket.last;
    const data = record(ws);
    const errors = record(ws.error$);
    const closes = record(ws.close$);
    const states = record(ws.state$);
    ws.close();
    expect(fake.closeRequest).toEqual({ code: 1000, reason: '' });
    expect(closes.values).toEqual([{ type: 'close', target: fake, code: 1006, reason: '', wasClean: false }]);
    expect([errors.values, errors.completed]).toEqual([[], true]);
    expect([data.values, data.errors, data.completed]).toEqual([[], [], true]);
    expect(states.values).toEqual(['connecting', 'closing', 'closed']);
    expect(listenerCounts(fake)).toEqual({ open: 0, message: 0, error: 0, close: 0 });
  });

  it('close(code, reason) while open: the fake sees the request, close$ the answer, the subject face completes', () => {
    const ws = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
    const fake = FakeWebSocket.last;
    fake.open();
    const data = record(ws);
    const closes = record(ws.close$);
    ws.close(4000, 'done');
    expect(fake.closeRequest).toEqual({ code: 4000, reason: 'done' });
    expect(closes.values).toEqual([{ type: 'close', target: fake, code: 4000, reason: 'done', wasClean: true }]);
    expect([data.errors, data.completed, ws.state]).toEqual([[], true, 'closed']);
  });

  it('send() after close throws instead of dropping: nothing reaches the fake, not even discarded', () => {
    FakeWebSocket.manualCloseHandshake = true;
    const ws = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
    const fake = FakeWebSocket.last;
    fake.open();
    ws.close();
    expect([ws.state, fake.readyState]).toEqual(['closing', FakeWebSocket.CLOSING]);
    expect(() => ws.send('while closing')).toThrow(WebSocketError);
    fake.serverClose(1000);
    expect(ws.state).toBe('closed');
    expect(() => ws.send('after')).toThrow(WebSocketError);
    expect([fake.sent, fake.discarded]).toEqual([[], []]);
  });

  it('messages reach bind handlers, message$ and the subject face; fail() errors the subject face with CloseError 1006', () => {
    const ws = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
    const fake = FakeWebSocket.last;
    const handled: unknown[] = [];
    ws.bind('message', (event) => handled.push(event.data));
    const data = record(ws);
    const errors = record(ws.error$);
    fake.open();
    fake.receive('one');
    fake.receive('two');
    fake.fail();
    expect(handled).toEqual(['one', 'two']);
    expect(data.values).toEqual(['one', 'two']);
    expect(errors.values).toEqual([{ type: 'error', target: fake }]);
    expect(data.errors).toHaveLength(1);
    const error = data.errors[0] as CloseError;
    expect(error).toBeInstanceOf(CloseError);
    expect([error.closeCode, error.wasClean, error.event]).toEqual([
      1006,
      false,
      { type: 'close', target: fake, code: 1006, reason: '', wasClean: false },
    ]);
  });

  it("passes binaryType and protocols through: 'arraybuffer' data arrives as ArrayBuffer, open(protocol) shows on ws.protocol", () => {
    const ws = WebSocket('ws://test/', ['chat.v2', 'chat.v1'], {
      WebSocketCtor: FakeWebSocket,
      binaryType: 'arraybuffer',
    });
    const fake = FakeWebSocket.last;
    expect([fake.binaryType, fake.protocols]).toEqual(['arraybuffer', ['chat.v2', 'chat.v1']]);
    const data = record(ws);
    fake.open('chat.v2');
    fake.receive(new Uint8Array([1, 2]));
    expect(ws.protocol).toBe('chat.v2');
    expect(Object.prototype.toString.call(data.values[0])).toBe('[object ArrayBuffer]');
    expect([...new Uint8Array(data.values[0] as ArrayBuffer)]).toEqual([1, 2]);
  });

  it('a server close with a code completes the subject face when clean, and errors it when not', () => {
    const clean = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
    const cleanFake = FakeWebSocket.last;
    const unclean = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
    const uncleanFake = FakeWebSocket.last;
    const a = record(clean);
    const b = record(unclean);
    cleanFake.open();
    uncleanFake.open();
    cleanFake.serverClose(4001, 'bye');
    uncleanFake.serverClose(4002, 'gone', false);
    expect([a.completed, a.errors]).toEqual([true, []]);
    expect(b.completed).toBe(false);
    expect(b.errors.map((e) => [(e as CloseError).closeCode, (e as CloseError).reason])).toEqual([[4002, 'gone']]);
  });
});
