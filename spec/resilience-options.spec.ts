import { asyncScheduler, queueScheduler, type SchedulerLike } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { isWebSocketError, type WebSocketError } from '../src/errors.js';
import { RECONNECT_DEFAULTS } from '../src/reconnect.js';
import { FakeWebSocket } from '../src/testing/index.js';
import { WebSocket } from '../src/websocket.js';

// Validation of options.reconnect, connectTimeout, heartbeat and scheduler, through the
// constructor: a wrong value throws ERR_WS_INVALID_ARGUMENT naming the option, before any
// native socket is made.

beforeEach(() => {
  FakeWebSocket.reset();
});

function refused(options: Record<string, unknown>): WebSocketError {
  try {
    WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket, ...options } as never);
  } catch (error) {
    if (isWebSocketError(error)) {
      expect(FakeWebSocket.instances).toHaveLength(0);
      return error;
    }
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(Object.keys(options))} to be refused, nothing was thrown`);
}

function accepted(options: Record<string, unknown>): void {
  WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket, ...options } as never).close();
  expect(FakeWebSocket.instances).toHaveLength(1);
}

const SHARED = new SharedArrayBuffer(4);

describe('options.reconnect', () => {
  it.each([['yes'], [1], [0], [null], [[]], [() => true]])('%j is neither a boolean nor an object: refused', (value) => {
    const error = refused({ reconnect: value });
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toMatch(/^options\.reconnect must be true, false or an object of reconnect options, got /);
  });

  it('an unknown key is refused, naming it and listing the keys (a typo is never ignored)', () => {
    const error = refused({ reconnect: { attempt: 3 } });
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toBe(
      'unknown reconnect option "attempt"; the reconnect options are attempts, initialDelay, maxDelay, factor, jitter, resetAfter, shouldReconnect',
    );
    expect(refused({ reconnect: { retries: 3, attempts: 1 } }).message).toMatch(/^unknown reconnect option "retries"/);
  });

  const wrong: Array<[string, unknown[]]> = [
    ['attempts', [-1, 1.5, NaN, -Infinity, '3', null, true]],
    ['initialDelay', [-1, NaN, Infinity, '100', null, [100]]],
    ['maxDelay', [-1, NaN, Infinity, '30000', null]],
    ['resetAfter', [-1, NaN, Infinity, '5000', null]],
    ['factor', [0.5, 0, -2, NaN, Infinity, '2', null]],
    ['jitter', [-0.1, 1.1, NaN, Infinity, '0.5', null]],
    ['shouldReconnect', ['yes', {}, null, true, 1]],
  ];
  for (const [key, values] of wrong) {
    it.each(values.map((v) => [v]))(`${key}: %s is refused, naming options.reconnect.${key}`, (value) => {
      const error = refused({ reconnect: { [key]: value } });
      expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
      expect(error.message).toMatch(new RegExp(`^options\\.reconnect\\.${key} must be `));
    });
  }

  it('the message says what was given', () => {
    expect(refused({ reconnect: { attempts: -1 } }).message).toBe(
      'options.reconnect.attempts must be a whole number (0 or more, or Infinity), got -1',
    );
    expect(refused({ reconnect: { jitter: '0.5' } }).message).toBe('options.reconnect.jitter must be a number from 0 to 1, got "0.5"');
  });

  it.each([
    [false],
    [true],
    [{}],
    [{ attempts: 0 }],
    [{ attempts: Infinity, initialDelay: 0, maxDelay: 0, resetAfter: 0, factor: 1, jitter: 0 }],
    [{ jitter: 1, shouldReconnect: () => false }],
    [{ ...RECONNECT_DEFAULTS }],
    [{ attempts: undefined }],
  ])('accepts %j', (value) => {
    accepted({ reconnect: value });
  });
});

describe('options.connectTimeout', () => {
  it.each([[0], [-1], [NaN], [-Infinity], ['1000'], [null], [true], [{}]])('%s is refused, naming options.connectTimeout', (value) => {
    const error = refused({ connectTimeout: value });
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toMatch(/^options\.connectTimeout must be a number of milliseconds above 0 \(or Infinity\), got /);
  });

  it.each([[1], [0.5], [5000], [Infinity], [undefined]])('accepts %s', (value) => {
    accepted({ connectTimeout: value });
  });
});

describe('options.heartbeat', () => {
  it.each([[true], ['ping'], [1000], [null], [[]], [() => undefined]])('%s is not an object: refused, naming options.heartbeat', (value) => {
    const error = refused({ heartbeat: value });
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toMatch(/^options\.heartbeat must be an object such as \{ interval: 15000, message: 'ping' \}, got /);
  });

  it('an unknown key is refused, naming it and listing the keys', () => {
    const error = refused({ heartbeat: { interval: 10, timout: 5 } });
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toBe('unknown heartbeat option "timout"; the heartbeat options are interval, message, timeout');
  });

  it.each([[undefined], [0], [-1], [NaN], [Infinity], ['10'], [null]])('interval %s is refused, naming options.heartbeat.interval', (value) => {
    const error = refused({ heartbeat: { interval: value } });
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toMatch(/^options\.heartbeat\.interval must be a number of milliseconds above 0, got /);
  });

  it('an empty object is refused: interval is required', () => {
    expect(refused({ heartbeat: {} }).message).toBe('options.heartbeat.interval must be a number of milliseconds above 0, got undefined');
  });

  // null is refused like any other wrong type, as options.reconnect's keys and the top-level
  // options are: it must not fall back to the default.
  it.each([[0], [-1], [NaN], [-Infinity], ['10'], [true], [null]])('timeout %s is refused, naming options.heartbeat.timeout', (value) => {
    const error = refused({ heartbeat: { interval: 10, timeout: value } });
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toMatch(/^options\.heartbeat\.timeout must be a number of milliseconds above 0 \(or Infinity\), got /);
  });

  it.each([[42], [{}], [true], [[1, 2]], [SHARED], [new Uint8Array(SHARED)], [null]])(
    'message %s is refused, naming options.heartbeat.message',
    (value) => {
      const error = refused({ heartbeat: { interval: 10, message: value } });
      expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
      expect(error.message).toMatch(/^options\.heartbeat\.message must be what send\(\) takes/);
    },
  );

  it.each([
    [{ interval: 10 }],
    [{ interval: 10, timeout: Infinity }],
    [{ interval: 10, timeout: 5 }],
    [{ interval: 10, message: () => 'ping' }],
    [{ interval: 10, message: new ArrayBuffer(1) }],
    [{ interval: 10, message: new Uint8Array([1]) }],
    [{ interval: 10, message: '' }],
    [false],
    [undefined],
  ])('accepts %j', (value) => {
    accepted({ heartbeat: value });
  });
});

describe('options.scheduler', () => {
  it.each([
    [{}],
    [{ schedule: () => undefined }],
    [{ now: () => 0 }],
    ['async'],
    [() => undefined],
    [null],
    [42],
  ])('%s is not a scheduler: refused, naming options.scheduler', (value) => {
    const error = refused({ scheduler: value });
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toMatch(/^options\.scheduler must be an RxJS scheduler \(asyncScheduler, a TestScheduler\), got /);
  });

  it.each<[string, SchedulerLike]>([
    ['asyncScheduler', asyncScheduler],
    ['queueScheduler', queueScheduler],
    ['a TestScheduler', new TestScheduler(() => undefined)],
    ['any object with schedule() and now()', { schedule: asyncScheduler.schedule.bind(asyncScheduler), now: () => 0 } as SchedulerLike],
  ])('accepts %s', (_, scheduler) => {
    accepted({ scheduler });
  });
});

describe('option names', () => {
  it('reconnect, connectTimeout, heartbeat and scheduler are known; a misspelling is refused with the list', () => {
    const error = refused({ reconect: true });
    expect(error.message).toBe(
      'unknown option "reconect"; the options are protocols, binaryType, WebSocketCtor, serializer, deserializer, maxQueue, reconnect, connectTimeout, heartbeat, scheduler',
    );
    expect(refused({ heartBeat: { interval: 1 } }).message).toMatch(/^unknown option "heartBeat"/);
  });
});
