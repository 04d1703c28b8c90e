import { asyncScheduler, queueScheduler, VirtualTimeScheduler, type SchedulerLike } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isWebSocketError, type WebSocketError } from '../src/errors.js';
import { connectTimeout, heartbeat, reconnect, RECONNECT_DEFAULTS } from '../src/resilience.js';
import { FakeWebSocket } from '../src/testing/index.js';
import { WebSocket } from '../src/websocket.js';
import { thrown } from './helpers/thrown.js';
import { SOCKET_OPTION_NAMES } from './helpers/option-names.js';

// Validation of the resilience features. reconnect(), heartbeat() and connectTimeout() check
// their own options when they are called; the constructor checks that options.reconnect,
// heartbeat and connectTimeout hold what those functions made (or false), and checks
// options.scheduler. A wrong value throws ERR_WS_INVALID_ARGUMENT, before any native socket is
// made. Messages are asserted on their content (the offending value, the name to use), not on
// their wording.

beforeEach(() => {
  FakeWebSocket.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

/** What the constructor throws for `options`; no native socket may have been made. */
function refused(options: Record<string, unknown>): WebSocketError {
  const error = thrown(() => WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket, ...options } as never));
  expect(FakeWebSocket.instances).toHaveLength(0);
  return error;
}

function accepted(options: Record<string, unknown>): void {
  WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket, ...options } as never).close();
  expect(FakeWebSocket.instances).toHaveLength(1);
}

const SHARED = new SharedArrayBuffer(4);

describe('reconnect(options)', () => {
  it.each<[unknown, string]>([
    ['yes', '"yes"'],
    [1, '1'],
    [0, '0'],
    [null, 'null'],
    [[], 'an array'],
    [() => true, 'a function'],
    [true, 'true'],
    [false, 'false'],
  ])('%j is not an object of reconnect options: refused, saying what was given', (value, shown) => {
    const error = thrown(() => reconnect(value as never));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain('reconnect');
    expect(error.message).toContain(shown);
  });

  it('an unknown key is refused, naming it and listing the keys (a typo is never ignored)', () => {
    const error = thrown(() => reconnect({ attempt: 3 } as never));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain('"attempt"');
    for (const key of Object.keys(RECONNECT_DEFAULTS)) expect(error.message).toContain(key);
    expect(thrown(() => reconnect({ retries: 3, attempts: 1 } as never)).message).toContain('"retries"');
  });

  const wrong: [string, [unknown, string][]][] = [
    [
      'attempts',
      [
        [-1, '-1'],
        [1.5, '1.5'],
        [NaN, 'NaN'],
        [-Infinity, '-Infinity'],
        ['3', '"3"'],
        [null, 'null'],
        [true, 'true'],
      ],
    ],
    [
      'initialDelay',
      [
        [-1, '-1'],
        [NaN, 'NaN'],
        [Infinity, 'Infinity'],
        ['100', '"100"'],
        [null, 'null'],
        [[100], 'an array'],
      ],
    ],
    [
      'maxDelay',
      [
        [-1, '-1'],
        [NaN, 'NaN'],
        [Infinity, 'Infinity'],
        ['30000', '"30000"'],
        [null, 'null'],
      ],
    ],
    [
      'resetAfter',
      [
        [-1, '-1'],
        [NaN, 'NaN'],
        [Infinity, 'Infinity'],
        ['5000', '"5000"'],
        [null, 'null'],
      ],
    ],
    [
      'factor',
      [
        [0.5, '0.5'],
        [0, '0'],
        [-2, '-2'],
        [NaN, 'NaN'],
        [Infinity, 'Infinity'],
        ['2', '"2"'],
        [null, 'null'],
      ],
    ],
    [
      'jitter',
      [
        [-0.1, '-0.1'],
        [1.1, '1.1'],
        [NaN, 'NaN'],
        [Infinity, 'Infinity'],
        ['0.5', '"0.5"'],
        [null, 'null'],
      ],
    ],
    [
      'shouldReconnect',
      [
        ['yes', '"yes"'],
        [{}, 'a plain object'],
        [null, 'null'],
        [true, 'true'],
        [1, '1'],
      ],
    ],
  ];
  for (const [key, values] of wrong) {
    it.each(values)(`${key}: %s is refused, naming ${key} and the value`, (value, shown) => {
      const error = thrown(() => reconnect({ [key]: value }));
      expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
      expect(error.message).toContain(key);
      expect(error.message).toContain(`got ${shown}`);
    });
  }

  it('the message says which option, and what was given', () => {
    const attempts = thrown(() => reconnect({ attempts: -1 }));
    expect(attempts.message).toMatch(/reconnect attempts\b.*\bwhole number\b.*got -1$/);
    const jitter = thrown(() => reconnect({ jitter: '0.5' as never }));
    expect(jitter.message).toMatch(/reconnect jitter\b.*\b0 to 1\b.*got "0\.5"$/);
  });

  it.each([
    [undefined],
    [{}],
    [{ attempts: 0 }],
    [{ attempts: Infinity, initialDelay: 0, maxDelay: 0, resetAfter: 0, factor: 1, jitter: 0 }],
    [{ jitter: 1, shouldReconnect: () => false }],
    [{ ...RECONNECT_DEFAULTS }],
    [{ attempts: undefined }],
  ])('accepts %j, and the socket takes what it makes', (value) => {
    const feature = reconnect(value);
    expect(feature.kind).toBe('reconnect');
    accepted({ reconnect: feature });
  });
});

describe('connectTimeout(ms)', () => {
  it.each<[unknown, string]>([
    [0, '0'],
    [-1, '-1'],
    [NaN, 'NaN'],
    [-Infinity, '-Infinity'],
    ['1000', '"1000"'],
    [null, 'null'],
    [true, 'true'],
    [{}, 'a plain object'],
    [undefined, 'undefined'],
  ])('%s is refused, naming connectTimeout() and the value', (value, shown) => {
    const error = thrown(() => connectTimeout(value as never));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain('connectTimeout');
    expect(error.message).toContain(`got ${shown}`);
  });

  it.each([[1], [0.5], [5000], [Infinity]])('accepts %s, and keeps it as .ms', (ms) => {
    const feature = connectTimeout(ms);
    expect([feature.kind, feature.ms]).toEqual(['connectTimeout', ms]);
    accepted({ connectTimeout: feature });
  });
});

describe('heartbeat(options)', () => {
  it.each<[unknown, string]>([
    [true, 'true'],
    ['ping', '"ping"'],
    [1000, '1000'],
    [null, 'null'],
    [[], 'an array'],
    [() => undefined, 'a function'],
    [undefined, 'undefined'],
    [false, 'false'],
  ])('%s is not an object: refused, naming heartbeat() and the value', (value, shown) => {
    const error = thrown(() => heartbeat(value as never));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain('heartbeat');
    expect(error.message).toContain(`got ${shown}`);
  });

  it('an unknown key is refused, naming it and listing the keys', () => {
    const error = thrown(() => heartbeat({ interval: 10, timout: 5 } as never));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain('"timout"');
    for (const key of ['interval', 'message', 'timeout']) expect(error.message).toContain(key);
  });

  it.each<[unknown, string]>([
    [undefined, 'undefined'],
    [0, '0'],
    [-1, '-1'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    ['10', '"10"'],
    [null, 'null'],
  ])('interval %s is refused, naming interval and the value', (value, shown) => {
    const error = thrown(() => heartbeat({ interval: value } as never));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain('interval');
    expect(error.message).toContain(`got ${shown}`);
  });

  it('an empty object is refused: interval is required', () => {
    const error = thrown(() => heartbeat({} as never));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toMatch(/heartbeat interval\b.*got undefined$/);
  });

  // null is refused like any other wrong type, as reconnect()'s keys and the top-level
  // options are: it must not fall back to the default.
  it.each<[unknown, string]>([
    [0, '0'],
    [-1, '-1'],
    [NaN, 'NaN'],
    [-Infinity, '-Infinity'],
    ['10', '"10"'],
    [true, 'true'],
    [null, 'null'],
  ])('timeout %s is refused, naming timeout and the value', (value, shown) => {
    const error = thrown(() => heartbeat({ interval: 10, timeout: value } as never));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain('timeout');
    expect(error.message).toContain(`got ${shown}`);
  });

  it.each<[unknown, string]>([
    [42, '42'],
    [{}, 'a plain object'],
    [true, 'true'],
    [[1, 2], 'an array'],
    [SHARED, 'a SharedArrayBuffer'],
    [new Uint8Array(SHARED), 'a Uint8Array'],
    [null, 'null'],
  ])('message %s is refused, naming message and the value', (value, shown) => {
    const error = thrown(() => heartbeat({ interval: 10, message: value } as never));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain('message');
    expect(error.message).toContain(`got ${shown}`);
  });

  it.each([
    [{ interval: 10 }],
    [{ interval: 10, timeout: Infinity }],
    [{ interval: 10, timeout: 5 }],
    [{ interval: 10, message: () => 'ping' }],
    [{ interval: 10, message: new ArrayBuffer(1) }],
    [{ interval: 10, message: new Uint8Array([1]) }],
    [{ interval: 10, message: '' }],
  ])('accepts %j, and the socket takes what it makes', (value) => {
    const feature = heartbeat(value);
    expect(feature.kind).toBe('heartbeat');
    accepted({ heartbeat: feature });
  });
});

describe('options.reconnect, heartbeat and connectTimeout take only what the feature functions make', () => {
  const plain: [string, unknown][] = [
    ['reconnect', true],
    ['reconnect', {}],
    ['reconnect', { attempts: 5 }],
    ['reconnect', 5000],
    ['reconnect', 'yes'],
    ['reconnect', null],
    ['heartbeat', true],
    ['heartbeat', {}],
    ['heartbeat', { interval: 15_000 }],
    ['heartbeat', 5000],
    ['heartbeat', null],
    ['connectTimeout', 5000],
    ['connectTimeout', Infinity],
    ['connectTimeout', true],
    ['connectTimeout', {}],
    ['connectTimeout', null],
  ];
  it.each(plain)(
    'options.%s = %j (the old plain value) throws ERR_WS_INVALID_ARGUMENT, naming the function to use',
    (key, value) => {
      const error = refused({ [key]: value });
      expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
      expect(error.message).toContain(`options.${key}`);
      expect(error.message).toContain(`${key}(`);
      expect(error.message).toContain('brython-websocket/resilience');
    },
  );

  it.each<[string, string, () => unknown]>([
    ['reconnect', 'heartbeat(…)', () => heartbeat({ interval: 10 })],
    ['reconnect', 'connectTimeout(…)', () => connectTimeout(10)],
    ['heartbeat', 'reconnect()', () => reconnect()],
    ['heartbeat', 'connectTimeout(…)', () => connectTimeout(10)],
    ['connectTimeout', 'reconnect()', () => reconnect()],
    ['connectTimeout', 'heartbeat(…)', () => heartbeat({ interval: 10 })],
  ])('options.%s refuses a feature of another kind: %s', (key, _, make) => {
    const error = refused({ [key]: make() });
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain(`${key}(`);
  });

  it('an object that only looks like a feature (the right kind, no attach) is refused', () => {
    const error = refused({ reconnect: { kind: 'reconnect', policy: RECONNECT_DEFAULTS } });
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain('reconnect(');
  });

  it('a plain value is refused even when the other feature options are right', () => {
    const error = refused({ reconnect: reconnect(), heartbeat: heartbeat({ interval: 10 }), connectTimeout: 5000 });
    expect(error.message).toContain('connectTimeout(');
  });
});

describe('false, like leaving the option out, means off', () => {
  it('false and undefined are accepted for all three', () => {
    accepted({ reconnect: false, heartbeat: false, connectTimeout: false });
    FakeWebSocket.reset();
    accepted({ reconnect: undefined, heartbeat: undefined, connectTimeout: undefined });
  });

  // The same steps with each option false, left out, or on: only "on" schedules a timer or
  // reconnects, so these can tell off from on.
  type Step = (scheduler: VirtualTimeScheduler) => string;
  const observe: Record<'connectTimeout' | 'heartbeat' | 'reconnect', [unknown, Step]> = {
    connectTimeout: [connectTimeout(50), (scheduler) => `${scheduler.actions.length} timers while connecting`],
    heartbeat: [
      heartbeat({ interval: 10 }),
      (scheduler) => {
        FakeWebSocket.last.open();
        return `${scheduler.actions.length} timers while open`;
      },
    ],
    reconnect: [
      reconnect({ initialDelay: 10, jitter: 0 }),
      (scheduler) => {
        FakeWebSocket.last.open();
        FakeWebSocket.last.fail();
        return `${scheduler.actions.length} timers after a failure`;
      },
    ],
  };
  it.each([
    ['connectTimeout', '0 timers while connecting', '1 timers while connecting'],
    ['heartbeat', '0 timers while open', '2 timers while open'],
    ['reconnect', '0 timers after a failure', '1 timers after a failure'],
  ] as const)('options.%s: false is off, as leaving it out is', (key, off, on) => {
    const [feature, step] = observe[key];
    const outcome = (value: unknown): string => {
      FakeWebSocket.reset();
      const scheduler = new VirtualTimeScheduler();
      const ws = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket, scheduler, [key]: value } as never);
      const seen = `${step(scheduler)}, ${ws.state}`;
      ws.close();
      return seen;
    };
    const offState = key === 'reconnect' ? 'closed' : key === 'heartbeat' ? 'open' : 'connecting';
    const onState = key === 'reconnect' ? 'reconnecting' : offState;
    expect(outcome(false)).toBe(`${off}, ${offState}`);
    expect(outcome(undefined)).toBe(`${off}, ${offState}`);
    expect(outcome(feature)).toBe(`${on}, ${onState}`);
  });
});

describe('options.scheduler', () => {
  it.each([[{}], [{ schedule: () => undefined }], [{ now: () => 0 }], ['async'], [() => undefined], [null], [42]])(
    '%s is not a scheduler: refused, naming options.scheduler',
    (value) => {
      const error = refused({ scheduler: value });
      expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
      expect(error.message).toContain('options.scheduler');
    },
  );

  it.each<[string, SchedulerLike]>([
    ['asyncScheduler', asyncScheduler],
    ['queueScheduler', queueScheduler],
    ['a TestScheduler', new TestScheduler(() => undefined)],
    ['any object with schedule() and now()', { schedule: asyncScheduler.schedule.bind(asyncScheduler), now: () => 0 }],
  ])('accepts %s', (_, scheduler) => {
    accepted({ scheduler, reconnect: reconnect() });
  });

  it('is optional: left out, the features run on asyncScheduler (real timers, faked here)', () => {
    vi.useFakeTimers();
    const ws = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket, connectTimeout: connectTimeout(50) });
    const errors: string[] = [];
    ws.error$.subscribe((e) => errors.push(isWebSocketError(e) ? e.code : e.type));
    vi.advanceTimersByTime(49);
    expect([errors, ws.state]).toEqual([[], 'connecting']);
    vi.advanceTimersByTime(1);
    expect([errors, ws.state]).toEqual([['ERR_WS_TIMEOUT'], 'closed']);
  });
});

describe('option names', () => {
  it('reconnect, connectTimeout, heartbeat and scheduler are known; a misspelling is refused with the list', () => {
    const error = refused({ reconect: reconnect() });
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain('"reconect"');
    for (const name of SOCKET_OPTION_NAMES) {
      expect(error.message).toContain(name);
    }
    expect(refused({ heartBeat: heartbeat({ interval: 1 }) }).message).toContain('"heartBeat"');
  });
});
