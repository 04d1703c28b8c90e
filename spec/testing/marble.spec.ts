import { map, Subject, takeUntil } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { connectTimeout, heartbeat, reconnect } from '../../src/resilience.js';
import { FakeWebSocket, marbleServer, type MarbleAction } from '../../src/testing/index.js';
import { WebSocket } from '../../src/websocket.js';
import { textOf } from '../helpers/text.js';

beforeEach(() => {
  FakeWebSocket.reset();
});

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** What script() throws, synchronously, inside a run. */
function scriptError(marbles: string, values?: Record<string, MarbleAction>, options?: { socket?: number }): string {
  let message = '';
  scheduler().run((helpers) => {
    const server = marbleServer(helpers);
    try {
      server.script(marbles, values, options);
    } catch (error) {
      message = (error as Error).message;
    }
  });
  return message;
}

// The marble example of docs/testing.md (and, with the same body, the @example of marbleServer);
// spec/docs-code.spec.ts runs the guide's listing as it is shown.
describe('docs/testing.md: marble tests', () => {
  it('echoes each message, and sees the close code', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run((helpers) => {
      const server = marbleServer(helpers);
      const ws = WebSocket('ws://test/', { WebSocketCtor: server.WebSocketCtor });
      ws.bind('message', (evt) => ws.send(`echo ${textOf(evt.data)}`));
      server.script('-o-a-b-x', { a: 'hello', b: 'world', x: { close: 4001, reason: 'bye' } });
      helpers.expectObservable(ws).toBe('---a-b-|', { a: 'hello', b: 'world' });
      helpers.expectObservable(server.sent$).toBe('---a-b-', { a: 'echo hello', b: 'echo world' });
      helpers.expectObservable(ws.close$.pipe(map((e) => e.code))).toBe('-------(c|)', { c: 4001 });
    });
  });
});

describe('marbleServer: scripts drive the client in virtual time', () => {
  it('letters without a values map are messages of themselves; | completes the subject face at its frame', () => {
    scheduler().run((helpers) => {
      const server = marbleServer(helpers);
      const ws = WebSocket('ws://test/', { WebSocketCtor: server.WebSocketCtor });
      server.script('-oab--|');
      helpers.expectObservable(ws).toBe('--ab--|');
      helpers.expectObservable(ws.state$).toBe('co----(d|)', { c: 'connecting', o: 'open', d: 'closed' });
    });
  });

  it('both directions: the queue flushes at the open frame, replies follow each message, sent$ dates every send', () => {
    scheduler().run((helpers) => {
      const server = marbleServer(helpers);
      const ws = WebSocket('ws://test/', { WebSocketCtor: server.WebSocketCtor });
      ws.send('hello');
      ws.send('subscribe');
      ws.bind('message', (evt) => {
        if (evt.data === 'ping') ws.send('pong');
      });
      server.script('--o---p--p-|', { p: 'ping' });
      helpers.expectObservable(ws).toBe('------p--p-|', { p: 'ping' });
      helpers.expectObservable(server.sent$).toBe('--(hs)p--p', { h: 'hello', s: 'subscribe', p: 'pong' });
    });
    expect(FakeWebSocket.last.sent).toEqual(['hello', 'subscribe', 'pong', 'pong']);
  });

  it('# fails the connection: error$ gets the error event, close$ 1006, the subject face errors with CloseError', () => {
    scheduler().run((helpers) => {
      const server = marbleServer(helpers);
      const ws = WebSocket('ws://test/', { WebSocketCtor: server.WebSocketCtor });
      server.script('-o-a-#', { a: 'last words' });
      helpers
        .expectObservable(ws)
        .toBe(
          '---a-#',
          { a: 'last words' },
          expect.objectContaining({ name: 'CloseError', closeCode: 1006, wasClean: false }),
        );
      helpers
        .expectObservable(ws.error$.pipe(map((e) => ('type' in e ? e.type : e.code))))
        .toBe('-----(e|)', { e: 'error' });
      helpers
        .expectObservable(ws.close$.pipe(map((e) => [e.code, e.wasClean])))
        .toBe('-----(c|)', { c: [1006, false] });
    });
  });

  it('a values entry { close, reason } closes with that code; with wasClean: false the subject face errors with it', () => {
    scheduler().run((helpers) => {
      const server = marbleServer(helpers);
      const clean = WebSocket('ws://test/clean', { WebSocketCtor: server.WebSocketCtor });
      server.script('-o--x', { x: { close: 4001, reason: 'bye' } }, { socket: 0 });
      const unclean = WebSocket('ws://test/unclean', { WebSocketCtor: server.WebSocketCtor });
      server.script('-o-y', { y: { close: 4002, reason: 'gone', wasClean: false } }, { socket: 1 });
      helpers.expectObservable(clean).toBe('----|');
      helpers.expectObservable(clean.close$.pipe(map((e) => `${e.code} ${e.reason} ${e.wasClean}`))).toBe('----(c|)', {
        c: '4001 bye true',
      });
      helpers
        .expectObservable(unclean)
        .toBe('---#', {}, expect.objectContaining({ closeCode: 4002, reason: 'gone', wasClean: false }));
    });
  });

  it('a values entry { open: protocol } opens with that subprotocol', () => {
    scheduler().run((helpers) => {
      const server = marbleServer(helpers);
      const ws = WebSocket('ws://test/', ['chat.v2', 'chat.v1'], { WebSocketCtor: server.WebSocketCtor });
      server.script('--p', { p: { open: 'chat.v1' } });
      helpers.expectObservable(ws.open$.pipe(map(() => ws.protocol))).toBe('--p', { p: 'chat.v1' });
    });
  });

  it('groups put several actions on one frame; time progression skips frames', () => {
    scheduler().run((helpers) => {
      const server = marbleServer(helpers);
      const ws = WebSocket('ws://test/', { WebSocketCtor: server.WebSocketCtor });
      server.script('-o (ab) 5ms c 1s |', { a: 'A', b: 'B', c: 'C' });
      helpers.expectObservable(ws).toBe('--(ab) 5ms c 1s |', { a: 'A', b: 'B', c: 'C' });
    });
  });

  it('delivers binary values as the binaryType says', () => {
    scheduler().run((helpers) => {
      const server = marbleServer(helpers);
      const ws = WebSocket('ws://test/', { WebSocketCtor: server.WebSocketCtor, binaryType: 'arraybuffer' });
      server.script('ob', { b: new Uint8Array([1, 2, 3]) });
      helpers
        .expectObservable(
          ws.pipe(map((data) => [Object.prototype.toString.call(data), [...new Uint8Array(data as ArrayBuffer)]])),
        )
        .toBe('-b', { b: ['[object ArrayBuffer]', [1, 2, 3]] });
    });
  });

  it('acts at frame 0 after the expectObservable calls of the run have subscribed, whatever the call order', () => {
    scheduler().run((helpers) => {
      const server = marbleServer(helpers);
      const ws = WebSocket('ws://test/', { WebSocketCtor: server.WebSocketCtor });
      ws.bind('open', () => ws.send('hi'));
      server.script('(oa)', { a: 'welcome' });
      helpers.expectObservable(ws).toBe('a', { a: 'welcome' });
      helpers.expectObservable(server.sent$).toBe('h', { h: 'hi' });
    });
  });

  it('the client closing: the socket records the request; with manualCloseHandshake the script answers it', () => {
    scheduler().run((helpers) => {
      const server = marbleServer(helpers);
      server.WebSocketCtor.manualCloseHandshake = true;
      const ws = WebSocket('ws://test/', { WebSocketCtor: server.WebSocketCtor });
      helpers.cold('---x').subscribe(() => ws.close(4000, 'leaving'));
      server.script('-o---c', { c: { close: 4000, reason: 'leaving' } });
      helpers.expectObservable(ws.state$).toBe('co-s-(d|)', { c: 'connecting', o: 'open', s: 'closing', d: 'closed' });
      helpers.expectObservable(ws).toBe('-----|');
    });
    expect(FakeWebSocket.last.closeRequest).toEqual({ code: 4000, reason: 'leaving' });
  });

  it('composes with expectSubscriptions: a command stream sent to the socket is unsubscribed when the server closes', () => {
    scheduler().run((helpers) => {
      const server = marbleServer(helpers);
      const ws = WebSocket<string, string>('ws://test/', { WebSocketCtor: server.WebSocketCtor });
      const commands = helpers.cold('a-b-c-d-e', { a: 'A', b: 'B', c: 'C', d: 'D', e: 'E' });
      commands.pipe(takeUntil(ws.close$)).subscribe((command) => ws.next(command));
      server.script('-o---|');
      helpers.expectObservable(server.sent$).toBe('-ab-c', { a: 'A', b: 'B', c: 'C' });
      helpers.expectSubscriptions(commands.subscriptions).toBe('^----!');
    });
    expect(FakeWebSocket.last.discarded).toEqual([]);
  });
});

describe('marbleServer: sent$', () => {
  it('gives a subscriber what was sent earlier in the frame it subscribes in, and nothing from earlier frames', () => {
    scheduler().run((helpers) => {
      const server = marbleServer(helpers);
      const ws = WebSocket('ws://test/', { WebSocketCtor: server.WebSocketCtor });
      ws.send('early');
      server.sockets[0]!.open();
      helpers.cold('---x').subscribe(() => ws.send('later'));
      helpers.expectObservable(server.sent$).toBe('e--l', { e: 'early', l: 'later' });
      helpers.expectObservable(server.sent$, '-^').toBe('---l', { l: 'later' });
    });
  });

  it('stops at unsubscription, and records the sends of every socket of the server', () => {
    scheduler().run((helpers) => {
      const server = marbleServer(helpers);
      const a = WebSocket('ws://test/a', { WebSocketCtor: server.WebSocketCtor });
      const b = WebSocket('ws://test/b', { WebSocketCtor: server.WebSocketCtor });
      server.script('o', {}, { socket: 0 });
      server.script('-o', {}, { socket: 1 });
      helpers.cold('--x-y').subscribe((v) => (v === 'x' ? a : b).send(v));
      helpers.expectObservable(server.sent$).toBe('--x-y');
      helpers.expectObservable(server.sent$, '^--!').toBe('--x');
    });
  });

  it('does not show what another server sent, nor sends the DOM would drop', () => {
    scheduler().run((helpers) => {
      const server = marbleServer(helpers);
      const other = marbleServer(helpers);
      other.WebSocketCtor.manualCloseHandshake = true;
      const ws = WebSocket('ws://test/', { WebSocketCtor: server.WebSocketCtor });
      const native = new other.WebSocketCtor('ws://test/other');
      server.script('o');
      other.script('o');
      helpers.cold('-x').subscribe(() => {
        ws.send('mine');
        native.send('theirs');
        native.close();
        native.send('dropped by the DOM');
      });
      helpers.expectObservable(server.sent$).toBe('-m', { m: 'mine' });
      helpers.expectObservable(other.sent$).toBe('-t', { t: 'theirs' });
    });
    expect(FakeWebSocket.last.discarded).toEqual(['dropped by the DOM']);
  });
});

describe('marbleServer: which socket a script drives', () => {
  it('drives the newest socket at each frame, so one script follows a client that reconnects', () => {
    scheduler().run((helpers) => {
      const server = marbleServer(helpers);
      const received = new Subject<string>();
      const connect = (): void => {
        const ws = WebSocket('ws://test/', { WebSocketCtor: server.WebSocketCtor });
        const n = server.sockets.length - 1;
        ws.bind('message', (evt) => received.next(`socket ${n}: ${textOf(evt.data)}`));
        ws.bind('close', () => {
          if (n === 0) connect();
        });
      };
      connect();
      server.script('-o-a-|-o-b-|', { a: 'first', b: 'second' });
      helpers.expectObservable(received).toBe('---a-----b', { a: 'socket 0: first', b: 'socket 1: second' });
    });
    expect(FakeWebSocket.instances.map((socket) => socket.readyState)).toEqual([
      FakeWebSocket.CLOSED,
      FakeWebSocket.CLOSED,
    ]);
  });

  it('follows a client that reconnects with reconnect() from brython-websocket/resilience, on the run mode’s own virtual time', () => {
    scheduler().run((helpers) => {
      const server = marbleServer(helpers);
      const ws = WebSocket('ws://test/', {
        WebSocketCtor: server.WebSocketCtor,
        reconnect: reconnect({ initialDelay: 10, jitter: 0 }),
      });
      // Socket 0 opens at 1, sends a at 3 and fails at 5; socket 1 is made at 15, opens at 16,
      // sends b at 18 and closes cleanly (final: 1000 is not reconnected) at 20.
      server.script('-o-a-# 10ms o-b-|', { a: 'first', b: 'second' });
      helpers.expectObservable(ws).toBe('---a 14ms b-|', { a: 'first', b: 'second' });
      helpers.expectObservable(ws.close$.pipe(map((e) => e.code))).toBe('-----x 14ms (y|)', { x: 1006, y: 1000 });
    });
    expect(FakeWebSocket.instances.map((socket) => socket.readyState)).toEqual([
      FakeWebSocket.CLOSED,
      FakeWebSocket.CLOSED,
    ]);
  });

  it('drives the timers of heartbeat() and connectTimeout() in virtual time too: a socket that never opens, then one that goes silent', () => {
    scheduler().run((helpers) => {
      const server = marbleServer(helpers);
      const ws = WebSocket('ws://test/', {
        WebSocketCtor: server.WebSocketCtor,
        connectTimeout: connectTimeout(20),
        heartbeat: heartbeat({ interval: 1000, timeout: 40 }),
        reconnect: reconnect({ initialDelay: 10, jitter: 0, attempts: 1 }),
      });
      // Socket 0 never opens: given up at 20 (4901). Socket 1, made at 30, opens at 31 and
      // hears nothing: dropped at 71 (4900), the final close.
      server.script('31ms o');
      helpers.expectObservable(ws.close$.pipe(map((e) => e.code))).toBe('20ms x 50ms (y|)', { x: 4901, y: 4900 });
    });
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('{ socket: n } pins a script to server.sockets[n]', () => {
    scheduler().run((helpers) => {
      const server = marbleServer(helpers);
      const first = WebSocket('ws://test/1', { WebSocketCtor: server.WebSocketCtor });
      const second = WebSocket('ws://test/2', { WebSocketCtor: server.WebSocketCtor });
      server.script('-o-a', { a: 'to the first' }, { socket: 0 });
      server.script('o-b', { b: 'to the second' }, { socket: 1 });
      helpers.expectObservable(first).toBe('---a', { a: 'to the first' });
      helpers.expectObservable(second).toBe('--b', { b: 'to the second' });
    });
  });
});

describe('marbleServer: the vocabulary is checked', () => {
  const RESERVED: [string, string][] = [
    ['o', 'open'],
    ['#', 'fail (error, then close 1006)'],
    ['|', 'a clean close with 1000'],
    ['-', 'one frame of time'],
    [' ', 'nothing (alignment)'],
    ['(', 'the start of a group'],
    [')', 'the end of a group'],
    ['^', 'a subscription point (not used in scripts)'],
    ['!', 'an unsubscription point (not used in scripts)'],
  ];

  it.each(RESERVED)('refuses %j as a values key, saying what it means', (key, meaning) => {
    expect(scriptError('-', { [key]: 'x' })).toBe(
      `marbleServer.script(): ${JSON.stringify(key)} cannot be a values key: in a script it means ${meaning}; use another character for this value`,
    );
  });

  it('refuses a values key of more than one character', () => {
    expect(scriptError('-', { ab: 'x' })).toBe(
      'marbleServer.script(): the values key "ab" is not one character; a marble is one character',
    );
  });

  it.each(['^', '!'])('refuses %s in a script', (marker) => {
    expect(scriptError(`-${marker}-o`)).toMatch(
      new RegExp(
        `^marbleServer\\.script\\("-\\${marker}-o"\\): '\\${marker}' is an? (un)?subscription point \\(not used in scripts\\); a script starts at frame 0 of the run: remove it$`,
      ),
    );
  });

  it('refuses a marble that has no entry in the values given', () => {
    expect(scriptError('-o-x', { a: 'hello' })).toBe(
      'marbleServer.script("-o-x"): the marble "x" at frame 3 has no entry in values; add values["x"], or remove it from the marbles',
    );
  });

  it.each<[string, unknown, string]>([
    [
      'a plain object',
      { text: 'hi' },
      'got an object with the keys ["text"] (to send JSON, put the text in the values: JSON.stringify(...))',
    ],
    ['a number', 5, 'got number 5'],
    ['null', null, 'got null'],
    ['an array', ['a'], 'got an array'],
    ['close with extra keys', { close: 1000, code: 1 }, 'got an object with the keys ["close","code"]'],
  ])('refuses %s as a value, listing what a value may be', (_, value, got) => {
    const message = scriptError('-a', { a: value as MarbleAction });
    expect(message).toContain(
      'marbleServer.script(): values["a"] must be a message from the server (a string, an ArrayBuffer, a typed array or a Blob), ' +
        "{ open: 'protocol' }, or { close: code, reason?, wasClean? }; ",
    );
    expect(message).toContain(got);
  });

  it.each<[unknown, string]>([
    [{ close: 'x' }, 'values["a"].close must be a close code such as 1000 or 4001; got "x"'],
    [{ close: 1000.5 }, 'values["a"].close must be a close code such as 1000 or 4001; got number 1000.5'],
    [{ close: 1000, reason: 5 }, 'values["a"].reason must be a string; got number 5'],
    [{ close: 1000, wasClean: 'yes' }, 'values["a"].wasClean must be a boolean; got "yes"'],
    [{ open: 1 }, 'values["a"].open must be the subprotocol, a string; got number 1'],
  ])('refuses the action %j with a message naming the field', (value, message) => {
    expect(scriptError('-a', { a: value as MarbleAction })).toBe(`marbleServer.script(): ${message}`);
  });

  it.each([-1, 1.5])('refuses options.socket %s', (socket) => {
    expect(scriptError('-o', undefined, { socket })).toBe(
      `marbleServer.script(): options.socket must be an index in server.sockets (0, 1, ...), got number ${socket}`,
    );
  });

  it('refuses marbles that are not a string, and helpers that are not the run helpers', () => {
    expect(scriptError(42 as unknown as string)).toBe(
      "marbleServer.script(): the marbles must be a string such as '-o-a-|', got number 42",
    );
    expect(() => marbleServer({} as never)).toThrow(
      'marbleServer(helpers): pass the helpers that TestScheduler.run() gives its callback',
    );
  });
});

describe('marbleServer: an action that cannot apply fails the run, saying why', () => {
  function runError(body: (helpers: Parameters<Parameters<TestScheduler['run']>[0]>[0]) => void): Error {
    try {
      scheduler().run(body);
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected the run to fail');
  }

  it('a marble before the client made any socket', () => {
    const error = runError((helpers) => {
      marbleServer(helpers).script('-a');
    });
    expect(error.message).toBe(
      'marbleServer: the marble "a" at frame 1 of "-a" has no socket to act on: the client made no socket from server.WebSocketCtor yet',
    );
  });

  it("a message before the open, with the fake's advice", () => {
    const error = runError((helpers) => {
      const server = marbleServer(helpers);
      WebSocket('ws://test/', { WebSocketCtor: server.WebSocketCtor });
      server.script('--a-o');
    });
    expect(error.message).toBe(
      'marbleServer: the marble "a" at frame 2 of "--a-o", on server.sockets[0]: ' +
        'receive(): the socket is CONNECTING, and receive() needs it OPEN; call open() first',
    );
    expect((error.cause as Error).message).toBe(
      'receive(): the socket is CONNECTING, and receive() needs it OPEN; call open() first',
    );
  });

  it('a marble for a closed socket, when the client made no newer one', () => {
    const error = runError((helpers) => {
      const server = marbleServer(helpers);
      WebSocket('ws://test/', { WebSocketCtor: server.WebSocketCtor });
      server.script('-o|-o');
    });
    expect(error.message).toBe(
      'marbleServer: the marble "o" at frame 4 of "-o|-o", on server.sockets[0]: open(): the socket is CLOSED, and open() needs it CONNECTING; ' +
        'open() accepts a CONNECTING socket once; make a new socket to open another (no newer socket was made: did the client reconnect by then?)',
    );
  });

  it('a script pinned to a socket that does not exist yet', () => {
    const error = runError((helpers) => {
      const server = marbleServer(helpers);
      WebSocket('ws://test/', { WebSocketCtor: server.WebSocketCtor });
      server.script('--o', {}, { socket: 1 });
    });
    expect(error.message).toBe(
      'marbleServer: the marble "o" at frame 2 of "--o" targets server.sockets[1], but the client made 1 socket(s) by then',
    );
  });

  it('a script made while virtual time runs, where it could not start', () => {
    const error = runError((helpers) => {
      const server = marbleServer(helpers);
      WebSocket('ws://test/', { WebSocketCtor: server.WebSocketCtor });
      helpers.cold('--x').subscribe(() => server.script('-o'));
    });
    expect(error.message).toBe(
      'marbleServer.script("-o") was called while virtual time was running (from a subscription or a scheduled callback), ' +
        'where it cannot start: call it in the run() callback; its frames count from the start of the run',
    );
  });

  it('a script made in the run callback after helpers.flush() starts at the next flush', () => {
    scheduler().run((helpers) => {
      const server = marbleServer(helpers);
      const ws = WebSocket('ws://test/', { WebSocketCtor: server.WebSocketCtor });
      server.script('-o');
      helpers.flush();
      const messages: string[] = [];
      ws.bind('message', (evt) => messages.push(textOf(evt.data)));
      server.script('--a', { a: 'after the flush' });
      helpers.flush();
      expect(messages).toEqual(['after the flush']);
    });
  });

  it('a listener of the client that throws during an action', () => {
    const error = runError((helpers) => {
      const server = marbleServer(helpers);
      const ws = new server.WebSocketCtor('ws://test/');
      ws.onmessage = () => {
        throw new Error('bug in the client');
      };
      server.script('o-a');
    });
    expect(error.message).toBe(
      'marbleServer: the marble "a" at frame 2 of "o-a", on server.sockets[0]: bug in the client',
    );
  });
});
