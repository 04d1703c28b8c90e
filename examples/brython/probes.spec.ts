/**
 * Probes in Python, on real Brython 3.14 in Debian's Chromium, of what `from browser import
 * websocket` gives with this package's script: NotImplementedError without WebSocket, bind
 * twice and unbind, the decorator, bytes round trips, errors caught by class with .code,
 * reconnect after the server drops the connection, the Rx streams, handlers that raise, and
 * nothing left listening after the close. Each probe reports with window.report() and ends
 * with window.finish() (see ./harness().ts).
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { bufferOf } from '../../spec/helpers/node-servers.js';
import { harnessPerTest, label, type ScriptName } from './harness.js';

const harness = harnessPerTest();

const NO_STDLIB: readonly ScriptName[] = ['brython', 'ours'];
const STDLIB_LAST: readonly ScriptName[] = ['ours', 'brython', 'stdlib'];

const HEAD = String.raw`from browser import window, websocket
URL = f"ws://{window.location.host}/echo"
r = {}
def finish(*args):
    window.report('r', r)
    window.finish()
`;

/** What the echo server received, per connection, in order. */
function received(): string[][] {
  const all: string[][] = [];
  harness().wss.on('connection', (socket) => {
    const mine: string[] = [];
    all.push(mine);
    socket.on('message', (data, isBinary) =>
      mine.push(isBinary ? `binary ${bufferOf(data).toString('hex')}` : `text ${bufferOf(data).toString()}`),
    );
  });
  return all;
}

describe('websocket.supported and NotImplementedError, with the global WebSocket deleted before load', () => {
  const probe = String.raw`${HEAD}
r['supported'] = websocket.supported
try:
    websocket.WebSocket(URL)
    r['raised'] = None
except NotImplementedError as e:
    r['raised'] = [type(e).__name__, e.code, str(e), isinstance(e, websocket.WebSocketError)]
finish()
`;

  it.each([NO_STDLIB, STDLIB_LAST].map((order) => [label(order), order] as const))('with %s', async (_, order) => {
    const visit = await harness().run(order, probe, { beforeLoad: 'delete window.WebSocket;' });
    expect(await visit.result()).toEqual({
      r: {
        supported: false,
        raised: [
          'UnsupportedError',
          'ERR_WS_UNSUPPORTED',
          'this browser has no WebSocket (websocket.supported is False): check websocket.supported before calling websocket.WebSocket()',
          true,
        ],
      },
    });
  });

  it('is True and the socket opens when the browser has WebSocket (the control)', async () => {
    const visit = await harness().run(
      NO_STDLIB,
      `${HEAD}
r['supported'] = websocket.supported
websocket.WebSocket(URL).bind('open', finish)
`,
    );
    expect(await visit.result()).toEqual({ r: { supported: true } });
  });
});

describe('bind, unbind, events, bindings and the decorator', () => {
  const probe = String.raw`${HEAD}
calls = []
ws = websocket.WebSocket(URL)
def f(evt):
    calls.append('f:' + evt.data)
def g(evt):
    calls.append('g:' + evt.data)
def boom(evt):
    raise ZeroDivisionError('raised on purpose')
r['chain'] = ws.bind('message', f) is ws
ws.bind('message', boom)
ws.bind('message', g).bind('message', f)
r['events'] = [h.__name__ for h in ws.events('message')]
m = ws.events('message')
r['identity'] = [m[0] is f, m[2] is g, m[3] is f]
b = ws.bindings()
r['bindings'] = [type(b).__name__, sorted(b.keys()), [h.__name__ for h in b['message']], b['open']]

@ws.bind('message')
def decorated(evt):
    calls.append('decorated:' + evt.data)

r['decorator'] = [decorated.__name__, ws.events('message')[-1] is decorated]

def on_open(evt):
    ws.send('one')

def on_message(evt):
    if evt.data == 'one':
        r['first'] = list(calls)
        calls.clear()
        ws.unbind('message', f)
        r['after_unbind'] = [h.__name__ for h in ws.events('message')]
        try:
            ws.unbind('message', f)
        except ValueError as e:
            r['unbind_again'] = [type(e).__name__, e.code]
        ws.send('two')
    elif evt.data == 'two':
        r['second'] = list(calls)
        ws.unbind('message')
        r['after_unbind_all'] = ws.events('message')
        ws.close()

ws.bind('open', on_open)
ws.bind('message', on_message)
ws.bind('close', finish)
`;

  it.each([NO_STDLIB, STDLIB_LAST].map((order) => [label(order), order] as const))('with %s', async (_, order) => {
    const visit = await harness().run(order, probe);
    expect(await visit.result()).toEqual({
      r: {
        chain: true,
        events: ['f', 'boom', 'g', 'f'],
        identity: [true, true, true],
        bindings: ['dict', ['close', 'error', 'message', 'open'], ['f', 'boom', 'g', 'f'], []],
        decorator: ['decorated', true],
        // A function bound twice runs twice; the handler that raised stopped nothing.
        first: ['f:one', 'g:one', 'f:one', 'decorated:one'],
        // unbind(evt, fn) removes both bindings of f, and nothing else.
        after_unbind: ['boom', 'g', 'decorated', 'on_message'],
        unbind_again: ['InvalidArgumentError', 'ERR_WS_INVALID_ARGUMENT'],
        second: ['g:two', 'decorated:two'],
        after_unbind_all: [],
      },
    });
    // The raising handler printed a Python traceback, once per message, and nothing else failed.
    const tracebacks = visit.tracebacks();
    expect(tracebacks).toHaveLength(2);
    for (const traceback of tracebacks) {
      expect(traceback).toContain('in boom');
      expect(traceback).toContain('ZeroDivisionError: raised on purpose');
    }
    expect(visit.errors).toEqual([]);
  });
});

describe('bytes, bytearray and memoryview', () => {
  const probe = String.raw`${HEAD}
ws = websocket.WebSocket(URL, {'binary_type': 'arraybuffer'})
got = []
r['queued'] = ws.send(b'q')
def on_open(evt):
    r['sent'] = [ws.send(b'\x00\x01\xfe\xff'), ws.send(bytearray(b'ab')), ws.send(memoryview(b'cd')), ws.send('text')]
def on_message(evt):
    data = evt.data
    got.append(data if isinstance(data, str) else websocket.to_bytes(data).hex())
    if len(got) == 5:
        r['got'] = got
        r['type'] = type(websocket.to_bytes(data)).__name__
        try:
            websocket.to_bytes('text')
        except TypeError as e:
            r['to_bytes_error'] = e.code
        ws.close()
ws.bind('open', on_open).bind('message', on_message).bind('close', finish)
`;

  it.each([NO_STDLIB, STDLIB_LAST].map((order) => [label(order), order] as const))(
    'go out as binary frames and come back as bytes, with %s',
    async (_, order) => {
      const server = received();
      const visit = await harness().run(order, probe);
      expect(await visit.result()).toEqual({
        r: {
          queued: false,
          sent: [true, true, true, true],
          // The queued message goes out after the open handler's.
          got: ['0001feff', '6162', '6364', 'text', '71'],
          type: 'bytes',
          to_bytes_error: 'ERR_WS_INVALID_ARGUMENT',
        },
      });
      expect(server).toEqual([['binary 0001feff', 'binary 6162', 'binary 6364', 'text text', 'binary 71']]);
    },
  );

  it('(Brython\'s own module, for comparison, sends bytes as the text "[object Object]")', async () => {
    const server = received();
    const visit = await harness().run(
      ['brython', 'stdlib'],
      `${HEAD}
ws = websocket.WebSocket(URL)
def on_open(evt):
    ws.send(b'ab')
    ws.close()
ws.bind('open', on_open)
ws.bind('close', finish)
`,
    );
    await visit.result();
    expect(server).toEqual([['text [object Object]']]);
  });
});

describe('errors are Python exceptions, caught by class, with .code', () => {
  const probe = String.raw`${HEAD}
def catch(fn):
    try:
        fn()
    except websocket.WebSocketError as e:
        return [type(e).__name__, e.code, str(e), isinstance(e, ValueError), isinstance(e, TypeError), isinstance(e, RuntimeError)]
    return 'nothing raised'
r['url'] = catch(lambda: websocket.WebSocket('localhost:8080'))
r['option'] = catch(lambda: websocket.WebSocket(URL, {'connectTimeout': 5000}))
r['option_value'] = catch(lambda: websocket.WebSocket(URL, connect_timeout=5000))
r['reconnect_value'] = catch(lambda: websocket.reconnect({'attempts': -1}))
ws = websocket.WebSocket(URL, max_queue=1)
r['close_code'] = catch(lambda: ws.close(999))
r['close_reason'] = catch(lambda: ws.close(1000, None))
r['timeout_type'] = catch(lambda: websocket.connect_timeout(None))
r['send_type'] = catch(lambda: ws.send({'a': 1}))
ws.send('queued')
r['queue_full'] = catch(lambda: ws.send('one too many'))
r['queued'] = ws.queued
r['drained'] = ws.drain_queue()
r['queued_after'] = ws.queued
r['bind_event'] = catch(lambda: ws.bind('data', print))
r['decorator_misuse'] = catch(lambda: ws.bind(print))
def on_open(evt):
    ws.close()
def on_close(evt):
    r['closed_send'] = catch(lambda: ws.send('late'))
    try:
        ws.bind('open', print)
    except RuntimeError as e:
        r['closed_bind'] = [type(e).__name__, e.code]
    finish()
ws.bind('open', on_open).bind('close', on_close)
`;

  it('with brython + ours', async () => {
    const visit = await harness().run(NO_STDLIB, probe);
    const { r } = (await visit.result()) as { r: Record<string, unknown> };
    const row = (
      name: string,
      code: string,
      message: string | RegExp,
      value: boolean,
      type: boolean,
      runtime: boolean,
    ): unknown[] => [
      name,
      code,
      typeof message === 'string' ? message : expect.stringMatching(message),
      value,
      type,
      runtime,
    ];
    expect(r).toEqual({
      url: row(
        'InvalidURLError',
        'ERR_WS_INVALID_URL',
        /^invalid WebSocket URL "localhost:8080": .*e\.g\. ws:\/\//,
        true,
        false,
        false,
      ),
      option: row(
        'InvalidArgumentError',
        'ERR_WS_INVALID_ARGUMENT',
        "unknown option 'connectTimeout' for WebSocket() (in Python, 'connect_timeout'); the options are 'protocols', 'binary_type', 'max_queue', 'reconnect', 'heartbeat', 'connect_timeout'",
        true,
        true,
        false,
      ),
      option_value: row(
        'InvalidArgumentError',
        'ERR_WS_INVALID_ARGUMENT',
        "the option 'connect_timeout' takes websocket.connect_timeout(...), got 5000",
        true,
        true,
        false,
      ),
      reconnect_value: row(
        'InvalidArgumentError',
        'ERR_WS_INVALID_ARGUMENT',
        "reconnect attempts must be a whole number (0 or more, or float('inf')), got -1",
        true,
        true,
        false,
      ),
      close_code: row(
        'InvalidCloseError',
        'ERR_WS_INVALID_CLOSE',
        'invalid close code 999: use 1000 or 3000-4999',
        true,
        false,
        false,
      ),
      close_reason: row(
        'InvalidCloseError',
        'ERR_WS_INVALID_CLOSE',
        'the close reason must be a str, got NoneType',
        true,
        false,
        false,
      ),
      timeout_type: row(
        'InvalidArgumentError',
        'ERR_WS_INVALID_ARGUMENT',
        'connect_timeout() takes a number of milliseconds, got NoneType',
        true,
        true,
        false,
      ),
      send_type: row(
        'InvalidArgumentError',
        'ERR_WS_INVALID_ARGUMENT',
        'cannot send a dict: send a str, bytes, bytearray or memoryview (json.dumps() a dict or a list first)',
        true,
        true,
        false,
      ),
      queue_full: row(
        'QueueFullError',
        'ERR_WS_QUEUE_FULL',
        /^the send queue is full \(1\): nothing was queued; wait for open, or raise the option 'max_queue'$/,
        false,
        false,
        true,
      ),
      bind_event: row(
        'InvalidArgumentError',
        'ERR_WS_INVALID_ARGUMENT',
        "unknown event 'data': use 'open', 'error', 'message' or 'close'",
        true,
        true,
        false,
      ),
      decorator_misuse: row(
        'InvalidArgumentError',
        'ERR_WS_INVALID_ARGUMENT',
        /takes the event name first .*@ws\.bind\('message'\)$/,
        true,
        true,
        false,
      ),
      closed_send: row(
        'InvalidStateError',
        'ERR_WS_INVALID_STATE',
        /^cannot send: the socket is closed/,
        false,
        false,
        true,
      ),
      closed_bind: ['InvalidStateError', 'ERR_WS_INVALID_STATE'],
      queued: 1,
      drained: ['queued'],
      queued_after: 0,
    });
    expect(visit.errors).toEqual([]);
  });
});

describe('reconnect, the Rx streams, and nothing left behind', () => {
  // Counts the listeners on every native socket, from before the page's scripts run.
  const COUNT_LISTENERS = `(() => {
    const live = new Map();
    const add = WebSocket.prototype.addEventListener;
    const remove = WebSocket.prototype.removeEventListener;
    WebSocket.prototype.addEventListener = function (type, listener, options) {
      live.set(this, (live.get(this) ?? 0) + 1);
      return add.call(this, type, listener, options);
    };
    WebSocket.prototype.removeEventListener = function (type, listener, options) {
      live.set(this, (live.get(this) ?? 0) - 1);
      return remove.call(this, type, listener, options);
    };
    window.nativeSockets = () => live.size;
    window.nativeListeners = () => [...live.values()].reduce((a, b) => a + b, 0);
  })();`;

  const probe = String.raw`${HEAD}
ws = websocket.WebSocket(URL, {'reconnect': websocket.reconnect({'attempts': 3, 'initial_delay': 0, 'jitter': 0})})
states, opens, closes, data = [], [], [], []
subs = [
    ws.states.subscribe(states.append),
    ws.opens.subscribe(lambda evt: opens.append(evt.type)),
    ws.closes.subscribe(lambda evt: closes.append(evt.code), None, lambda: r.__setitem__('closes_completed', True)),
    ws.messages.subscribe(lambda evt: None),
    ws.errors.subscribe(lambda evt: None),
    ws.subscribe(lambda d: data.append(d) if d != 'drop' else None, None, lambda: r.__setitem__('data_completed', True)),
]

def on_open(evt):
    if len(opens) == 1:
        ws.send('drop')
    else:
        ws.send('back')

def on_close(evt):
    if ws.state == 'reconnecting':
        r['queued_while_reconnecting'] = ws.send('queued')
    if ws.state == 'closed':
        # Measured once the close has gone through (handlers run before the streams end).
        window.setTimeout(measure, 0)

def measure():
    r['states'] = states
    r['opens'] = opens
    r['closes'] = closes
    r['data'] = data
    r['subscriptions_closed'] = [s.closed for s in subs]
    r['observed'] = [getattr(ws.js, name).observed for name in ('open$', 'message$', 'error$', 'close$')]
    r['native_listeners'] = window.nativeListeners()
    r['native_sockets'] = window.nativeSockets()

def on_message(evt):
    if evt.data == 'queued':
        ws.close()

ws.bind('open', on_open).bind('close', on_close).bind('message', on_message)

# Without reconnect, the data stream errors with CloseError when the server drops the connection.
plain = websocket.WebSocket(URL)
def plain_error(e):
    r['close_error'] = [type(e).__name__, e.code, e.close_code, e.was_clean, isinstance(e, ConnectionError)]
    r['final_native_listeners'] = window.nativeListeners()
plain.subscribe(None, plain_error)
plain.bind('open', lambda evt: plain.send('drop'))

def check():
    if 'native_listeners' in r and 'close_error' in r:
        finish()
    else:
        window.setTimeout(check, 20)
check()
`;

  it.each([NO_STDLIB, STDLIB_LAST].map((order) => [label(order), order] as const))('with %s', async (_, order) => {
    // The server drops any connection that sends "drop" (no closing handshake: 1006).
    harness().wss.on('connection', (socket) =>
      socket.on('message', (data) => bufferOf(data).toString() === 'drop' && socket.terminate()),
    );
    const visit = await harness().run(order, probe, { beforeLoad: COUNT_LISTENERS });
    expect(await visit.result()).toEqual({
      r: {
        states: ['connecting', 'open', 'reconnecting', 'connecting', 'open', 'closing', 'closed'],
        opens: ['open', 'open'],
        closes: [1006, 1000],
        closes_completed: true,
        queued_while_reconnecting: false,
        data: ['back', 'queued'],
        data_completed: true,
        subscriptions_closed: [true, true, true, true, true, true],
        observed: [false, false, false, false],
        native_listeners: expect.any(Number) as unknown,
        native_sockets: 3,
        close_error: ['CloseError', 'ERR_WS_CLOSED', 1006, false, true],
        final_native_listeners: expect.any(Number) as unknown,
      },
    });
    // Every listener put on the three native sockets (two for the reconnecting socket, one for
    // the plain one) was taken off once both had closed.
    expect(
      await visit.page.evaluate(() => (globalThis as unknown as { nativeListeners(): number }).nativeListeners()),
    ).toBe(0);
    expect(visit.tracebacks()).toEqual([]);
  });
});

describe('heartbeat and connect_timeout, from Python', () => {
  let silent: Server | undefined;
  let mute: WebSocketServer | undefined;
  const sockets: Socket[] = [];

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await new Promise((resolve) => (silent === undefined ? resolve(undefined) : silent.close(resolve)));
    silent = undefined;
    for (const client of mute?.clients ?? []) client.terminate();
    await new Promise((resolve) => (mute === undefined ? resolve(undefined) : mute.close(resolve)));
    mute = undefined;
  });

  it('gives up a connection that does not open within connect_timeout, and drops one the heartbeat finds dead', async () => {
    // A server that takes the TCP connection and never answers the handshake.
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', resolve));
    // A WebSocket server that never sends anything back.
    mute = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => mute!.once('listening', resolve));
    const pings: string[] = [];
    mute.on('connection', (socket) =>
      socket.on('message', (data, isBinary) =>
        pings.push(`${isBinary ? 'binary' : 'text'} ${Buffer.from(data as Buffer).toString('hex')}`),
      ),
    );
    const silentUrl = `ws://127.0.0.1:${(silent.address() as { port: number }).port}/`;
    const muteUrl = `ws://127.0.0.1:${(mute.address() as { port: number }).port}/`;

    const visit = await harness().run(
      NO_STDLIB,
      String.raw`${HEAD}
def describe(e):
    return [type(e).__name__, e.code, str(e), isinstance(e, TimeoutError)]

slow = websocket.WebSocket('${silentUrl}', connect_timeout=websocket.connect_timeout(300))
def slow_error(e):
    r['connect_error'] = describe(e)
def slow_close(evt):
    r['connect_close'] = evt.code
slow.bind('error', slow_error).bind('close', slow_close)

dead = websocket.WebSocket('${muteUrl}', {'heartbeat': websocket.heartbeat({'interval': 50, 'timeout': 300, 'message': b'\x01'})})
beat = websocket.WebSocket('${muteUrl}', heartbeat=websocket.heartbeat(interval=50, timeout=300, message=lambda: b'\x02'))
errors = []
dead.errors.subscribe(lambda e: errors.append(describe(e)))
def dead_close(evt):
    r['heartbeat_close'] = evt.code
    r['heartbeat_errors'] = errors
dead.bind('close', dead_close)

try:
    websocket.connect_timeout(-1)
except ValueError as e:
    r['bad_timeout'] = e.code

def check():
    if 'connect_close' in r and 'heartbeat_close' in r and beat.state == 'closed':
        finish()
    else:
        window.setTimeout(check, 20)
check()
`,
    );
    expect(await visit.result()).toEqual({
      r: {
        connect_error: [
          'WebSocketTimeoutError',
          'ERR_WS_TIMEOUT',
          'no connection within 300 ms; the attempt was given up. Check that the server is up, or raise connect_timeout()',
          true,
        ],
        connect_close: 4901,
        heartbeat_errors: [
          [
            'WebSocketTimeoutError',
            'ERR_WS_TIMEOUT',
            'nothing was received for 300 ms; the connection was dropped as dead (close code 4900)',
            true,
          ],
        ],
        heartbeat_close: 4900,
        bad_timeout: 'ERR_WS_INVALID_ARGUMENT',
      },
    });
    // The pings were the bytes given (or returned by the function), as binary frames.
    expect(new Set(pings)).toEqual(new Set(['binary 01', 'binary 02']));
  });
});

describe("the README's Python example", () => {
  it('runs as it is, against the local echo server', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### In a Brython page'));
    const code = /```python\n([\s\S]*?)```/.exec(section)?.[1];
    expect(code).toBeDefined();
    expect(code).toContain("'wss://example.test/chat'");
    const server = received();
    const visit = await harness().run(
      STDLIB_LAST,
      `${HEAD}
${code!.replace("'wss://example.test/chat'", 'URL')}
ws.bind('message', finish)
`,
    );
    await visit.result();
    expect(server).toEqual([[`binary ${Buffer.from('\x01 bytes go out as binary').toString('hex')}`]]);
    // print(evt.data) of the echoed binary frame (a Blob: the browser's default binaryType).
    expect(visit.console).toContain('log: <Javascript object: [object Blob]>\n');
    expect(visit.errors).toEqual([]);
  });
});

describe('should_reconnect, a Python function of the close event', () => {
  it('decides on clean closes by its truth value; one that raises prints its traceback and does not reconnect', async () => {
    // The server closes cleanly with the code the client asks for.
    harness().wss.on('connection', (socket) =>
      socket.on('message', (data) => {
        const code = /^close (\d+)$/.exec(bufferOf(data).toString())?.[1];
        if (code !== undefined) socket.close(Number(code));
      }),
    );
    const visit = await harness().run(
      NO_STDLIB,
      String.raw`${HEAD}
seen = []
def rule(evt):
    seen.append(evt.code)
    if evt.code == 4002:
        raise KeyError('raised on purpose')
    return 1 if evt.code == 4001 else 0
ws = websocket.WebSocket(URL, reconnect=websocket.reconnect(should_reconnect=rule, initial_delay=0, jitter=0))
opens = []
def on_open(evt):
    opens.append(ws.state)
    ws.send('close 4001' if len(opens) == 1 else 'close 4002')
def on_close(evt):
    if ws.state == 'closed':
        r['seen'] = seen
        r['opens'] = len(opens)
        finish()
ws.bind('open', on_open).bind('close', on_close)
`,
    );
    expect(await visit.result()).toEqual({ r: { seen: [4001, 4002], opens: 2 } });
    expect(visit.tracebacks()).toHaveLength(1);
    expect(visit.tracebacks()[0]).toContain("KeyError: 'raised on purpose'");
    expect(visit.errors).toEqual([]);
  });
});
