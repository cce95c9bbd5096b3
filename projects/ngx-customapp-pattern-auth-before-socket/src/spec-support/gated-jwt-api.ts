// FakeJwtApi whose next login or logout waits until the spec releases it: the window in which
// races (a second login, a logout during init, the server closing sockets mid-logout) happen.
import { type EnvironmentProviders, Injectable, makeEnvironmentProviders } from '@angular/core';
import { JWT_CLOCK, JWT_STORAGE, MemoryJwtStorage, provideJwt } from 'ngx-customapp-jwt';
import { FakeJwtApi, type FakeJwtAuthResponse, type FakeJwtCredentials, ManualJwtClock } from 'ngx-customapp-jwt/testing';
import { type Observable, Subject, switchMap, take } from 'rxjs';

type Gated = 'login' | 'logout';

@Injectable()
export class GatedJwtApi extends FakeJwtApi {
  private readonly gates = new Map<Gated, Subject<void>>();

  /** Holds the next call of `method` until the returned function is called. */
  hold(method: Gated): () => void {
    const gate = new Subject<void>();
    this.gates.set(method, gate);
    return () => {
      gate.next();
      gate.complete();
    };
  }

  override login(credentials: FakeJwtCredentials): Observable<FakeJwtAuthResponse> {
    const answer = () => super.login(credentials);
    return this.after('login', answer);
  }

  override logout(accessToken: string, fromAllDevices: boolean): Observable<null> {
    const answer = () => super.logout(accessToken, fromAllDevices);
    return this.after('logout', answer);
  }

  private after<T>(method: Gated, answer: () => Observable<T>): Observable<T> {
    const gate = this.gates.get(method);
    if (!gate) return answer();
    this.gates.delete(method);
    return gate.pipe(take(1), switchMap(answer));
  }
}

/** provideFakeJwt() with the gated API. */
export function provideGatedJwt(): EnvironmentProviders {
  return makeEnvironmentProviders([
    provideJwt({ api: GatedJwtApi }),
    { provide: FakeJwtApi, useExisting: GatedJwtApi },
    { provide: ManualJwtClock, useValue: new ManualJwtClock() },
    { provide: JWT_CLOCK, useExisting: ManualJwtClock },
    { provide: JWT_STORAGE, useValue: new MemoryJwtStorage() },
  ]);
}
