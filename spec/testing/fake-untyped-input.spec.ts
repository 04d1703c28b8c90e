/**
 * `FakeWebSocket` called from plain JavaScript, where the types do not hold: it converts and
 * refuses what it is given as the DOM's WebSocket does (WebIDL), so a test double behaves like
 * the real thing for untyped callers too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeWebSocket } from '../../src/testing/index.js';
import { thrownBy } from '../helpers/thrown.js';

afterEach(() => {
  FakeWebSocket.reset();
});

/** What a JavaScript caller may pass where the types say otherwise. */
const untyped = (value: unknown): never => value as never;

function domException(fn: () => unknown, name: string): DOMException {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(DOMException);
  expect((error as DOMException).name).toBe(name);
  return error as DOMException;
}

function opened(): FakeWebSocket {
  const fake = new FakeWebSocket('ws://test/');
  fake.open();
  return fake;
}

describe('subprotocols that are not strings', () => {
  it.each([
    [42, "'42'"],
    [null, "'null'"],
    [{ name: 'chat' }, "'[object Object]'"],
  ])('refuses %j with a SyntaxError naming it', (value, shown) => {
    const error = domException(() => new FakeWebSocket('ws://test/', untyped(['chat', value])), 'SyntaxError');
    expect(error.message).toContain(`The subprotocol ${shown} is invalid`);
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  it('says when a subprotocol is listed twice', () => {
    const error = domException(() => new FakeWebSocket('ws://test/', ['chat', 'chat']), 'SyntaxError');
    expect(error.message).toContain("The subprotocol 'chat' is invalid (listed twice)");
  });
});

describe('close() with a code or reason of another type', () => {
  it('converts the code as WebIDL [Clamp] unsigned short: a numeric string, and 3000.5 to 3000', () => {
    const a = opened();
    a.close(untyped('3001'));
    expect(a.closeRequest).toEqual({ code: 3001, reason: undefined });
    const b = opened();
    b.close(3000.5);
    expect(b.closeRequest?.code).toBe(3000);
    const c = opened();
    c.close(3001.5);
    expect(c.closeRequest?.code).toBe(3002);
  });

  it('refuses a code that converts to neither 1000 nor 3000-4999, naming the converted code', () => {
    expect(domException(() => opened().close(untyped('abc')), 'InvalidAccessError').message).toContain('0 is neither');
    expect(domException(() => opened().close(70000), 'InvalidAccessError').message).toContain('65535 is neither');
  });

  it('turns the reason into text with String(), as the DOM does, and measures that text', () => {
    const fake = opened();
    fake.close(1000, untyped({ toString: () => 'bye' }));
    expect(fake.closeRequest).toEqual({ code: 1000, reason: 'bye' });
    domException(() => opened().close(1000, untyped({ toString: () => 'x'.repeat(124) })), 'SyntaxError');
  });
});

describe('listener options and events of other types', () => {
  it('takes null options as no options: capture false, so a plain removeEventListener finds it', () => {
    const fake = new FakeWebSocket('ws://test/');
    const listener = (): void => {
      // Counted only: the test looks at the listener count.
    };
    fake.addEventListener('open', listener, untyped(null));
    expect(fake.listenerCount('open')).toBe(1);
    fake.removeEventListener('open', listener, untyped(null));
    expect(fake.listenerCount('open')).toBe(0);
  });

  it('ignores an undefined listener, as the DOM ignores null', () => {
    const fake = new FakeWebSocket('ws://test/');
    fake.addEventListener('open', untyped(undefined));
    expect(fake.listenerCount('open')).toBe(0);
  });

  it.each([null, 'open', {}, { type: 7 }])('refuses dispatchEvent(%j) with a TypeError', (value) => {
    const fake = new FakeWebSocket('ws://test/');
    const error = thrownBy(() => fake.dispatchEvent(untyped(value)));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('dispatchEvent(): pass an event object with a string "type"');
  });
});
