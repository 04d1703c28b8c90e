import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';

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
  timer!.fire();
}
