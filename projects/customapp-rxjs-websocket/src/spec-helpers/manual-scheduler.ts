import { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';

interface Task {
  at: number;
  seq: number;
  run: () => void;
  subscription: Subscription;
}

/**
 * Virtual time for the controller's timers: nothing runs until the test advances the clock, and the
 * test can count the timers still scheduled (a closed controller must leave none).
 */
export class ManualScheduler implements SchedulerLike {
  private time = 0;
  private seq = 0;
  private tasks: Task[] = [];

  now(): number {
    return this.time;
  }

  /** Timers scheduled and neither run nor cancelled. */
  get pending(): number {
    return this.tasks.length;
  }

  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    const subscription = new Subscription(() => {
      this.tasks = this.tasks.filter((task) => task.subscription !== subscription);
    });
    const action = Object.assign(subscription, {
      schedule: (nextState?: T, nextDelay = 0) => this.schedule(work, nextDelay, nextState),
    }) as unknown as SchedulerAction<T>;
    const task: Task = {
      at: this.time + Math.max(0, delay),
      seq: this.seq++,
      subscription,
      run: () => {
        subscription.unsubscribe();
        work.call(action, state);
      },
    };
    this.tasks.push(task);
    return subscription;
  }

  /** Moves the clock forward, running every timer that falls due, in order. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const next = [...this.tasks].sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next || next.at > until) break;
      this.time = next.at;
      next.run();
    }
    this.time = until;
  }
}
