/**
 * `brython-websocket/streams` in Chromium, on the browser's own WebSocket, which cannot pause:
 * a reader that falls behind gets `ERR_WS_OVERFLOW` after the values it held, and the socket
 * stays open for everyone else. Against the report server's echo (see ./global-setup.ts).
 */
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { isWebSocketError, RxWebSocket } from '../../src/index.js';
import { messages, OverflowError, readable } from '../../src/streams.js';

const { wsUrl } = inject('reportServer');
const url = (): string => `${wsUrl}/echo?id=${crypto.randomUUID()}`;

let ws: RxWebSocket<string, string> | undefined;
afterEach(() => {
  ws?.close();
  ws = undefined;
});

/** Opens a socket, sends `n` numbered messages, and resolves once all `n` echoes have arrived. */
async function echoed(socket: RxWebSocket<string, string>, n: number): Promise<void> {
  const all = firstValueFrom(socket.message$.pipe(take(n), toArray()));
  await firstValueFrom(socket.open$);
  for (let i = 0; i < n; i++) socket.send(String(i));
  await all;
}

describe('streams on Chromium: a socket that cannot pause', () => {
  it('has no pause(): the buffer is bounded, and overflow ends the reader with ERR_WS_OVERFLOW; the socket stays open', async () => {
    ws = new RxWebSocket<string, string>(url());
    const reader = messages(ws, { highWaterMark: 5, lowWaterMark: 1 });
    const others = firstValueFrom(ws.pipe(take(20), toArray()));
    await echoed(ws, 20);
    const got: string[] = [];
    let error: unknown;
    try {
      for await (const value of reader) got.push(value);
    } catch (e) {
      error = e;
    }
    expect(got).toEqual(['0', '1', '2', '3', '4']);
    expect(error).toBeInstanceOf(OverflowError);
    expect(isWebSocketError(error) && error.code).toBe('ERR_WS_OVERFLOW');
    expect((error as OverflowError).buffered).toBe(5);
    expect(ws.state).toBe('open');
    expect(await others).toHaveLength(20);
    // Still usable: a new message goes out and comes back.
    const back = firstValueFrom(ws.pipe(filter((v) => v === 'again')));
    ws.send('again');
    expect(await back).toBe('again');
  });

  it("with overflow: 'drop-oldest', keeps the newest values and reports the drops on error$", async () => {
    ws = new RxWebSocket<string, string>(url());
    const errors: unknown[] = [];
    ws.error$.subscribe((e) => errors.push(e));
    const reader = messages(ws, { highWaterMark: 4, lowWaterMark: 0, overflow: 'drop-oldest' });
    await echoed(ws, 10);
    expect(reader.dropped).toBe(6);
    const got: string[] = [];
    for (let i = 0; i < 4; i++) got.push((await reader.next()).value!);
    expect(got).toEqual(['6', '7', '8', '9']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'ERR_WS_OVERFLOW', dropped: 6 });
    await reader.return();
  });

  it('readable() errors with the same OverflowError', async () => {
    ws = new RxWebSocket<string, string>(url());
    const stream = readable(ws, { highWaterMark: 3, lowWaterMark: 0 });
    await echoed(ws, 6);
    const got: string[] = [];
    await expect(stream.pipeTo(new WritableStream({ write: (v) => void got.push(v) }))).rejects.toMatchObject({
      code: 'ERR_WS_OVERFLOW',
    });
    expect(got).toEqual(['0', '1', '2']);
  });
});
