import {
  type AuthContext,
  type WebSocketControllerConfig,
  type WebSocketCtor,
  WebSocketController,
} from 'customapp-rxjs-websocket';
import type { JwtService } from 'ngx-customapp-jwt';
import { isObservable, type Observable, of, switchMap } from 'rxjs';
import type { SocketConfig, AuthBeforeSocketConfig } from './socket-config';
import type { SocketStatus } from './socket-status';

/** One socket id: its controller (made once, kept for the service's life) and the latest config given for it. */
export interface SocketSlot<Req, Res, Data, UserInfo> {
  readonly socketId: string;
  readonly controller: WebSocketController<Req, Res, Data>;
  /** The latest config given for this id; url, authorize, subscribe and openOptions are read from it. */
  config: SocketConfig<Req, Res, Data, UserInfo>;
  /** The token of the socket's last auth request: the one to report as rejected after a "token expired" close. */
  lastToken?: string;
  status: SocketStatus;
}

/** Either a value or an observable of it, as the user's callbacks may return. */
export function asObservable<T>(value: T | Observable<T>): Observable<T> {
  return isObservable(value) ? value : of(value);
}

/**
 * Makes the slot of a socket: a `WebSocketController` with the chain's common options, the socket's
 * own overrides, and auth and subscription requests made from `JwtService` on every connection.
 */
export function createSocketSlot<Req, Res, Data, UserInfo>(
  chain: AuthBeforeSocketConfig<Req, Res, Data, UserInfo>,
  config: SocketConfig<Req, Res, Data, UserInfo>,
  jwt: JwtService<unknown, unknown, UserInfo>,
  webSocketCtor: WebSocketCtor | undefined,
): SocketSlot<Req, Res, Data, UserInfo> {
  const { socketId, url, protocol, authorize, subscribe, reauthorize, openOptions, ...overrides } = config;
  // The callbacks below run once the controller connects, after `slot` is assigned at the end.
  const user = () => jwt.user() as UserInfo;

  const controllerConfig: WebSocketControllerConfig<Req, Res, Data> = {
    ...chain.commonConfig,
    ...overrides,
    ...(webSocketCtor ? { WebSocketCtor: webSocketCtor } : {}),
    url: () => {
      const current = slot.config.url;
      return typeof current === 'function' ? current() : String(current);
    },
    protocol,
  };
  if (authorize) {
    controllerConfig.authorize = {
      // A fresh token for every connection; after a "token expired" close, one other than the refused one.
      createRequest: (context: AuthContext<Res>) =>
        jwt.freshJwt(context.tokenExpired && slot.lastToken !== undefined ? { rejectedToken: slot.lastToken } : {}).pipe(
          switchMap((token) => {
            slot.lastToken = token;
            const current = slot.config.authorize;
            return current ? asObservable<Req | undefined>(current.createRequest(user(), token, context)) : of(undefined);
          }),
        ),
      isResponseSuccessful: (response) => slot.config.authorize?.isResponseSuccessful?.(response) ?? true,
      isTokenExpiredResponse: (response) => slot.config.authorize?.isTokenExpiredResponse?.(response) ?? false,
      ...(authorize.welcome ? { welcome: authorize.welcome } : {}),
      ...(authorize.expectsResponse === false ? { expectsResponse: false } : {}),
    };
  }
  if (subscribe) {
    controllerConfig.subscribe = {
      createRequests: (authResponse) =>
        (slot.lastToken !== undefined && slot.config.authorize ? of(slot.lastToken) : jwt.freshJwt()).pipe(
          switchMap((token) => {
            const current = slot.config.subscribe;
            return current ? asObservable<Req[] | undefined>(current.createRequests(user(), token, authResponse)) : of(undefined);
          }),
        ),
      isResponseSuccessful: (response) => slot.config.subscribe?.isResponseSuccessful?.(response) ?? true,
      ...(subscribe.expectsResponse !== undefined ? { expectsResponse: subscribe.expectsResponse } : {}),
    };
  }
  if (reauthorize) {
    controllerConfig.reauthorize = {
      // `JwtService.renewals$` has just renewed the token: this is it, without another refresh.
      createRequest: (context) =>
        jwt.freshJwt().pipe(
          switchMap((token) => {
            slot.lastToken = token;
            const current = slot.config.reauthorize;
            return current ? asObservable<Req | undefined>(current.createRequest(user(), token, context)) : of(undefined);
          }),
        ),
      isResponseSuccessful: (response) => slot.config.reauthorize?.isResponseSuccessful?.(response) ?? true,
      isTokenExpiredResponse: (response) =>
        (slot.config.reauthorize?.isTokenExpiredResponse ?? slot.config.authorize?.isTokenExpiredResponse)?.(response) ?? false,
      ...(reauthorize.timeout !== undefined ? { timeout: reauthorize.timeout } : {}),
    };
  }
  const slot: SocketSlot<Req, Res, Data, UserInfo> = {
    socketId,
    controller: new WebSocketController<Req, Res, Data>(controllerConfig),
    config,
    status: 'closed',
  };
  return slot;
}
