import { asyncScheduler, queueScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { identityDeserializer, identitySerializer } from '../src/codec.js';
import { resolveOptions } from '../src/options.js';
import { DEFAULT_MAX_QUEUE } from '../src/outbox.js';
import { connectTimeout, heartbeat, reconnect } from '../src/resilience.js';
import { FakeWebSocket } from '../src/testing/index.js';
import { thrown } from './helpers/thrown.js';
import { SOCKET_OPTION_NAMES } from './helpers/option-names.js';

const resolve = (a?: unknown, b?: unknown) => resolveOptions<unknown, unknown>(a, b);

/** A constructor only passed through: resolveOptions keeps it as given, without calling it. */
class Ctor extends FakeWebSocket {}

const DEFAULTS = {
  protocols: undefined,
  binaryType: undefined,
  WebSocketCtor: undefined,
  serializer: undefined,
  deserializer: undefined,
  maxQueue: DEFAULT_MAX_QUEUE,
  // No feature (reconnect, heartbeat, connectTimeout) unless given; each defaults to
  // asyncScheduler itself, so the options hold no scheduler unless one is given.
  features: [],
  scheduler: undefined,
};

describe('resolveOptions: argument shapes', () => {
  it('() gives the defaults', () => {
    expect(resolve()).toEqual(DEFAULTS);
    expect(resolve(undefined, undefined)).toEqual(DEFAULTS);
    expect(resolve({})).toEqual(DEFAULTS);
  });

  it('(protocols, options)', () => {
    expect(resolve('chat', { maxQueue: 5 })).toEqual({ ...DEFAULTS, protocols: 'chat', maxQueue: 5 });
    expect(resolve(['a', 'b'], { binaryType: 'arraybuffer' })).toEqual({
      ...DEFAULTS,
      protocols: ['a', 'b'],
      binaryType: 'arraybuffer',
    });
  });

  it('(protocols) alone', () => {
    expect(resolve('chat')).toEqual({ ...DEFAULTS, protocols: 'chat' });
    expect(resolve(['a'])).toEqual({ ...DEFAULTS, protocols: ['a'] });
  });

  it('(options), protocols inside', () => {
    expect(resolve({ protocols: ['a', 'b'], maxQueue: 1 })).toEqual({
      ...DEFAULTS,
      protocols: ['a', 'b'],
      maxQueue: 1,
    });
  });

  it('(undefined, options)', () => {
    expect(resolve(undefined, { protocols: 'x', maxQueue: 2 })).toEqual({ ...DEFAULTS, protocols: 'x', maxQueue: 2 });
  });

  it('passes every option through by identity', () => {
    const serializer = identitySerializer;
    const deserializer = identityDeserializer;
    const resolved = resolve({ WebSocketCtor: Ctor, serializer, deserializer, binaryType: 'blob', maxQueue: 7 });
    expect(resolved.WebSocketCtor).toBe(Ctor);
    expect(resolved.serializer).toBe(serializer);
    expect(resolved.deserializer).toBe(deserializer);
    expect(resolved.binaryType).toBe('blob');
    expect(resolved.maxQueue).toBe(7);
  });

  it('treats options set to undefined as absent', () => {
    expect(
      resolve({
        protocols: undefined,
        WebSocketCtor: undefined,
        serializer: undefined,
        maxQueue: undefined,
        scheduler: undefined,
        reconnect: undefined,
        heartbeat: undefined,
        connectTimeout: undefined,
      }),
    ).toEqual(DEFAULTS);
  });

  it('validates the protocols wherever they come from', () => {
    expect(thrown(() => resolve('a b', {})).code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(thrown(() => resolve({ protocols: ['a', 'a'] })).message).toContain('"a" is listed twice');
    expect(thrown(() => resolve({ protocols: 42 })).message).toContain('protocols must be a string or an array');
  });
});

describe('resolveOptions: refused calls', () => {
  it('refuses protocols given twice', () => {
    const error = thrown(() => resolve('chat', { protocols: 'chat' }));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain('protocols were given twice');
  });

  it('refuses protocols given twice even when the two agree or differ', () => {
    expect(thrown(() => resolve(['a'], { protocols: ['b'] })).message).toContain('given twice');
  });

  it('refuses an unknown key, naming it and listing the known ones', () => {
    const error = thrown(() => resolve({ reconect: true }));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain('unknown option "reconect"');
    for (const known of SOCKET_OPTION_NAMES) {
      expect(error.message).toContain(known);
    }
    expect(thrown(() => resolve('chat', { maxqueue: 1 })).message).toContain('unknown option "maxqueue"');
  });

  it.each([
    ['the number 42', 42, undefined, 'got 42'],
    ['null', null, undefined, 'got null'],
    ['null after protocols', 'chat', null, 'got null'],
    ['an array after protocols', 'chat', ['x'], 'got an array'],
    ['a number after protocols', ['a'], 42, 'got 42'],
    ['a string after protocols', 'chat', 'other', 'got "other"'],
    ['a function', () => undefined, undefined, 'got a function'],
    ['true', true, undefined, 'got true'],
  ])('refuses options that are not an object: %s', (_, a, b, got) => {
    const error = thrown(() => resolve(a, b));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain('options must be an object');
    expect(error.message).toContain(got);
  });

  it('refuses something after options in the protocols position', () => {
    const error = thrown(() => resolve({ maxQueue: 1 }, { maxQueue: 2 }));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain('before options, the second argument is the protocols');
    expect(error.message).toContain('got a plain object');
  });
});

describe('resolveOptions: option types', () => {
  // Each refusal names the option, what it takes, and what it got.
  const FUNCTION = /\bfunction\b/;
  const STRING = /\bstring\b/;
  const WHOLE = /whole number/;
  it.each([
    ['WebSocketCtor', 'x', FUNCTION, 'got "x"'],
    ['WebSocketCtor', {}, FUNCTION, 'got a plain object'],
    ['serializer', 1, FUNCTION, 'got 1'],
    ['serializer', null, FUNCTION, 'got null'],
    ['deserializer', {}, FUNCTION, 'got a plain object'],
    ['binaryType', 1, STRING, 'got 1'],
    ['binaryType', null, STRING, 'got null'],
    ['maxQueue', -1, WHOLE, 'got -1'],
    ['maxQueue', 1.5, WHOLE, 'got 1.5'],
    ['maxQueue', '10', WHOLE, 'got "10"'],
    ['maxQueue', Number.NaN, WHOLE, 'got NaN'],
    ['maxQueue', -Infinity, WHOLE, 'got -Infinity'],
  ])('refuses %s: %s, naming the option', (key, value, takes, got) => {
    const error = thrown(() => resolve({ [key]: value }));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain(`options.${key}`);
    expect(error.message).toMatch(takes);
    expect(error.message).toContain(got);
  });

  it('refuses maxQueue: null as the other options refuse null (not silently the default)', () => {
    const error = thrown(() => resolve({ maxQueue: null }));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain('options.maxQueue');
    expect(error.message).toMatch(WHOLE);
    expect(error.message).toContain('got null');
  });

  it('maxQueue defaults to DEFAULT_MAX_QUEUE (1000)', () => {
    expect(DEFAULT_MAX_QUEUE).toBe(1000);
    expect(resolve({}).maxQueue).toBe(1000);
  });

  it.each([0, 1, 1000, 1_000_000, Infinity])('maxQueue accepts %s', (maxQueue) => {
    expect(resolve({ maxQueue }).maxQueue).toBe(maxQueue);
  });
});

describe('resolveOptions: the scheduler', () => {
  it('passes a given scheduler through by identity', () => {
    expect(resolve({ scheduler: queueScheduler }).scheduler).toBe(queueScheduler);
    expect(resolve({ scheduler: asyncScheduler }).scheduler).toBe(asyncScheduler);
  });

  it.each([
    ['an object', {}, 'got a plain object'],
    ['null', null, 'got null'],
    ['a string', 'async', 'got "async"'],
  ])('refuses %s, naming the option', (_, scheduler, got) => {
    const error = thrown(() => resolve({ scheduler }));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain('options.scheduler');
    expect(error.message).toContain(got);
  });
});

describe('resolveOptions: the features of brython-websocket/resilience', () => {
  it('collects the features given, connect timeout and heartbeat before reconnect, whatever the key order', () => {
    const r = reconnect();
    const h = heartbeat({ interval: 10 });
    const c = connectTimeout(100);
    expect(resolve({ reconnect: r, heartbeat: h, connectTimeout: c }).features).toEqual([c, h, r]);
    expect(resolve({ connectTimeout: c, reconnect: r }).features).toEqual([c, r]);
    // By identity: the very objects the functions made.
    const [first] = resolve({ heartbeat: h }).features;
    expect(first).toBe(h);
  });

  it('takes false (and undefined) as off', () => {
    expect(resolve({ reconnect: false, heartbeat: false, connectTimeout: false }).features).toEqual([]);
    expect(resolve({ reconnect: false, heartbeat: heartbeat({ interval: 10 }) }).features.map((f) => f.kind)).toEqual([
      'heartbeat',
    ]);
  });

  it.each([
    ['reconnect', true, 'got true'],
    ['reconnect', { attempts: 5 }, 'got a plain object'],
    ['reconnect', null, 'got null'],
    ['heartbeat', { interval: 1000 }, 'got a plain object'],
    ['heartbeat', 15_000, 'got 15000'],
    ['connectTimeout', 5000, 'got 5000'],
    ['connectTimeout', Infinity, 'got Infinity'],
    ['connectTimeout', true, 'got true'],
  ])('refuses the plain value of options.%s: %j, pointing to its function', (key, value, got) => {
    const error = thrown(() => resolve({ [key]: value }));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain(`options.${key}`);
    expect(error.message).toContain(`${key}(`);
    expect(error.message).toContain('brython-websocket/resilience');
    expect(error.message).toContain(got);
  });

  it('refuses a feature under the wrong key, or an object that only looks like one', () => {
    const wrongKey = [
      () => resolve({ reconnect: heartbeat({ interval: 10 }) }),
      () => resolve({ heartbeat: connectTimeout(10) }),
      () => resolve({ connectTimeout: reconnect() }),
    ];
    for (const call of wrongKey) expect(thrown(call).code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(thrown(() => resolve({ reconnect: { kind: 'reconnect' } })).message).toContain('options.reconnect');
    expect(thrown(() => resolve({ reconnect: { attach: () => ({ stop: () => undefined }) } })).message).toContain(
      'options.reconnect',
    );
  });

  it('accepts an object of the feature shape (kind and attach) as the feature', () => {
    const custom = { kind: 'reconnect' as const, attach: () => ({ stop: () => undefined }) };
    expect(resolve({ reconnect: custom }).features).toEqual([custom]);
  });
});
