import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { EnvironmentInjector, Injector, createEnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { EffectsModule, provideEffects } from '@ngrx/effects';
import { Store, StoreModule, provideStore } from '@ngrx/store';
import { ManualJwtClock, createFakeJwt } from 'ngx-customapp-jwt/testing';
import {
  JWT_ACTIONS,
  JWT_CLOCK,
  JWT_SELECTORS,
  JWT_STORAGE,
  JwtApi,
  JwtConfigError,
  JwtModule,
  JwtService,
  MemoryJwtStorage,
  createJwtActions,
  provideJwt,
} from '../public-api';
import { HttpJwtApi } from '../spec-support/http-jwt-api';

describe('provideJwt()', () => {
  it('provides the api once, under its own class and under JwtApi', () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideStore(), provideEffects(), provideJwt({ api: HttpJwtApi })],
    });

    expect(TestBed.inject(JwtApi)).toBe(TestBed.inject(HttpJwtApi));
  });

  it('refuses to be set up twice in one injector', () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideStore(), provideEffects(), provideJwt({ api: HttpJwtApi }), provideJwt({ api: HttpJwtApi })],
    });

    expect(() => TestBed.inject(JwtService)).toThrowError(JwtConfigError, /set up 2 times in one injector/);
  });

  it('refuses a second setup in a child injector, which would hold tokens of its own', () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideStore(), provideEffects(), provideJwt({ api: HttpJwtApi })],
    });
    const parent = TestBed.inject(EnvironmentInjector);

    expect(() => createEnvironmentInjector([provideJwt({ api: HttpJwtApi })], parent)).toThrowError(
      JwtConfigError,
      /already set up by provideJwt\(\) in a parent injector/,
    );
  });
});

describe('JwtModule', () => {
  it('sets the package up in an NgModule app: a login reaches the store', () => {
    const clock = new ManualJwtClock();
    TestBed.configureTestingModule({
      imports: [StoreModule.forRoot({}), EffectsModule.forRoot([]), JwtModule.forRoot({ api: HttpJwtApi })],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: JWT_CLOCK, useValue: clock },
        { provide: JWT_STORAGE, useValue: new MemoryJwtStorage() },
      ],
    });
    const store = TestBed.inject(Store);
    const selectors = TestBed.inject(JWT_SELECTORS);
    const user = { id: 'u-admin', login: 'admin', name: 'Ada Admin', role: 'ADMIN' };

    store.dispatch(createJwtActions().login({ credentials: { login: 'admin', password: 'admin-pass' } }));
    const exp = Math.floor(clock.now() / 1000) + 900;
    TestBed.inject(HttpTestingController)
      .expectOne('/api/auth/login')
      .flush({ accessToken: createFakeJwt({ exp }), refreshToken: createFakeJwt({ exp: exp * 2 }), expiresAt: exp, user });

    expect(store.selectSignal(selectors.selectUser)()).toEqual(user);
    TestBed.inject(HttpTestingController).verify();
  });

  it('refuses forRoot twice', () => {
    TestBed.configureTestingModule({
      imports: [
        StoreModule.forRoot({}),
        EffectsModule.forRoot([]),
        JwtModule.forRoot({ api: HttpJwtApi }),
        JwtModule.forRoot({ api: HttpJwtApi }),
      ],
      providers: [provideHttpClient()],
    });

    expect(() => TestBed.inject(Injector).get(JwtService)).toThrowError(JwtConfigError, /JwtModule\.forRoot\(\), JwtModule\.forRoot\(\)/);
  });

  it('refuses an import without forRoot', () => {
    TestBed.configureTestingModule({
      imports: [StoreModule.forRoot({}), EffectsModule.forRoot([]), JwtModule],
      providers: [provideHttpClient()],
    });

    expect(() => TestBed.inject(Store)).toThrowError(JwtConfigError, /JwtModule\.forRoot/);
  });
});

describe('JWT_ACTIONS and JWT_SELECTORS', () => {
  it('give other packages the same action creators the app dispatches, without provideJwt', () => {
    expect(TestBed.inject(JWT_ACTIONS)).toBe(createJwtActions());
    expect(TestBed.inject(JWT_SELECTORS).selectLoginAsDepth).toBeDefined();
  });
});
