import { TestBed } from '@angular/core/testing';
import { provideEffects } from '@ngrx/effects';
import { Store, provideStore } from '@ngrx/store';
import { provideFakeJwt } from 'ngx-customapp-jwt/testing';
import { createJwtActions } from 'ngx-customapp-jwt';
import { SOCKETS_WEBSOCKET_CTOR, provideAuthBeforeSocket } from 'ngx-customapp-pattern-auth-before-socket';
import { SocketsTestingController, provideAuthBeforeSocketTesting } from 'ngx-customapp-pattern-auth-before-socket/testing';
import { fakeChain, MAIN_URL, NOTIFICATIONS_URL } from '../spec-support/fake-chain';

describe('provideAuthBeforeSocketTesting', () => {
  let server: SocketsTestingController;
  let store: Store;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideStore(), provideEffects(), provideFakeJwt(), provideAuthBeforeSocket(fakeChain()), provideAuthBeforeSocketTesting()],
    });
    server = TestBed.inject(SocketsTestingController);
    store = TestBed.inject(Store);
  });

  it('makes every socket of the package a scripted one', () => {
    expect(TestBed.inject(SOCKETS_WEBSOCKET_CTOR)).toBe(server.Ctor);
    store.dispatch(createJwtActions().login({ credentials: { login: 'admin', password: 'admin-pass' } }));

    expect(server.all().map(({ url }) => url)).toEqual([MAIN_URL, NOTIFICATIONS_URL]);
    expect(server.last(NOTIFICATIONS_URL).url).toBe(NOTIFICATIONS_URL);
    expect(server.open().length).toBe(2);
  });

  it('names the sockets it has when the one asked for is missing', () => {
    store.dispatch(createJwtActions().login({ credentials: { login: 'admin', password: 'admin-pass' } }));
    expect(() => server.last('/nope')).toThrowError(`No socket was made for a URL containing "/nope" (made: ${MAIN_URL}, ${NOTIFICATIONS_URL}).`);
  });

  it('verify() throws while a socket is still open, and passes once every socket is closed', () => {
    store.dispatch(createJwtActions().login({ credentials: { login: 'admin', password: 'admin-pass' } }));
    server.last(MAIN_URL).accept();
    expect(() => server.verify()).toThrowError(/2 socket\(s\) still open/);

    store.dispatch(createJwtActions().logout());
    server.last(MAIN_URL).acknowledgeClose();
    server.last(NOTIFICATIONS_URL).accept();
    expect(() => server.verify()).not.toThrow();
  });
});
