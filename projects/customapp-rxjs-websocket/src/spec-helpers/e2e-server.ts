import { filter, firstValueFrom, Observable, take, timeout } from 'rxjs';

export { control, dialectUrl, e2eServer, httpLogin as login, stats } from '../../../../e2e-server/src/karma-client';

/** The next value of `source` that passes `predicate`, or an error after `ms`. */
export function next<T>(source: Observable<T>, predicate: (value: T) => boolean = () => true, ms = 5000): Promise<T> {
  return firstValueFrom(source.pipe(filter(predicate), take(1), timeout(ms)));
}
