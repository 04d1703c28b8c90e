/** `concatMapPaced()`: the Rx face of the same backpressure as `messages()`, on driveable fakes. */
import { filter, Subject, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { CloseError, type WebSocketError } from '../src/errors.js';
import { concatMapPaced, OverflowError } from '../src/streams.js';
import { fakeSockets, PausableFake } from './helpers/pausable-fake.js';
import { thrown } from './helpers/thrown.js';

const open = fakeSockets();

/** A sink whose writes the test completes one by one: `pending` holds the values being written. */
function manualSink(): { write: (value: string) => Observable<string>; pending: string[]; finish: () => void } {
  const running: { value: string; done: Subject<string> }[] = [];
  return {
    write: (value) => {
      const done = new Subject<string>();
      running.push({ value, done });
      return done;
    },
    get pending() {
      return running.map((r) => r.value);
    },
    finish: () => {
      const first = running.shift()!;
      first.done.next(`wrote ${first.value}`);
      first.done.complete();
    },
  };
}

function collect<T>(source: Observable<T>): { values: T[]; error: WebSocketError | undefined; complete: boolean } {
  const out = { values: [] as T[], error: undefined as WebSocketError | undefined, complete: false };
  source.subscribe({
    next: (v) => out.values.push(v),
    error: (e: WebSocketError) => (out.error = e),
    complete: () => (out.complete = true),
  });
  return out;
}

describe('concatMapPaced()', () => {
  it('runs project for one value at a time, in order, and pauses the socket while highWaterMark values wait', () => {
    const { ws } = open(PausableFake);
    const fake = PausableFake.made[0]!;
    const sink = manualSink();
    const out = collect(ws.pipe(concatMapPaced(sink.write, { highWaterMark: 2, lowWaterMark: 0 })));
    for (const v of ['1', '2', '3']) fake.receive(v);
    // '1' is being written; '2' and '3' wait: two values, the high-water mark.
    expect(sink.pending).toEqual(['1']);
    expect(fake.calls).toEqual(['pause']);
    sink.finish();
    expect(sink.pending).toEqual(['2']);
    sink.finish();
    // Nothing waits any more: down to lowWaterMark.
    expect(fake.calls).toEqual(['pause', 'resume']);
    sink.finish();
    expect(out.values).toEqual(['wrote 1', 'wrote 2', 'wrote 3']);
    expect(out.complete).toBe(false);
  });

  it('processes every value that came before a clean close, then completes', () => {
    const { ws, fake } = open();
    const sink = manualSink();
    const out = collect(ws.pipe(concatMapPaced(sink.write)));
    fake.receive('a');
    fake.receive('b');
    fake.serverClose(1000);
    expect(out.complete).toBe(false);
    sink.finish();
    sink.finish();
    expect(out).toEqual({ values: ['wrote a', 'wrote b'], error: undefined, complete: true });
  });

  it('processes every value that came before an unclean close, then errors with the CloseError', () => {
    const { ws, fake } = open();
    const sink = manualSink();
    const out = collect(ws.pipe(concatMapPaced(sink.write)));
    fake.receive('a');
    fake.serverClose(1011, 'gone', false);
    expect(out.error).toBeUndefined();
    sink.finish();
    expect(out.values).toEqual(['wrote a']);
    expect(out.error).toBeInstanceOf(CloseError);
    expect(out.error).toMatchObject({ closeCode: 1011 });
  });

  it('on a socket that cannot pause, errors with ERR_WS_OVERFLOW after the values it held; the socket stays open', () => {
    const { ws, fake } = open();
    const sink = manualSink();
    const out = collect(ws.pipe(concatMapPaced(sink.write, { highWaterMark: 2, lowWaterMark: 0 })));
    for (const v of ['1', '2', '3', '4']) fake.receive(v);
    expect(out.error).toBeUndefined();
    sink.finish();
    sink.finish();
    sink.finish();
    expect(out.values).toEqual(['wrote 1', 'wrote 2', 'wrote 3']);
    expect(out.error).toBeInstanceOf(OverflowError);
    expect(out.error).toMatchObject({ code: 'ERR_WS_OVERFLOW', buffered: 2 });
    expect(ws.state).toBe('open');
  });

  it('unsubscribing resumes the socket and leaves it open', () => {
    const { ws } = open(PausableFake);
    const fake = PausableFake.made[0]!;
    const sink = manualSink();
    const subscription = ws.pipe(concatMapPaced(sink.write, { highWaterMark: 1, lowWaterMark: 0 })).subscribe();
    fake.receive('1');
    fake.receive('2');
    expect(fake.isPaused).toBe(true);
    subscription.unsubscribe();
    expect(fake.isPaused).toBe(false);
    expect(ws.state).toBe('open');
  });

  it('errors with the error of project, thrown or rejected, and resumes the socket', async () => {
    const { ws } = open(PausableFake);
    const fake = PausableFake.made[0]!;
    const boom = new Error('boom');
    const first = new Subject<string>();
    const out = collect(
      ws.pipe(
        concatMapPaced(
          (v: string) => {
            if (v === '2') throw boom;
            return first;
          },
          { highWaterMark: 1, lowWaterMark: 0 },
        ),
      ),
    );
    fake.receive('1');
    fake.receive('2');
    expect(fake.isPaused).toBe(true);
    first.complete();
    expect(out.error).toBe(boom);
    expect(fake.isPaused).toBe(false);

    const rejected = ws.pipe(concatMapPaced(() => Promise.reject(boom), { highWaterMark: 1, lowWaterMark: 0 }));
    const failed = new Promise((resolve) => rejected.subscribe({ error: resolve }));
    fake.receive('3');
    fake.receive('4');
    expect(fake.isPaused).toBe(true);
    expect(await failed).toBe(boom);
    expect(fake.isPaused).toBe(false);
    expect(ws.state).toBe('open');
  });

  it('reads a filtered stream of the socket with options.socket', () => {
    const { ws } = open(PausableFake);
    const fake = PausableFake.made[0]!;
    const sink = manualSink();
    collect(
      ws.pipe(
        filter((v) => v !== 'skip'),
        concatMapPaced(sink.write, { socket: ws, highWaterMark: 1, lowWaterMark: 0 }),
      ),
    );
    fake.receive('skip');
    fake.receive('1');
    expect(fake.isPaused).toBe(false);
    fake.receive('2');
    expect(fake.isPaused).toBe(true);
    expect(sink.pending).toEqual(['1']);
  });

  it('refuses a source that is not the socket without options.socket, bad options and a project that is not a function', () => {
    const { ws } = open();
    const notSocket = thrown(() =>
      ws.pipe(
        filter(() => true),
        concatMapPaced(() => [1]),
      ),
    );
    expect(notSocket.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(notSocket.message).toMatch(/pipe it right from the socket, or pass the socket as options\.socket/);
    expect(thrown(() => concatMapPaced(() => [1], { highWaterMark: 2, lowWaterMark: 2 })).message).toMatch(
      /lowWaterMark \(2\) must be below highWaterMark \(2\)/,
    );
    expect(thrown(() => concatMapPaced('write' as never)).message).toMatch(/takes a function/);
    expect(thrown(() => concatMapPaced(() => [1], { socket: {} as never })(ws)).code).toBe('ERR_WS_INVALID_ARGUMENT');
  });
});
