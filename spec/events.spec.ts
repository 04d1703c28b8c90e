import { firstValueFrom, isObservable, map, Observable, take, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { Binding } from '../src/bindings.js';
import { EventChannel, ValueChannel } from '../src/events.js';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** Records every notification a subscriber gets, in order. */
function recorder(log: string[], name: string) {
  return {
    next: (v: unknown) => log.push(`${name}:${String(v)}`),
    error: (e: unknown) => log.push(`${name}:error:${e instanceof Error ? e.message : String(e)}`),
    complete: () => log.push(`${name}:complete`),
  };
}

describe('EventChannel: hot, in subscriber order', () => {
  it('is an rxjs Observable', () => {
    const channel = new EventChannel<number>();
    expect(channel).toBeInstanceOf(Observable);
    expect(isObservable(channel)).toBe(true);
  });

  it('emits to its subscribers as events come (marbles)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const channel = new EventChannel<string>();
      cold('-a-b--c-|').subscribe({ next: (v) => channel._emit(v), complete: () => channel._end() });
      expectObservable(channel).toBe('-a-b--c-|');
    });
  });

  it('replays nothing: a late subscriber sees only later events (marbles)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const channel = new EventChannel<string>();
      cold('-a-b--c-|').subscribe({ next: (v) => channel._emit(v), complete: () => channel._end() });
      expectObservable(channel, '----^').toBe('------c-|');
      expectObservable(channel, '--^--!').toBe('---b--');
    });
  });

  it('emits nothing and keeps nothing while nobody listens', () => {
    const channel = new EventChannel<number>();
    channel._emit(1);
    channel._emit(2);
    const log: string[] = [];
    channel.subscribe(recorder(log, 'a'));
    channel._emit(3);
    expect(log).toEqual(['a:3']);
  });

  it('delivers each event to every subscriber in subscription order', () => {
    const channel = new EventChannel<number>();
    const log: string[] = [];
    channel.subscribe(recorder(log, 'a'));
    channel.subscribe(recorder(log, 'b'));
    channel.subscribe(recorder(log, 'c'));
    channel._emit(1);
    channel._emit(2);
    expect(log).toEqual(['a:1', 'b:1', 'c:1', 'a:2', 'b:2', 'c:2']);
  });

  it('delivers to the same observer twice when it subscribed twice', () => {
    const channel = new EventChannel<number>();
    const seen: number[] = [];
    const observer = (v: number) => seen.push(v);
    channel.subscribe(observer);
    channel.subscribe(observer);
    channel._emit(7);
    expect(seen).toEqual([7, 7]);
  });
});

describe('EventChannel: subscribing and unsubscribing during an emission', () => {
  it('skips a subscriber that an earlier subscriber unsubscribed during the same emission', () => {
    const channel = new EventChannel<number>();
    const log: string[] = [];
    channel.subscribe((v) => {
      log.push(`a:${v}`);
      if (v === 1) later.unsubscribe();
    });
    const later = channel.subscribe(recorder(log, 'b'));
    channel.subscribe(recorder(log, 'c'));
    channel._emit(1);
    channel._emit(2);
    expect(log).toEqual(['a:1', 'c:1', 'a:2', 'c:2']);
    expect(channel.observed).toBe(true);
  });

  it('lets a subscriber unsubscribe itself during an emission without disturbing the others', () => {
    const channel = new EventChannel<number>();
    const log: string[] = [];
    const self = channel.subscribe((v) => {
      log.push(`a:${v}`);
      self.unsubscribe();
    });
    channel.subscribe(recorder(log, 'b'));
    channel._emit(1);
    channel._emit(2);
    expect(log).toEqual(['a:1', 'b:1', 'b:2']);
  });

  it('gives a subscriber added during an emission only the later events', () => {
    const channel = new EventChannel<number>();
    const log: string[] = [];
    let added = false;
    channel.subscribe((v) => {
      log.push(`a:${v}`);
      if (!added) {
        added = true;
        channel.subscribe(recorder(log, 'late'));
      }
    });
    channel.subscribe(recorder(log, 'b'));
    channel._emit(1);
    channel._emit(2);
    expect(log).toEqual(['a:1', 'b:1', 'a:2', 'b:2', 'late:2']);
  });

  it('handles a re-entrant emit from a subscriber depth-first, in order', () => {
    const channel = new EventChannel<number>();
    const log: string[] = [];
    channel.subscribe((v) => {
      log.push(`a:${v}`);
      if (v === 1) channel._emit(2);
    });
    channel.subscribe(recorder(log, 'b'));
    channel._emit(1);
    expect(log).toEqual(['a:1', 'a:2', 'b:2', 'b:1']);
  });
});

describe('EventChannel and bindings (bind/unbind)', () => {
  it('skips a binding that an earlier handler unbound during the same emission, as it skips a subscriber', () => {
    const channel = new EventChannel<number>();
    const log: string[] = [];
    const later = new Binding('message', (v: number) => log.push(`b:${v}`));
    channel.subscribe(
      new Binding('message', (v: number) => {
        log.push(`a:${v}`);
        if (v === 1) later.unsubscribe();
      }),
    );
    channel.subscribe(later);
    channel.subscribe(new Binding('message', (v: number) => log.push(`c:${v}`)));
    channel._emit(1);
    channel._emit(2);
    expect(log).toEqual(['a:1', 'c:1', 'a:2', 'c:2']);
  });
});

/** Whether `channel` has ended, as a subscriber sees it: one that arrives is completed at once. */
function ended(channel: EventChannel<unknown>): boolean {
  let complete = false;
  channel.subscribe({ complete: () => (complete = true) }).unsubscribe();
  return complete;
}

describe('EventChannel: end() and fail()', () => {
  it('end() completes every subscriber, in order, once', () => {
    const channel = new EventChannel<number>();
    const log: string[] = [];
    channel.subscribe(recorder(log, 'a'));
    channel.subscribe(recorder(log, 'b'));
    expect(ended(channel)).toBe(false);
    channel._end();
    channel._end();
    expect(log).toEqual(['a:complete', 'b:complete']);
    expect(ended(channel)).toBe(true);
    expect(channel.observed).toBe(false);
  });

  it('completes a subscriber that arrives after end() at once', async () => {
    const channel = new EventChannel<number>();
    channel._end();
    const log: string[] = [];
    const subscription = channel.subscribe(recorder(log, 'late'));
    expect(log).toEqual(['late:complete']);
    expect(subscription.closed).toBe(true);
    expect(channel.observed).toBe(false);
    await expect(firstValueFrom(channel, { defaultValue: 'none' })).resolves.toBe('none');
  });

  it('emits nothing after end()', () => {
    const channel = new EventChannel<number>();
    const log: string[] = [];
    channel.subscribe(recorder(log, 'a'));
    channel._end();
    channel._emit(1);
    expect(log).toEqual(['a:complete']);
  });

  it('fail(e) errors every subscriber with e, in order, and then behaves as ended', () => {
    const channel = new EventChannel<number>();
    const log: string[] = [];
    const errors: unknown[] = [];
    const boom = new Error('boom');
    channel.subscribe(recorder(log, 'a'));
    channel.subscribe({ error: (e: unknown) => errors.push(e) });
    channel.subscribe(recorder(log, 'c'));
    channel._fail(boom);
    expect(log).toEqual(['a:error:boom', 'c:error:boom']);
    expect(errors).toEqual([boom]);
    expect(errors[0]).toBe(boom);
    expect(ended(channel)).toBe(true);
    expect(channel.observed).toBe(false);

    channel._fail(new Error('again'));
    channel._end();
    channel._emit(1);
    expect(log).toEqual(['a:error:boom', 'c:error:boom']);
  });

  it('fail() after end() errors nobody', () => {
    const channel = new EventChannel<number>();
    const log: string[] = [];
    channel.subscribe(recorder(log, 'a'));
    channel._end();
    channel._fail(new Error('late'));
    expect(log).toEqual(['a:complete']);
  });

  it('errors in marbles as well', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const channel = new EventChannel<string>();
      const boom = new Error('boom');
      cold('-a-b-#', undefined, boom).subscribe({ next: (v) => channel._emit(v), error: (e) => channel._fail(e) });
      expectObservable(channel).toBe('-a-b-#', undefined, boom);
    });
  });
});

describe('EventChannel: observed and teardown', () => {
  it('observed follows subscribe and unsubscribe', () => {
    const channel = new EventChannel<number>();
    expect(channel.observed).toBe(false);
    const a = channel.subscribe(() => undefined);
    const b = channel.subscribe(() => undefined);
    expect(channel.observed).toBe(true);
    a.unsubscribe();
    expect(channel.observed).toBe(true);
    b.unsubscribe();
    expect(channel.observed).toBe(false);
    b.unsubscribe();
    expect(channel.observed).toBe(false);
  });

  it('unsubscribing one of two identical observers removes only that subscription', () => {
    const channel = new EventChannel<number>();
    const seen: number[] = [];
    const observer = (v: number) => seen.push(v);
    const first = channel.subscribe(observer);
    channel.subscribe(observer);
    first.unsubscribe();
    channel._emit(1);
    expect(seen).toEqual([1]);
    expect(channel.observed).toBe(true);
  });

  it('an unsubscription at a marble frame tears down: observed turns false then (marbles)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const channel = new EventChannel<string>();
      cold('-a-b-c-|').subscribe((v) => channel._emit(v));
      const probe = cold('-x--y--|').pipe(map(() => channel.observed));
      expectObservable(channel, '^-!').toBe('-a');
      expectObservable(probe).toBe('-t--f--|', { t: true, f: false });
    });
  });

  it('works with pipe: take(2) completes and unsubscribes, so observed turns false (marbles)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const channel = new EventChannel<string>();
      cold('-a-b-c-|').subscribe((v) => channel._emit(v));
      const probe = cold('--x--y-|').pipe(map(() => channel.observed));
      expectObservable(channel.pipe(take(2))).toBe('-a-(b|)');
      expectObservable(probe).toBe('--t--f-|', { t: true, f: false });
    });
  });

  it('works with pipe outside marbles: take(2) + toArray', async () => {
    const channel = new EventChannel<number>();
    const result = firstValueFrom(channel.pipe(take(2), toArray()));
    expect(channel.observed).toBe(true);
    channel._emit(1);
    channel._emit(2);
    expect(channel.observed).toBe(false);
    channel._emit(3);
    await expect(result).resolves.toEqual([1, 2]);
  });
});

describe('ValueChannel: current value first, then changes only', () => {
  it('is an rxjs Observable holding a value', () => {
    const channel = new ValueChannel('connecting');
    expect(channel).toBeInstanceOf(Observable);
    expect(channel._value).toBe('connecting');
  });

  it('gives the current value to each new subscriber, then only changes (marbles)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const channel = new ValueChannel('a');
      cold('-b-b-c-c-a-|').subscribe({ next: (v) => channel._set(v), complete: () => channel._end() });
      expectObservable(channel).toBe('ab---c---a-|');
      expectObservable(channel, '--^').toBe('--b--c---a-|');
      expectObservable(channel, '------^').toBe('------c--a-|');
      expectObservable(channel, '-------^--!').toBe('-------c-a');
    });
  });

  it('set() of the current value emits nothing and keeps the value', () => {
    const channel = new ValueChannel(1);
    const seen: number[] = [];
    channel.subscribe((v) => seen.push(v));
    channel._set(1);
    channel._set(2);
    channel._set(2);
    channel._set(1);
    expect(seen).toEqual([1, 2, 1]);
    expect(channel._value).toBe(1);
  });

  it('updates value even while nobody listens, and the next subscriber gets it', () => {
    const channel = new ValueChannel('x');
    channel._set('y');
    channel._set('z');
    expect(channel._value).toBe('z');
    const seen: string[] = [];
    channel.subscribe((v) => seen.push(v));
    expect(seen).toEqual(['z']);
  });

  it('delivers changes in subscriber order', () => {
    const channel = new ValueChannel(0);
    const log: string[] = [];
    channel.subscribe(recorder(log, 'a'));
    channel.subscribe(recorder(log, 'b'));
    channel._set(1);
    expect(log).toEqual(['a:0', 'b:0', 'a:1', 'b:1']);
  });

  it('end() completes every subscriber; a later subscriber gets the last value, then completes', () => {
    const channel = new ValueChannel('open');
    const log: string[] = [];
    channel.subscribe(recorder(log, 'a'));
    channel._set('closed');
    channel._end();
    channel._end();
    channel.subscribe(recorder(log, 'late'));
    expect(log).toEqual(['a:open', 'a:closed', 'a:complete', 'late:closed', 'late:complete']);
  });

  it('take(1) unsubscribes after the current value', async () => {
    const channel = new ValueChannel('connecting');
    await expect(firstValueFrom(channel)).resolves.toBe('connecting');
    const seen: string[] = [];
    channel.pipe(take(2)).subscribe((v) => seen.push(v));
    channel._set('open');
    channel._set('closing');
    expect(seen).toEqual(['connecting', 'open']);
  });
});
