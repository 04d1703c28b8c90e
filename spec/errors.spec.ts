import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  CloseError,
  DecodeError,
  isWebSocketError,
  NotImplementedError,
  WebSocketError,
  type WebSocketErrorCode,
} from '../src/errors.js';
import type { WsCloseEvent } from '../src/types.js';

type Package = typeof import('../src/index.js');

const BRAND = Symbol.for('brython-websocket.WebSocketError');
const distCjs = fileURLToPath(new URL('../dist/index.cjs', import.meta.url));

/** A second copy of the package: the built CJS bundle (`npm test` builds it first; alone, run `npx tsup`). */
function loadDist(): Package {
  if (!existsSync(distCjs)) throw new Error(`${distCjs} is missing: run \`npx tsup\` (npm test builds it first)`);
  return createRequire(import.meta.url)(distCjs) as Package;
}

const closeEvent = (code: number, reason: string, wasClean: boolean): WsCloseEvent => ({
  type: 'close',
  code,
  reason,
  wasClean,
});

describe('WebSocketError', () => {
  it('has a name, a stable code, a message and an optional cause', () => {
    const cause = new RangeError('inner');
    const error = new WebSocketError('ERR_WS_INVALID_STATE', 'cannot send now', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(WebSocketError);
    expect(error.name).toBe('WebSocketError');
    expect(error.code).toBe('ERR_WS_INVALID_STATE');
    expect(error.message).toBe('cannot send now');
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe('WebSocketError: cannot send now');
    expect(error.stack).toContain('WebSocketError: cannot send now');
  });

  it('has no cause property when none was given', () => {
    const error = new WebSocketError('ERR_WS_TIMEOUT', 'too slow');
    expect('cause' in error).toBe(false);
  });

  it('keeps its brand out of enumeration and JSON', () => {
    const error = new WebSocketError('ERR_WS_TIMEOUT', 'too slow');
    expect(Object.getOwnPropertySymbols(error)).toEqual([BRAND]);
    expect(Object.prototype.propertyIsEnumerable.call(error, BRAND)).toBe(false);
    expect(JSON.parse(JSON.stringify(error))).toEqual({ name: 'WebSocketError', code: 'ERR_WS_TIMEOUT' });
  });

  it('takes every documented code', () => {
    const codes: WebSocketErrorCode[] = [
      'ERR_WS_UNSUPPORTED',
      'ERR_WS_INVALID_URL',
      'ERR_WS_INVALID_ARGUMENT',
      'ERR_WS_INVALID_STATE',
      'ERR_WS_INVALID_CLOSE',
      'ERR_WS_QUEUE_FULL',
      'ERR_WS_CLOSED',
      'ERR_WS_DECODE',
      'ERR_WS_TIMEOUT',
    ];
    expect(codes.map((code) => new WebSocketError(code, 'm').code)).toEqual(codes);
  });
});

describe('NotImplementedError', () => {
  it("is Brython's name for ERR_WS_UNSUPPORTED, and a WebSocketError", () => {
    const error = new NotImplementedError('no WebSocket here');
    expect(error.name).toBe('NotImplementedError');
    expect(error.code).toBe('ERR_WS_UNSUPPORTED');
    expect(error.message).toBe('no WebSocket here');
    expect(error).toBeInstanceOf(NotImplementedError);
    expect(error).toBeInstanceOf(WebSocketError);
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).toBe('NotImplementedError: no WebSocket here');
    expect(isWebSocketError(error)).toBe(true);
  });
});

describe('CloseError', () => {
  it('carries the close code, reason, wasClean and the event itself', () => {
    const event = closeEvent(1006, '', false);
    const error = new CloseError(event);
    expect(error.name).toBe('CloseError');
    expect(error.code).toBe('ERR_WS_CLOSED');
    expect(error.closeCode).toBe(1006);
    expect(error.reason).toBe('');
    expect(error.wasClean).toBe(false);
    expect(error.event).toBe(event);
    expect(error).toBeInstanceOf(WebSocketError);
    expect(error).toBeInstanceOf(Error);
    // What happened (with the code) and what to do (a new connection, or reconnect()).
    expect(error.message).toMatch(/\b1006\b/);
    expect(error.message).toMatch(/unclean/);
    expect(error.message).toMatch(/\bnew\b|reconnect/);
    expect(error.message).not.toContain('""');
  });

  it('quotes a reason in the message', () => {
    const error = new CloseError(closeEvent(4001, 'server "restart"', true));
    expect(error.closeCode).toBe(4001);
    expect(error.reason).toBe('server "restart"');
    expect(error.wasClean).toBe(true);
    expect(error.message).toMatch(/\b4001\b/);
    expect(error.message).toContain('"server \\"restart\\""');
  });
});

describe('DecodeError', () => {
  it('carries the raw data and the cause, and says the socket stays open', () => {
    const data = new Uint8Array([0xff]);
    const cause = new SyntaxError('Unexpected token');
    const error = new DecodeError(data, cause);
    expect(error.name).toBe('DecodeError');
    expect(error.code).toBe('ERR_WS_DECODE');
    expect(error.data).toBe(data);
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(WebSocketError);
    expect(error.message).toContain('(Unexpected token)');
    expect(error.message).toMatch(/stays open/);
    expect(error.message).toContain('error.data');
  });

  it('describes a cause that is not an Error', () => {
    const error = new DecodeError('x', 'bad shape');
    expect(error.data).toBe('x');
    expect(error.cause).toBe('bad shape');
    expect(error.message).toContain('(bad shape)');
  });
});

describe('isWebSocketError', () => {
  it("is true for each of the package's errors", () => {
    expect(isWebSocketError(new WebSocketError('ERR_WS_TIMEOUT', 'm'))).toBe(true);
    expect(isWebSocketError(new NotImplementedError('m'))).toBe(true);
    expect(isWebSocketError(new CloseError(closeEvent(1006, '', false)))).toBe(true);
    expect(isWebSocketError(new DecodeError('x', new Error('y')))).toBe(true);
  });

  it('is false for plain errors, look-alikes and non-objects', () => {
    const lookAlike = Object.assign(new Error('m'), { name: 'WebSocketError', code: 'ERR_WS_CLOSED' });
    expect(isWebSocketError(new Error('m'))).toBe(false);
    expect(isWebSocketError(lookAlike)).toBe(false);
    expect(isWebSocketError({ name: 'WebSocketError', code: 'ERR_WS_CLOSED', message: 'm' })).toBe(false);
    expect(isWebSocketError(null)).toBe(false);
    expect(isWebSocketError(undefined)).toBe(false);
    expect(isWebSocketError('ERR_WS_CLOSED')).toBe(false);
    expect(isWebSocketError(42)).toBe(false);
  });

  it('needs both the brand and a string code on a foreign object', () => {
    const branded = (code: unknown): object => {
      const o = { code };
      Object.defineProperty(o, BRAND, { value: true });
      return o;
    };
    expect(isWebSocketError(branded('ERR_WS_CLOSED'))).toBe(true);
    expect(isWebSocketError(branded(42))).toBe(false);
    expect(isWebSocketError(branded(undefined))).toBe(false);
    expect(isWebSocketError({ code: 'ERR_WS_CLOSED', [BRAND]: 'yes' })).toBe(false);
  });

  it('recognises an error made in another realm (node:vm)', () => {
    const foreign: unknown = vm.runInNewContext(`
      const e = new Error('from another realm');
      e.code = 'ERR_WS_TIMEOUT';
      Object.defineProperty(e, Symbol.for('brython-websocket.WebSocketError'), { value: true });
      e;
    `);
    expect(foreign instanceof Error).toBe(false);
    expect(isWebSocketError(foreign)).toBe(true);
    const plain: unknown = vm.runInNewContext(`Object.assign(new Error('x'), { code: 'ERR_WS_TIMEOUT' })`);
    expect(isWebSocketError(plain)).toBe(false);
  });
});

describe('isWebSocketError across two copies of the package (src and the built dist/index.cjs)', () => {
  it('loads a separate module instance from dist', () => {
    const dist = loadDist();
    expect(dist.WebSocketError).not.toBe(WebSocketError);
    expect(typeof dist.isWebSocketError).toBe('function');
  });

  it("recognises the dist copy's errors, where instanceof fails", () => {
    const dist = loadDist();
    const errors: unknown[] = [
      new dist.WebSocketError('ERR_WS_INVALID_STATE', 'm'),
      new dist.NotImplementedError('m'),
      new dist.CloseError(closeEvent(1006, '', false)),
      new dist.DecodeError('x', new Error('y')),
    ];
    for (const error of errors) {
      expect(error instanceof WebSocketError).toBe(false);
      expect(isWebSocketError(error)).toBe(true);
    }
  });

  it("the dist copy's guard recognises errors from src", () => {
    const dist = loadDist();
    const errors: unknown[] = [
      new WebSocketError('ERR_WS_INVALID_STATE', 'm'),
      new NotImplementedError('m'),
      new CloseError(closeEvent(1006, '', false)),
      new DecodeError('x', new Error('y')),
    ];
    for (const error of errors) {
      expect(error instanceof dist.WebSocketError).toBe(false);
      expect(dist.isWebSocketError(error)).toBe(true);
    }
    expect(dist.isWebSocketError(new Error('m'))).toBe(false);
  });

  it('an error from the dist copy keeps its code and fields', () => {
    const dist = loadDist();
    const error: unknown = new dist.CloseError(closeEvent(4000, 'bye', false));
    if (!isWebSocketError(error)) throw new Error('not recognised');
    expect(error.code).toBe('ERR_WS_CLOSED');
    expect(error.name).toBe('CloseError');
    expect(error).toHaveProperty('closeCode', 4000);
  });
});
