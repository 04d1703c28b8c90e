import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_QUEUE, Outbox } from '../src/outbox.js';
import type { SendData } from '../src/types.js';
import { thrown } from './helpers/thrown.js';

function shiftAll(box: Outbox): SendData[] {
  const out: SendData[] = [];
  for (let data = box._shift(); data !== undefined; data = box._shift()) out.push(data);
  return out;
}

/** The backing array's length: how much memory the queue holds, consumed slots included. */
function backingLength(box: Outbox): number {
  return (Reflect.get(box, '_items') as unknown[]).length;
}

describe('Outbox: first in, first out', () => {
  it('starts empty', () => {
    const box = new Outbox(10);
    expect(box._size).toBe(0);
    expect(box._shift()).toBeUndefined();
    expect(box._drain()).toEqual([]);
  });

  it('shifts in push order and counts size', () => {
    const box = new Outbox(10);
    box._push('a');
    box._push('b');
    box._push('c');
    expect(box._size).toBe(3);
    expect(box._shift()).toBe('a');
    expect(box._size).toBe(2);
    box._push('d');
    expect(shiftAll(box)).toEqual(['b', 'c', 'd']);
    expect(box._size).toBe(0);
    expect(box._shift()).toBeUndefined();
  });

  it('keeps binary data by reference', () => {
    const box = new Outbox(10);
    const bytes = new Uint8Array([1, 2, 3]);
    const buffer = new ArrayBuffer(4);
    box._push(bytes);
    box._push(buffer);
    expect(box._shift()).toBe(bytes);
    expect(box._shift()).toBe(buffer);
  });

  it('keeps order over 10,000 items pushed and shifted interleaved (head compaction included)', () => {
    const box = new Outbox(Infinity);
    const out: SendData[] = [];
    let next = 0;
    // push 3, shift 2: the backlog grows while the head index passes the compaction threshold many times
    while (next < 10_000) {
      for (let k = 0; k < 3 && next < 10_000; k++) box._push(String(next++));
      for (let k = 0; k < 2; k++) {
        const data = box._shift();
        if (data !== undefined) out.push(data);
      }
      if (box._size !== next - out.length)
        throw new Error(`size ${box._size} after ${next} pushes, ${out.length} shifts`);
    }
    // the consumed head was compacted away at least once (without it the array would hold all 10,000)
    expect(backingLength(box)).toBeLessThan(10_000);
    out.push(...shiftAll(box));
    expect(out).toHaveLength(10_000);
    expect(out).toEqual(Array.from({ length: 10_000 }, (_, i) => String(i)));
  });

  it('keeps order when draining after many shifts', () => {
    const box = new Outbox(Infinity);
    for (let i = 0; i < 5000; i++) box._push(String(i));
    for (let i = 0; i < 3000; i++) expect(box._shift()).toBe(String(i));
    for (let i = 5000; i < 6000; i++) box._push(String(i));
    expect(box._size).toBe(3000);
    expect(box._drain()).toEqual(Array.from({ length: 3000 }, (_, i) => String(3000 + i)));
    expect(box._size).toBe(0);
  });

  it('does not grow without bound when a small backlog streams through (consumed slots are released)', () => {
    const box = new Outbox(Infinity);
    for (let i = 0; i < 10; i++) box._push(String(i));
    const out: SendData[] = [];
    for (let i = 10; i < 100_010; i++) {
      box._push(String(i));
      out.push(box._shift()!);
    }
    expect(out).toEqual(Array.from({ length: 100_000 }, (_, i) => String(i)));
    expect(box._size).toBe(10);
    expect(backingLength(box)).toBeLessThan(4096);
    expect(box._drain()).toEqual(Array.from({ length: 10 }, (_, i) => String(100_000 + i)));
  });
});

describe('Outbox: bound', () => {
  it('accepts exactly max items, then refuses with ERR_WS_QUEUE_FULL and queues nothing', () => {
    const box = new Outbox(3);
    expect(box._max).toBe(3);
    box._push('a');
    box._push('b');
    box._push('c');
    const error = thrown(() => box._push('d'));
    expect(error.code).toBe('ERR_WS_QUEUE_FULL');
    // The bound, that nothing was queued, and the option to raise.
    expect(error.message).toMatch(/\b3\b/);
    expect(error.message).toMatch(/nothing|not queued/);
    expect(error.message).toContain('maxQueue');
    expect(box._size).toBe(3);
    expect(box._drain()).toEqual(['a', 'b', 'c']);
  });

  it('accepts again once an item was shifted', () => {
    const box = new Outbox(2);
    box._push('a');
    box._push('b');
    expect(thrown(() => box._push('x')).code).toBe('ERR_WS_QUEUE_FULL');
    expect(box._shift()).toBe('a');
    box._push('c');
    expect(thrown(() => box._push('y')).code).toBe('ERR_WS_QUEUE_FULL');
    expect(box._drain()).toEqual(['b', 'c']);
  });

  it('counts the bound from the head, not from the backing array (after shifts)', () => {
    const box = new Outbox(2000);
    for (let i = 0; i < 2000; i++) box._push(String(i));
    for (let i = 0; i < 1500; i++) box._shift();
    for (let i = 2000; i < 3500; i++) box._push(String(i));
    expect(box._size).toBe(2000);
    expect(thrown(() => box._push('over')).code).toBe('ERR_WS_QUEUE_FULL');
    expect(box._shift()).toBe('1500');
  });

  it('max 0 refuses every push', () => {
    const box = new Outbox(0);
    const error = thrown(() => box._push('a'));
    expect(error.code).toBe('ERR_WS_QUEUE_FULL');
    expect(error.message).toMatch(/\b0\b/);
    expect(box._size).toBe(0);
    expect(box._shift()).toBeUndefined();
  });

  it('max Infinity has no bound', () => {
    const box = new Outbox(Infinity);
    const n = DEFAULT_MAX_QUEUE * 5;
    for (let i = 0; i < n; i++) box._push(String(i));
    expect(box._size).toBe(n);
  });

  it('the default bound is 1000 messages', () => {
    expect(DEFAULT_MAX_QUEUE).toBe(1000);
  });
});

describe('Outbox: drain', () => {
  it('returns everything in order and empties the queue', () => {
    const box = new Outbox(10);
    box._push('a');
    box._push('b');
    box._push('c');
    box._shift();
    const drained = box._drain();
    expect(drained).toEqual(['b', 'c']);
    expect(box._size).toBe(0);
    expect(box._shift()).toBeUndefined();
    expect(box._drain()).toEqual([]);
  });

  it('returns a new array the queue no longer uses', () => {
    const box = new Outbox(10);
    box._push('a');
    const drained = box._drain();
    drained.push('x');
    box._push('b');
    expect(box._drain()).toEqual(['b']);
    expect(drained).toEqual(['a', 'x']);
  });

  it('frees the bound: max items can be queued again after a drain', () => {
    const box = new Outbox(2);
    box._push('a');
    box._push('b');
    box._drain();
    box._push('c');
    box._push('d');
    expect(box._drain()).toEqual(['c', 'd']);
  });
});
