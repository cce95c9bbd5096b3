// The types of 1.2.x still compile: JwtApi and NoFreshJwtListener implemented both ways (function-typed
// properties, as 1.2.x declared them, and methods, as ours and 1.2.x's own README wrote them), with
// `extends` and `implements`; the generics 1.2.x apps spelled out. Each class is then run, to show
// which form of token it is handed.
import { HttpClient, provideHttpClient } from '@angular/common/http';
import { Inject, Injectable, type Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { EffectsModule, provideEffects } from '@ngrx/effects';
import { Store, StoreModule, provideStore } from '@ngrx/store';
import { ManualJwtClock, createFakeJwt } from 'ngx-customapp-jwt/testing';
import { type Observable, firstValueFrom, of } from 'rxjs';
import {
  JWT_ACTIONS,
  JWT_CLOCK,
  JWT_SELECTORS,
  JWT_STORAGE,
  type JwtActions,
  JwtApi,
  type JwtApiConstructor,
  type JwtConfig,
  JwtEffects,
  type JwtGroup,
  JwtGuard,
  type JwtInfo,
  JwtInterceptor,
  JwtModule,
  type JwtRootState,
  type JwtSelectors,
  JwtService,
  MemoryJwtStorage,
  NoFreshJwtListener,
  type NoFreshJwtListenerConstructor,
  jwtFeatureKey,
  jwtSelectors,
  provideJwt,
} from '../public-api';

interface Credentials {
  login: string;
  password: string;
}
interface User {
  id: number;
  name: string;
}
interface AuthResponse {
  access: string;
  refresh: string;
  user: User;
}

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

const clock = new ManualJwtClock();
const inSeconds = (seconds: number) => Math.floor(clock.now() / 1000) + seconds;
const response = (): AuthResponse => ({
  access: createFakeJwt({ sub: '1', exp: inSeconds(10) }), // expires within the skew: the first freshJwt() refreshes
  refresh: createFakeJwt({ sub: '1', exp: inSeconds(3600) }),
  user: { id: 1, name: 'Ada' },
});
const group = (answer: AuthResponse): JwtGroup<JwtInfo> => ({
  accessToken: { token: answer.access, expiresAt: clock.now() + 900_000 },
  refreshToken: { token: answer.refresh, expiresAt: clock.now() + 3_600_000 },
});

/** What each class was handed, to tell the call forms apart. */
const handed: unknown[] = [];

// Ours: methods taking strings, answering auth responses.
@Injectable()
class OursExtends extends JwtApi<Credentials, AuthResponse, number> {
  login(credentials: Credentials) {
    return of(response());
  }
  refresh(refreshToken: string) {
    handed.push(refreshToken);
    return of(response());
  }
  logout(accessToken: string, fromAllDevices: boolean) {
    return of(null);
  }
  override loginAs(masterAccessToken: string, userId: number) {
    return Promise.resolve(response());
  }
}

@Injectable()
class OursImplements implements JwtApi<Credentials, AuthResponse, number> {
  login(credentials: Credentials) {
    return of(response());
  }
  refresh(refreshToken: string) {
    handed.push(refreshToken);
    return of(response());
  }
  logout(accessToken: string, fromAllDevices: boolean) {
    return of(null);
  }
}

@Injectable()
class OursWithoutLoginAs extends JwtApi<Credentials, AuthResponse> {
  login(credentials: Credentials) {
    return of(response());
  }
  refresh(refreshToken: string) {
    handed.push(refreshToken);
    return of(response());
  }
  logout(accessToken: string, fromAllDevices: boolean) {
    return of(null);
  }
  loginAs = undefined;
}

// 1.2.x: function-typed properties taking JwtInfo, refresh answering a JwtGroup; UserId defaults to number.
@Injectable({ providedIn: 'root' })
class LegacyExtends extends JwtApi<Credentials, AuthResponse> {
  constructor(private readonly http: HttpClient) {
    super();
  }
  login = (credentials: Credentials): Observable<AuthResponse> => of(response());
  loginAs = (masterAccessToken: JwtInfo, userId: number): Observable<AuthResponse> => of(response());
  refresh = (refreshToken: JwtInfo): Observable<JwtGroup<JwtInfo>> => {
    handed.push(refreshToken);
    return of(group(response()));
  };
  logout = (accessToken: JwtInfo, fromAllDevices?: boolean): Observable<void> => of(undefined);
}

// 1.2.x's README: `implements` with methods, no loginAs, a refresh answering its own token type.
interface TokenInfo {
  token: string;
  expiresAt: number;
}
interface TokenResponse {
  accessToken?: TokenInfo;
  refreshToken?: TokenInfo;
}
@Injectable({ providedIn: 'root' })
class LegacyImplements implements JwtApi<Credentials, AuthResponse> {
  login(credentials: Credentials): Observable<AuthResponse> {
    return of(response());
  }
  logout(accessToken: TokenInfo, fromAllDevices: boolean | undefined): Observable<void> {
    return of(undefined);
  }
  refresh(refreshToken: TokenInfo): Observable<TokenResponse> {
    handed.push(refreshToken);
    return of(group(response()));
  }
}

@Injectable({ providedIn: 'root' })
class ListenerProperty extends NoFreshJwtListener {
  noFreshJwt = (message: string): void => undefined;
}

@Injectable({ providedIn: 'root' })
class ListenerMethod implements NoFreshJwtListener {
  noFreshJwt(message: string): void {}
}

function legacyConfig(jwtApi: JwtApiConstructor<Credentials, AuthResponse>, service: NoFreshJwtListenerConstructor) {
  // Typed as 1.2.x apps typed it: three type arguments.
  const config: JwtConfig<Credentials, AuthResponse, User> = {
    authResponseToJwt: (answer) => group(answer),
    authResponseToUserInfo: (answer) => answer.user,
    authHeader: { name: 'Authorization', createValue: (jwt) => `Bearer ${jwt.token}` },
    jwtApi,
    noFreshJwt: { service, callWhen: { interceptorNotFoundJwt: true, guardNotFoundJwt: true, loginAsJwtNotFound: true } },
  };
  return config;
}

/** How 1.2.x apps declared their state and injected the tokens; compiled, and run below. */
interface AppState {
  [jwtFeatureKey]: JwtRootState<User>;
}

@Injectable({ providedIn: 'root' })
class LegacyAppEffects {
  constructor(
    readonly store: Store<AppState>,
    readonly jwtService: JwtService<Credentials, AuthResponse, User>,
    @Inject(JWT_ACTIONS) readonly a: JwtActions<Credentials, AuthResponse, User>,
    @Inject(JWT_SELECTORS) readonly s: JwtSelectors<User>,
  ) {
    this.user$ = store.select(jwtSelectors<User>().selectJwtUser);
    this.fresh = jwtService.freshJwt;
  }

  readonly user$: Observable<User | undefined>;
  readonly fresh: (doNotCallNoFreshJwt: boolean) => Observable<JwtGroup<JwtInfo> | undefined>;
}

describe('the 1.2.x types', () => {
  beforeEach(() => (handed.length = 0));

  it('type the generic classes with the type arguments 1.2.x apps gave', () => {
    assertType<Equal<ReturnType<JwtService<Credentials, AuthResponse, User>['login']>, Observable<AuthResponse>>>();
    assertType<Equal<ReturnType<JwtService<Credentials, AuthResponse, User>['logout']>, Observable<void>>>();
    assertType<Equal<ReturnType<JwtService['freshJwt']>, Observable<string>>>();
    const classes: Type<unknown>[] = [
      JwtInterceptor<Credentials, AuthResponse, User>,
      JwtGuard<Credentials, AuthResponse, User>,
      JwtEffects<Credentials, AuthResponse, User>,
      JwtService<Credentials, AuthResponse, User>,
    ];
    const modules = [JwtModule.forRoot<Credentials, AuthResponse, User>(legacyConfig(LegacyExtends, ListenerProperty))];

    expect(classes.length).toBe(4);
    expect(modules[0].ngModule).toBe(JwtModule);
  });

  const ours: [string, Type<JwtApi<Credentials, AuthResponse, number>>][] = [
    ['extends with methods', OursExtends],
    ['implements with methods', OursImplements],
    ['extends without loginAs', OursWithoutLoginAs],
  ];
  for (const [style, api] of ours) {
    it(`runs our JwtApi (${style}) given to provideJwt({ api }), handing it the refresh token as a string`, async () => {
      TestBed.configureTestingModule({
        providers: [
          provideStore(),
          provideEffects(),
          provideJwt({ api, tokensFromResponse: (r: AuthResponse) => ({ accessToken: r.access, refreshToken: r.refresh }) }),
          { provide: JWT_CLOCK, useValue: clock },
          { provide: JWT_STORAGE, useValue: new MemoryJwtStorage() },
        ],
      });
      const jwt = TestBed.inject(JwtService) as JwtService<Credentials, AuthResponse, User, number>;
      const login = await firstValueFrom(jwt.login({ login: 'ada', password: 'pass' }));

      await firstValueFrom(jwt.freshJwt());

      expect(handed).toEqual([login.refresh]);
    });
  }

  const legacy: [string, JwtApiConstructor<Credentials, AuthResponse>, NoFreshJwtListenerConstructor][] = [
    ['extends with function-typed properties', LegacyExtends, ListenerProperty],
    ['implements with methods, as its README showed', LegacyImplements, ListenerMethod],
  ];
  for (const [style, api, listener] of legacy) {
    it(`runs a 1.2.x JwtApi (${style}) given to JwtModule.forRoot({ jwtApi }), handing it the refresh token as a JwtInfo`, async () => {
      TestBed.configureTestingModule({
        imports: [StoreModule.forRoot({}), EffectsModule.forRoot([]), JwtModule.forRoot(legacyConfig(api, listener))],
        providers: [
          provideHttpClient(),
          { provide: JWT_CLOCK, useValue: clock },
          { provide: JWT_STORAGE, useValue: new MemoryJwtStorage() },
        ],
      });
      const effects = TestBed.inject(LegacyAppEffects);
      const login = await firstValueFrom(effects.jwtService.login({ login: 'ada', password: 'pass' }));

      const fresh = await firstValueFrom(effects.fresh(false));

      expect(handed).toEqual([{ token: login.refresh, expiresAt: jasmine.any(Number) }]);
      expect(fresh?.accessToken?.token).toBe(login.access);
      expect(effects.a.login.type).toBe('[ngx-customapp-jwt] login');
      expect(effects.s.selectJwtUser).toBe(jwtSelectors<User>().selectJwtUser);
    });
  }
});
