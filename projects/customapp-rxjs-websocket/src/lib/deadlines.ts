import { SchedulerLike, Subscription } from 'rxjs';

/** Something that may expire: the queue writes `queue` on it (no extra object per deadline). */
export interface Expiring {
  /** Its timeout in ms, when `Deadlines.add` is not given one. */
  readonly timeout?: number;
  /** The FIFO it waits in while its deadline runs; `undefined` once cancelled or expired. */
  queue?: DeadlineQueue<Expiring>;
}

/** One FIFO of deadlines of the same length. */
export interface DeadlineQueue<T> {
  readonly timeout: number;
  items: T[];
  /**
   * When each of `items` expires, on the scheduler's clock. Kept here as plain numbers: in a field of
   * each item, a clock reading (some 1.7e12 in `Date.now()`) would be a heap number of its own.
   */
  times: number[];
  head: number;
  cancelled: number;
  /** False once the queue was emptied and forgotten. */
  live: boolean;
}

/**
 * Request timeouts with one timer for all of them, however many are in flight: a timer per request
 * would cost a setInterval/clearInterval pair and its closures each. Deadlines are kept in one FIFO
 * per timeout length, so each FIFO is already in deadline order; cancelled ones are dropped lazily
 * and a FIFO is compacted in place when it is mostly cancelled.
 */
export class Deadlines<T extends Expiring> {
  private readonly queues = new Map<number, DeadlineQueue<T>>();
  private timer?: Subscription;
  private timerAt = Infinity;

  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly onExpire: (target: T, timeout: number) => void,
  ) {}

  /**
   * Calls `onExpire(deadline, timeout)` in `timeout` ms (by default the deadline's own) unless
   * cancelled first. Each timeout length has its own FIFO.
   */
  add(deadline: T, timeout = deadline.timeout as number): void {
    const at = this.scheduler.now() + timeout;
    let queue = this.queues.get(timeout);
    if (!queue) {
      queue = { timeout, items: [], times: [], head: 0, cancelled: 0, live: true };
      this.queues.set(timeout, queue);
    }
    queue.items.push(deadline);
    queue.times.push(at);
    deadline.queue = queue as DeadlineQueue<Expiring>;
    if (at < this.timerAt) this.arm(at);
  }

  cancel(deadline: T): void {
    const queue = deadline.queue as DeadlineQueue<T> | undefined;
    if (!queue) return;
    deadline.queue = undefined;
    if (!queue.live) return;
    queue.cancelled += 1;
    const waiting = queue.items.length - queue.head;
    if (queue.cancelled === waiting) {
      // Nothing left to expire in this queue; stop the timer when it was the last.
      this.forget(queue);
      if (this.queues.size === 0) this.clear();
    } else if (queue.cancelled > 32 && queue.cancelled * 2 > waiting) {
      compact(queue);
    }
  }

  /** Forgets every deadline and stops the timer. */
  clear(): void {
    for (const queue of this.queues.values()) queue.live = false;
    this.queues.clear();
    this.timer?.unsubscribe();
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private forget(queue: DeadlineQueue<T>): void {
    queue.live = false;
    this.queues.delete(queue.timeout);
  }

  private arm(at: number): void {
    this.timer?.unsubscribe();
    this.timerAt = at;
    this.timer = this.scheduler.schedule(() => this.fire(), Math.max(0, at - this.scheduler.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.scheduler.now();
    const due: [T, number][] = [];
    let next = Infinity;
    for (const queue of [...this.queues.values()]) {
      while (queue.head < queue.items.length) {
        const deadline = queue.items[queue.head];
        const at = queue.times[queue.head];
        if (deadline.queue !== queue) {
          queue.cancelled -= 1;
        } else if (at <= now) {
          deadline.queue = undefined;
          due.push([deadline, queue.timeout]);
        } else {
          next = Math.min(next, at);
          break;
        }
        queue.head += 1;
      }
      if (queue.head === queue.items.length) this.forget(queue);
    }
    if (next !== Infinity) this.arm(next);
    for (const [target, timeout] of due) this.onExpire(target, timeout);
  }
}

/** Drops the cancelled deadlines and those already past the head, keeping the order. */
function compact<T extends Expiring>(queue: DeadlineQueue<T>): void {
  const { items, times } = queue;
  let kept = 0;
  for (let index = queue.head; index < items.length; index++) {
    if (items[index].queue !== queue) continue;
    items[kept] = items[index];
    times[kept] = times[index];
    kept += 1;
  }
  items.length = kept;
  times.length = kept;
  queue.head = 0;
  queue.cancelled = 0;
}
