import { TestBed } from '@angular/core/testing';
import { EffectsModule, provideEffects } from '@ngrx/effects';
import { Store, StoreModule, provideStore } from '@ngrx/store';
import { JWT_STORAGE, JwtModule, MemoryJwtStorage } from 'ngx-customapp-jwt';
import { FakeJwtApi, provideFakeJwt } from 'ngx-customapp-jwt/testing';
import { provideAuthBeforeSocketTesting, SocketsTestingController } from 'ngx-customapp-pattern-auth-before-socket/testing';
import {
  AuthBeforeSocketConfigError,
  injectSocketStatus,
  loginAndInitSocketsSucceed,
  PatternAuthBeforeSocketModule,
  provideAuthBeforeSocket,
  selectSocketStatus,
  SocketsStateService,
  WebSocketsOwnerService,
} from '../public-api';
import { fakeChain, serve } from '../spec-support/fake-chain';
import { MANAGER, jwtActions } from '../spec-support/set-up-fake';

describe('setting the package up', () => {
  it('works as an NgModule: PatternAuthBeforeSocketModule.forRoot(config)', () => {
    TestBed.configureTestingModule({
      imports: [
        StoreModule.forRoot({}),
        EffectsModule.forRoot([]),
        JwtModule.forRoot({ api: FakeJwtApi }),
        PatternAuthBeforeSocketModule.forRoot(fakeChain()),
      ],
      providers: [{ provide: JWT_STORAGE, useValue: new MemoryJwtStorage() }, provideAuthBeforeSocketTesting()],
    });
    const store = TestBed.inject(Store);
    const server = TestBed.inject(SocketsTestingController);
    store.dispatch(jwtActions.login({ credentials: MANAGER }));
    for (const socket of server.all()) serve(socket);

    expect(store.selectSignal(selectSocketStatus('main'))()).toBe('live');
    expect(server.open().length).toBe(2);
    expect(Object.keys(TestBed.inject(WebSocketsOwnerService).sockets)).toEqual(['main', 'notifications']);
  });

  it('gives the state as signals', () => {
    TestBed.configureTestingModule({
      providers: [provideStore(), provideEffects(), provideFakeJwt(), provideAuthBeforeSocket(fakeChain()), provideAuthBeforeSocketTesting()],
    });
    const signals = TestBed.inject(SocketsStateService);
    const status = TestBed.runInInjectionContext(() => injectSocketStatus('main'));
    TestBed.inject(Store).dispatch(jwtActions.login({ credentials: MANAGER }));
    expect(status()).toBe('connecting');
    expect(signals.initInProgress()).toBeTrue();
    for (const socket of TestBed.inject(SocketsTestingController).all()) serve(socket);

    expect(status()).toBe('live');
    expect(signals.status('main')).toBe(signals.status('main'));
    expect(signals.socket('notifications')().status).toBe('live');
    expect(signals.allLive()).toBeTrue();
    expect(signals.initInProgress()).toBeFalse();
    expect(signals.lastError()).toBeNull();
  });

  it('reports a module imported without forRoot', () => {
    TestBed.configureTestingModule({
      imports: [StoreModule.forRoot({}), EffectsModule.forRoot([]), PatternAuthBeforeSocketModule],
      providers: [provideFakeJwt()],
    });
    expect(() => TestBed.inject(Store)).toThrowError(AuthBeforeSocketConfigError, /without configuration/);
  });

  it('refuses to be set up twice in one injector', () => {
    TestBed.configureTestingModule({
      imports: [StoreModule.forRoot({}), EffectsModule.forRoot([]), PatternAuthBeforeSocketModule.forRoot(fakeChain())],
      providers: [provideFakeJwt(), provideAuthBeforeSocket(fakeChain())],
    });
    expect(() => TestBed.inject(Store)).toThrowError(AuthBeforeSocketConfigError, /set up 2 times/);
  });

  it('refuses provideAuthBeforeSocket() twice', () => {
    TestBed.configureTestingModule({
      providers: [provideStore(), provideEffects(), provideFakeJwt(), provideAuthBeforeSocket(fakeChain()), provideAuthBeforeSocket(fakeChain())],
    });
    expect(() => TestBed.inject(Store)).toThrowError(AuthBeforeSocketConfigError, /provideAuthBeforeSocket\(\), provideAuthBeforeSocket\(\)/);
  });

  it('keeps loginAndInitSocketsSucceed typed exactly as documented', () => {
    expect(loginAndInitSocketsSucceed.type).toBe('[ngx-customapp-pattern-auth-before-socket] login and init sockets succeed');
  });
});
