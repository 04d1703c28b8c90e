/**
 * Each project runs on the RxJS it says: 7 in `node`, 8 in `node-rxjs8` and `browser-rxjs8`
 * (spec/rxjs8/projects.ts provides `rxjsMajor` there). Without this, a broken alias would run the
 * RxJS 8 projects on RxJS 7 and pass.
 */
import * as rxjs from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, inject, it } from 'vitest';
import { RXJS_MAJOR, RXJS_VERSION } from '../helpers/rxjs-major.js';

declare module 'vitest' {
  export interface ProvidedContext {
    rxjsMajor?: number;
  }
}

const meant = inject('rxjsMajor') ?? 7;

describe(`the RxJS of this project (${RXJS_VERSION})`, () => {
  it('is the major the project is for', () => {
    expect(RXJS_MAJOR).toBe(meant);
  });

  it('is what `rxjs` and `rxjs/testing` load: RxJS 8 has no ObjectUnsubscribedError, and one TestScheduler goes with it', () => {
    expect('ObjectUnsubscribedError' in rxjs).toBe(RXJS_MAJOR === 7);
    let frame = -1;
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ expectObservable }) => {
      expectObservable(rxjs.timer(3)).toBe('---(a|)', { a: 0 });
      frame = 3;
    });
    expect(frame).toBe(3);
  });
});
