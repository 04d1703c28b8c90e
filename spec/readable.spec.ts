/** `readable()`: a pulled WHATWG ReadableStream of the socket's values, and Node's adapters on it. */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { CloseError } from '../src/errors.js';
import { OverflowError, readable } from '../src/streams.js';
import { FakeWebSocket } from '../src/testing/index.js';
import { fakeSockets, PausableFake } from './helpers/pausable-fake.js';
import { thrown } from './helpers/thrown.js';

const open = fakeSockets();

async function readAllOf(stream: ReadableStream<string>): Promise<{ values: string[]; error: unknown }> {
  const values: string[] = [];
  const reader = stream.getReader();
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) return { values, error: undefined };
      values.push(r.value);
    }
  } catch (error) {
    return { values, error };
  }
}

describe('readable()', () => {
  it('reads the values in order and closes on a clean close', async () => {
    const { ws, fake } = open();
    const stream = readable(ws);
    fake.receive('a');
    fake.receive('b');
    fake.serverClose(1000);
    expect(await readAllOf(stream)).toEqual({ values: ['a', 'b'], error: undefined });
  });

  it('errors with the CloseError of an unclean close, after the values before it', async () => {
    const { ws, fake } = open();
    const stream = readable(ws);
    fake.receive('a');
    fake.serverClose(1006, '', false);
    const { values, error } = await readAllOf(stream);
    expect(values).toEqual(['a']);
    expect(error).toBeInstanceOf(CloseError);
  });

  it('is pulled: a stream nobody reads holds the socket paused at highWaterMark; cancelling resumes it and leaves it open', async () => {
    const { ws } = open(PausableFake);
    const fake = PausableFake.made[0]!;
    const stream = readable(ws, { highWaterMark: 3, lowWaterMark: 1 });
    for (const v of ['1', '2', '3']) fake.receive(v);
    expect(fake.isPaused).toBe(true);
    const reader = stream.getReader();
    expect((await reader.read()).value).toBe('1');
    expect(fake.isPaused).toBe(true);
    await reader.cancel();
    expect(fake.isPaused).toBe(false);
    expect(ws.state).toBe('open');
  });

  it('errors with ERR_WS_OVERFLOW on a socket that cannot pause', async () => {
    const { ws, fake } = open();
    const stream = readable(ws, { highWaterMark: 2, lowWaterMark: 0 });
    for (const v of ['1', '2', '3']) fake.receive(v);
    const { values, error } = await readAllOf(stream);
    expect(values).toEqual(['1', '2']);
    expect(error).toBeInstanceOf(OverflowError);
    expect(ws.state).toBe('open');
  });

  it('works with Readable.fromWeb and Readable.from, into a Node pipeline', async () => {
    for (const adapt of [
      (s: ReadableStream<string>) => Readable.fromWeb(s as never, { objectMode: true }),
      (s: ReadableStream<string>) => Readable.from(s),
    ]) {
      FakeWebSocket.reset();
      const { ws, fake } = open();
      const node = adapt(readable(ws));
      const got: string[] = [];
      const done = pipeline(
        node,
        new Writable({
          objectMode: true,
          write(chunk: string, _encoding, callback) {
            got.push(chunk);
            callback();
          },
        }),
      );
      fake.receive('x');
      fake.receive('y');
      fake.serverClose(1000);
      await done;
      expect(got).toEqual(['x', 'y']);
    }
  });

  it('refuses bad water marks with ERR_WS_INVALID_ARGUMENT', () => {
    const { ws } = open();
    const error = thrown(() => readable(ws, { highWaterMark: 1, lowWaterMark: 1 }));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toMatch(/^readable\(\): lowWaterMark \(1\) must be below highWaterMark \(1\)/);
  });
});

describe('readable(): cancelled while a read waits', () => {
  it('settles the waiting read as done, leaves no error behind, and resumes the socket', async () => {
    const { ws } = open(PausableFake);
    const stream = readable(ws, { highWaterMark: 2, lowWaterMark: 0 });
    const reader = stream.getReader();
    const waiting = reader.read();
    await reader.cancel();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(ws.state).toBe('open');
  });
});
