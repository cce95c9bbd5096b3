// The TestBed set-up of the unit specs: the whole package over provideFakeJwt() and scripted sockets,
// with a log of every action the store reduced.
import { type EnvironmentProviders, type Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideEffects } from '@ngrx/effects';
import { type Action, ScannedActionsSubject, Store, provideStore } from '@ngrx/store';
import {
  FakeJwtApi,
  type FakeJwtAuthResponse,
  type FakeJwtCredentials,
  type FakeJwtUser,
  ManualJwtClock,
  provideFakeJwt,
} from 'ngx-customapp-jwt/testing';
import { JwtService, createJwtActions } from 'ngx-customapp-jwt';
import { SocketsTestingController, provideAuthBeforeSocketTesting } from 'ngx-customapp-pattern-auth-before-socket/testing';
import { WebSocketsOwnerService, provideAuthBeforeSocket } from '../public-api';
import { type FakeChain, type JsonRequest, type JsonResponse, fakeChain } from './fake-chain';

export const jwtActions = createJwtActions<FakeJwtCredentials, FakeJwtAuthResponse, FakeJwtUser, string>();

export type FakeOwner = WebSocketsOwnerService<JsonRequest, JsonResponse, string, FakeJwtUser, FakeJwtCredentials, FakeJwtAuthResponse>;

export interface FakeSetUp {
  readonly store: Store;
  readonly server: SocketsTestingController;
  readonly owner: FakeOwner;
  readonly jwt: JwtService<FakeJwtCredentials, FakeJwtAuthResponse, FakeJwtUser, string>;
  readonly api: FakeJwtApi;
  readonly clock: ManualJwtClock;
  /** Every action the store reduced since the set-up. */
  readonly dispatched: Action[];
  /** The types of `dispatched`, without the package's per-socket chatter. */
  types(): string[];
  /** How many listeners the store's action stream has now (effects' inner listeners included). */
  actionListeners(): number;
}

/**
 * `sockets` replaces `provideAuthBeforeSocket(chain)` (for a chain of another type, such as a 1.2.x
 * WebSocketChain).
 */
export function setUpFake(
  options: { chain?: FakeChain; sockets?: EnvironmentProviders; jwt?: EnvironmentProviders; providers?: (Provider | EnvironmentProviders)[] } = {},
): FakeSetUp {
  TestBed.configureTestingModule({
    providers: [
      provideStore(),
      provideEffects(),
      options.jwt ?? provideFakeJwt(),
      options.sockets ?? provideAuthBeforeSocket(options.chain ?? fakeChain()),
      provideAuthBeforeSocketTesting(),
      ...(options.providers ?? []),
    ],
  });
  const scanned = TestBed.inject(ScannedActionsSubject);
  const dispatched: Action[] = [];
  scanned.subscribe((action) => dispatched.push(action));
  const store = TestBed.inject(Store);
  const chatter = /socket state changed|socket errored|set user|stash user|unstash user/i;
  return {
    store,
    server: TestBed.inject(SocketsTestingController),
    owner: TestBed.inject(WebSocketsOwnerService) as FakeOwner,
    jwt: TestBed.inject(JwtService) as FakeSetUp['jwt'],
    api: TestBed.inject(FakeJwtApi),
    clock: TestBed.inject(ManualJwtClock),
    dispatched,
    types: () => dispatched.map(({ type }) => type).filter((type) => !chatter.test(type) && type !== '@ngrx/effects/init'),
    actionListeners: () => (scanned as unknown as { observers: unknown[] }).observers.length,
  };
}

export const MANAGER = { login: 'manager', password: 'manager-pass' };
export const ADMIN = { login: 'admin', password: 'admin-pass' };
