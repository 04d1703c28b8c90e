import { describe, expect, it } from 'vitest';
import { identityDeserializer, identitySerializer, json } from '../src/codec.js';
import type { MessageData, WsMessageEvent } from '../src/types.js';

function message(data: MessageData): WsMessageEvent {
  return { type: 'message', data };
}

describe('identity codecs', () => {
  it('identitySerializer returns what it is given, by reference', () => {
    const bytes = new Uint8Array([1, 2]);
    const buffer = new ArrayBuffer(8);
    expect(identitySerializer('hello')).toBe('hello');
    expect(identitySerializer('')).toBe('');
    expect(identitySerializer(bytes)).toBe(bytes);
    expect(identitySerializer(buffer)).toBe(buffer);
  });

  it("identityDeserializer returns the event's data: text stays text, binary stays binary", () => {
    const buffer = new ArrayBuffer(8);
    const view = new DataView(buffer);
    expect(identityDeserializer(message('{"a":1}'))).toBe('{"a":1}');
    expect(identityDeserializer(message(buffer))).toBe(buffer);
    expect(identityDeserializer(message(view))).toBe(view);
  });
});

describe('json(): serializer', () => {
  const { serializer } = json();

  it('encodes values with JSON.stringify', () => {
    expect(serializer({ a: 1, b: [true, null, 'x'] })).toBe('{"a":1,"b":[true,null,"x"]}');
    expect(serializer([1, 2])).toBe('[1,2]');
    expect(serializer('text')).toBe('"text"');
    expect(serializer(0)).toBe('0');
    expect(serializer(null)).toBe('null');
    expect(serializer({ when: new Date(0) })).toBe('{"when":"1970-01-01T00:00:00.000Z"}');
  });

  it('throws a TypeError for what JSON.stringify turns into undefined, instead of sending "undefined"', () => {
    expect(() => serializer(undefined)).toThrow(TypeError);
    expect(() => serializer(undefined)).toThrow('JSON cannot encode undefined');
    expect(() => serializer(() => 1)).toThrow('JSON cannot encode function');
    expect(() => serializer(Symbol('s'))).toThrow('JSON cannot encode symbol');
  });

  it("lets JSON.stringify's own errors through (BigInt, cycles)", () => {
    expect(() => serializer(1n)).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => serializer(cyclic)).toThrow(TypeError);
  });

  it('gives a fresh pair on each call', () => {
    const a = json();
    const b = json();
    expect(a.serializer).not.toBe(b.serializer);
    expect(Object.keys(a).sort()).toEqual(['deserializer', 'serializer']);
  });
});

describe('json(): deserializer', () => {
  const { deserializer } = json();

  it('parses JSON text', () => {
    expect(deserializer(message('{"a":1,"b":[1,"x",null]}'))).toEqual({ a: 1, b: [1, 'x', null] });
    expect(deserializer(message('42'))).toBe(42);
    expect(deserializer(message('"s"'))).toBe('s');
    expect(deserializer(message('null'))).toBeNull();
  });

  it('throws a SyntaxError for text that is not JSON', () => {
    expect(() => deserializer(message('not json'))).toThrow(SyntaxError);
    expect(() => deserializer(message(''))).toThrow(SyntaxError);
  });

  it('throws a TypeError for binary data, whatever its bytes', () => {
    const text = new TextEncoder().encode('{"a":1}');
    expect(() => deserializer(message(text))).toThrow(TypeError);
    expect(() => deserializer(message(text))).toThrow('a binary message is not JSON text');
    expect(() => deserializer(message(text.buffer))).toThrow(TypeError);
    expect(() => deserializer(message(Buffer.from('{"a":1}')))).toThrow(TypeError);
  });

  it('a "__proto__" key does not pollute Object.prototype nor change the prototype of the result', () => {
    const result = deserializer(message('{"__proto__":{"polluted":"yes"},"a":1}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(result, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(result, '__proto__')?.value).toEqual({ polluted: 'yes' });
    expect((result as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect('polluted' in Object.prototype).toBe(false);
    expect(result.a).toBe(1);
  });

  it('a nested "__proto__" key is an own property too', () => {
    const result = deserializer(message('{"x":{"__proto__":{"polluted":1}}}')) as { x: object };
    expect(Object.getPrototypeOf(result.x)).toBe(Object.prototype);
    expect(Object.keys(result.x)).toEqual(['__proto__']);
    expect('polluted' in Object.prototype).toBe(false);
  });

  it('round-trips with the serializer', () => {
    const { serializer, deserializer: parse } = json<{ n: number; s: string[] }, { n: number; s: string[] }>();
    const value = { n: 1.5, s: ['é', '😀'] };
    expect(parse(message(serializer(value) as string))).toEqual(value);
  });
});
