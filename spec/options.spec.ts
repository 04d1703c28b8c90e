import { asyncScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { identityDeserializer, identitySerializer } from '../src/codec.js';
import { resolveOptions } from '../src/options.js';
import { DEFAULT_MAX_QUEUE } from '../src/outbox.js';
import type { WebSocketConstructor } from '../src/types.js';
import { thrown } from './helpers/thrown.js';


const resolve = (a?: unknown, b?: unknown) => resolveOptions<unknown, unknown>(a, b);

const Ctor = class {} as unknown as WebSocketConstructor;

const DEFAULTS = {
  protocols: undefined,
  binaryType: undefined,
  WebSocketCtor: undefined,
  serializer: undefined,
  deserializer: undefined,
  maxQueue: DEFAULT_MAX_QUEUE,
  reconnect: undefined,
  connectTimeout: Infinity,
  heartbeat: undefined,
  scheduler: asyncScheduler,
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
    expect(resolve({ protocols: ['a', 'b'], maxQueue: 1 })).toEqual({ ...DEFAULTS, protocols: ['a', 'b'], maxQueue: 1 });
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
      resolve({ protocols: undefined, WebSocketCtor: undefined, serializer: undefined, maxQueue: undefined }),
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
    expect(error.message).toContain('protocols, binaryType, WebSocketCtor, serializer, deserializer, maxQueue');
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
    expect(error.message).toContain('the second argument must be the protocols');
    expect(error.message).toContain('got a plain object');
  });
});

describe('resolveOptions: option types', () => {
  it.each([
    ['WebSocketCtor', 'x', 'options.WebSocketCtor must be a function, got "x"'],
    ['WebSocketCtor', {}, 'options.WebSocketCtor must be a function, got a plain object'],
    ['serializer', 1, 'options.serializer must be a function, got 1'],
    ['serializer', null, 'options.serializer must be a function, got null'],
    ['deserializer', {}, 'options.deserializer must be a function, got a plain object'],
    ['binaryType', 1, 'options.binaryType must be a string'],
    ['binaryType', null, 'options.binaryType must be a string'],
    ['maxQueue', -1, 'options.maxQueue must be a whole number of messages (0 or more, or Infinity), got -1'],
    ['maxQueue', 1.5, 'options.maxQueue must be a whole number of messages (0 or more, or Infinity), got 1.5'],
    ['maxQueue', '10', 'options.maxQueue must be a whole number of messages (0 or more, or Infinity), got "10"'],
    ['maxQueue', Number.NaN, 'options.maxQueue must be a whole number of messages (0 or more, or Infinity), got NaN'],
    ['maxQueue', -Infinity, 'got -Infinity'],
  ])('refuses %s: %s, naming the option', (key, value, message) => {
    const error = thrown(() => resolve({ [key]: value }));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain(message);
  });

  it('refuses maxQueue: null as the other options refuse null (not silently the default)', () => {
    const error = thrown(() => resolve({ maxQueue: null }));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain('options.maxQueue must be a whole number of messages (0 or more, or Infinity), got null');
  });

  it('maxQueue defaults to DEFAULT_MAX_QUEUE (1000)', () => {
    expect(DEFAULT_MAX_QUEUE).toBe(1000);
    expect(resolve({}).maxQueue).toBe(1000);
  });

  it.each([0, 1, 1000, 1_000_000, Infinity])('maxQueue accepts %s', (maxQueue) => {
    expect(resolve({ maxQueue }).maxQueue).toBe(maxQueue);
  });
});
