import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { invalid } from './support.js';

/**
 * The longest delay a timer can wait, 2^31 − 1 ms (about 24.8 days). Node and browsers fire a
 * longer one after about 1 ms, and `asyncScheduler` hands the delay on to them.
 */
export const MAX_DELAY = 2_147_483_647;

/**
 * Refuses a finite duration above `MAX_DELAY` with `ERR_WS_INVALID_ARGUMENT` (the timer would
 * fire at once instead). `hint` says what to use instead, e.g. "or Infinity to never time out".
 */
export function assertDelay(ms: number, what: string, hint = ''): void {
  if (Number.isFinite(ms) && ms > MAX_DELAY) {
    throw invalid(
      `${what} is ${ms} ms, above the longest timer delay of ${MAX_DELAY} ms (about 24.8 days), ` +
        `which timers would fire after about 1 ms instead: use at most ${MAX_DELAY}${hint}`,
    );
  }
}

/**
 * One feature timer on `options.scheduler` (else `asyncScheduler`, so the main entry never
 * ships one): `start` runs `work` after a delay, replacing the pending run; `stop` cancels.
 * `work` is given once, so starting allocates nothing but the scheduler's action.
 */
export class Timer {
  readonly scheduler: SchedulerLike;
  private pending: Subscription | undefined;

  constructor(
    scheduler: SchedulerLike | undefined,
    private readonly work: () => void,
  ) {
    this.scheduler = scheduler ?? asyncScheduler;
  }

  start(delay: number): void {
    this.pending?.unsubscribe();
    this.pending = this.scheduler.schedule(fire, delay, this);
  }

  stop(): void {
    this.pending?.unsubscribe();
    this.pending = undefined;
  }

  /** @internal */
  fire(): void {
    this.pending = undefined;
    this.work();
  }
}

/** What the scheduler runs: the timer comes as the action's state (one function for all). */
function fire(timer?: Timer): void {
  // Always scheduled with a timer as its state.
  timer?.fire();
}
