// A scheduler that runs on asyncScheduler and counts the timers still pending: after everything is
// closed, `pending` must be 0 (no reconnect, timeout or heartbeat timer left behind).
import { asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';

export class CountingScheduler implements SchedulerLike {
  /** Timers scheduled and neither run nor cancelled. */
  pending = 0;
  /** Timers scheduled in all. */
  scheduled = 0;

  now(): number {
    return asyncScheduler.now();
  }

  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    this.pending += 1;
    this.scheduled += 1;
    let settled = false;
    const settle = () => {
      if (!settled) {
        settled = true;
        this.pending -= 1;
      }
    };
    const subscription = asyncScheduler.schedule<T>(
      function (this: SchedulerAction<T>, value?: T) {
        settle();
        work.call(this, value);
      },
      delay,
      state,
    );
    subscription.add(settle);
    return subscription;
  }
}
