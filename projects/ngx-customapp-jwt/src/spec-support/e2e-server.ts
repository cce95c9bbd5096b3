// Reaching the bundled e2e-server that the karma plugin (e2e-server/karma-plugin.cjs) starts.
import { type Observable, filter, firstValueFrom, take, timeout } from 'rxjs';

export { control, e2eServer } from '../../../../e2e-server/src/karma-client';

/** The next value of `source` that passes `predicate`, or an error after `ms` (a bound, not a sleep). */
export function next<T>(source: Observable<T>, predicate: (value: T) => boolean = () => true, ms = 5000): Promise<T> {
  return firstValueFrom(source.pipe(filter(predicate), take(1), timeout(ms)));
}
