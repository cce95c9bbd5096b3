// Bounded waits for the specs: for an event, or for a condition to hold. Never a fixed sleep.
import { filter, firstValueFrom, type Observable, take, timeout } from 'rxjs';

/** The next value of `source` that passes `predicate`, or an error after `ms`. */
export function next<T>(source: Observable<T>, predicate: (value: T) => boolean = () => true, ms = 5000): Promise<T> {
  return firstValueFrom(source.pipe(filter(predicate), take(1), timeout(ms)));
}

/** Resolves once `condition()` holds (checked every few ms), or rejects after `ms` with `what`. */
export function until(condition: () => boolean, what = 'the condition', ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise<void>((resolve, reject) => {
    const check = () => {
      if (condition()) resolve();
      else if (Date.now() > deadline) reject(new Error(`Timed out after ${ms} ms waiting for ${what}.`));
      else setTimeout(check, 5);
    };
    check();
  });
}

/** Lets pending promise callbacks and zero-delay timers run. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
