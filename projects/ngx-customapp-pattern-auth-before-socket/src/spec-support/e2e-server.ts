// Reaching the bundled e2e-server that the karma plugin (e2e-server/karma-plugin.cjs) starts, and the
// package set up against it over protobuf, the way an app would be.
import { provideHttpClient, withFetch } from '@angular/common/http';
import { type EnvironmentProviders, Injectable, type Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Actions, provideEffects } from '@ngrx/effects';
import { type Action, ScannedActionsSubject, Store, provideStore } from '@ngrx/store';
import type { SchedulerLike } from 'rxjs';
import { JWT_STORAGE, JwtService, MemoryJwtStorage, createJwtActions, provideJwt } from 'ngx-customapp-jwt';
import type { FakeJwtAuthResponse, FakeJwtCredentials, FakeJwtUser } from 'ngx-customapp-jwt/testing';
import { HttpJwtApi } from '../../../ngx-customapp-jwt/src/spec-support/http-jwt-api';
import { api, CLIENT_CLOSE_POLICY, decodeResponse, encodeRequest, Subprotocol } from '../../../../e2e-server/src/protocol';
import { e2eServer } from '../../../../e2e-server/src/karma-client';
import { type SocketConfig, type AuthBeforeSocketConfig, WebSocketsOwnerService, provideAuthBeforeSocket } from '../public-api';

export type Req = api.Request.$Properties;
export type Res = api.Response;

// The e2e-server's auth shapes, as ngx-customapp-jwt/testing describes them.
export type E2eUser = FakeJwtUser;
export type E2eCredentials = FakeJwtCredentials;
export type E2eAuthResponse = FakeJwtAuthResponse;

export const authActions = createJwtActions<E2eCredentials, E2eAuthResponse, E2eUser, string>();

export { control, e2eServer, httpLogin, stats } from '../../../../e2e-server/src/karma-client';
export type { E2eServerStats as ServerStats } from '../../../../e2e-server/src/karma-client';

/** The JwtApi of ngx-customapp-jwt's own specs, pointed at the running server, counting refreshes. */
@Injectable()
export class E2eJwtApi extends HttpJwtApi {
  protected override readonly url = e2eServer().httpUrl;
  /** How many refresh calls were made. */
  refreshes = 0;

  override refresh(refreshToken: string) {
    this.refreshes += 1;
    return super.refresh(refreshToken);
  }
}

/** Protobuf frames as `ArrayBuffer`s. */
export function encodeFrame(request: Req): ArrayBuffer {
  const bytes = encodeRequest(request);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export function decodeFrame(event: MessageEvent<ArrayBuffer>): Res {
  return decodeResponse(new Uint8Array(event.data));
}

/** A socket of the e2e-server: authorizes with the token, subscribes to `kind`; every auth token is logged. */
export function e2eSocket(
  socketId: string,
  url: string,
  kind: api.SubKind,
  authTokens: string[] = [],
): SocketConfig<Req, Res, ArrayBuffer, E2eUser> {
  return {
    socketId,
    url,
    protocol: Subprotocol.Protobuf,
    authorize: {
      createRequest: (_user, jwt) => {
        authTokens.push(jwt);
        return { id: 0, auth: { accessToken: jwt } };
      },
      isTokenExpiredResponse: (response) => response.error?.code === api.ErrorCode.TOKEN_EXPIRED,
    },
    subscribe: { createRequests: () => [{ id: 0, sub: { kind } }] },
  };
}

/** The categories socket (`/ws`) and the notifications socket (`/ws/notifications`) in one link. */
export function e2eChain(
  options: { scheduler?: SchedulerLike; authTokens?: string[]; chain?: AuthBeforeSocketConfig<Req, Res, ArrayBuffer, E2eUser>['chain'] } = {},
): AuthBeforeSocketConfig<Req, Res, ArrayBuffer, E2eUser> {
  const { wsUrl, notificationsUrl } = e2eServer();
  return {
    commonConfig: {
      binaryType: 'arraybuffer',
      serializer: encodeFrame,
      deserializer: decodeFrame,
      isErrorResponse: (response) => !!response.error,
      describeError: (response) => `${api.ErrorCode[response.error?.code ?? 0]}: ${response.error?.message ?? ''}`,
      ...CLIENT_CLOSE_POLICY,
      closeTimeout: 1000,
      ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    },
    commonOpenOptions: { autoReconnect: { interval: () => 50 } },
    chain: options.chain ?? {
      sockets: [
        e2eSocket('categories', wsUrl, api.SubKind.CATEGORIES, options.authTokens),
        e2eSocket('notifications', notificationsUrl, api.SubKind.NOTIFICATIONS, options.authTokens),
      ],
    },
  };
}

export type E2eOwner<R = Req, S = Res, D = ArrayBuffer> = WebSocketsOwnerService<R, S, D, E2eUser, E2eCredentials, E2eAuthResponse>;

export interface E2eSetUp<R = Req, S = Res, D = ArrayBuffer> {
  readonly store: Store;
  readonly actions$: Actions<Action>;
  readonly owner: E2eOwner<R, S, D>;
  readonly jwt: JwtService<E2eCredentials, E2eAuthResponse, E2eUser, string>;
  readonly api: E2eJwtApi;
  readonly dispatched: Action[];
  /** How many listeners the store's action stream has now (effects' inner listeners included). */
  actionListeners(): number;
}

/** The app: HttpClient, the store, ngx-customapp-jwt over the e2e-server, and this package (by default over protobuf). */
export function setUpE2e<R = Req, S = Res, D = ArrayBuffer>(
  chain: AuthBeforeSocketConfig<R, S, D, E2eUser> = e2eChain() as unknown as AuthBeforeSocketConfig<R, S, D, E2eUser>,
  providers: (Provider | EnvironmentProviders)[] = [],
): E2eSetUp<R, S, D> {
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(withFetch()),
      provideStore(),
      provideEffects(),
      provideJwt({ api: E2eJwtApi, actions: authActions }),
      { provide: JWT_STORAGE, useValue: new MemoryJwtStorage() },
      provideAuthBeforeSocket(chain),
      ...providers,
    ],
  });
  const scanned = TestBed.inject(ScannedActionsSubject);
  const dispatched: Action[] = [];
  scanned.subscribe((action) => dispatched.push(action));
  return {
    store: TestBed.inject(Store),
    actions$: TestBed.inject(Actions),
    owner: TestBed.inject(WebSocketsOwnerService) as E2eOwner<R, S, D>,
    jwt: TestBed.inject(JwtService) as E2eSetUp['jwt'],
    api: TestBed.inject(E2eJwtApi),
    dispatched,
    actionListeners: () => (scanned as unknown as { observers: unknown[] }).observers.length,
  };
}
