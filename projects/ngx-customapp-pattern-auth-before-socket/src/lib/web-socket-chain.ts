/*
 * The 1.2.x shapes of the chain, kept as input types: `PatternAuthBeforeSocketModule.forRoot()` and
 * `provideAuthBeforeSocket()` take a `WebSocketChain` as 1.2.x did and map it onto an
 * `AuthBeforeSocketConfig` (see web-socket-chain-adapter.ts). Their callbacks get the tokens as a
 * `JwtGroup<JwtInfo>` and return Observables, where the 1.3 callbacks get the access token itself.
 */
import type { OpenOptions, WebSocketControllerConfig } from 'customapp-rxjs-websocket';
import type { JwtGroup, JwtInfo } from 'ngx-customapp-jwt';
import type { Observable } from 'rxjs';
import type { SocketId } from './socket-config';

/**
 * The controller options every socket of a 1.2.x chain shares. `setRequestId` and `getResponseId`
 * are required, as they were in 1.2.x.
 *
 * @deprecated Use CommonSocketConfig (in an AuthBeforeSocketConfig) instead; see MIGRATION.md.
 */
export type CommonWebSocketConfig<Req, Res, Data = unknown> = Pick<
  WebSocketControllerConfig<Req, Res, Data>,
  'serializer' | 'deserializer' | 'isErrorResponse' | 'requestTimeout' | 'WebSocketCtor' | 'binaryType' | 'buffer'
> &
  Required<Pick<WebSocketControllerConfig<Req, Res, Data>, 'setRequestId' | 'getResponseId'>>;

/**
 * One socket of a 1.2.x chain. `createRequest` and `createRequests` get the current user and the
 * session's tokens, freshly refreshed when they were about to expire; `createRequests` also gets the
 * socket's auth response. A request factory that emits `undefined` stops the socket for good.
 *
 * @deprecated Use SocketConfig (its callbacks get the access token itself) instead; see MIGRATION.md.
 */
export interface IndividualWebSocketConfig<Req, Res, UserInfo> {
  /** Unique name, used to reference an instance of the socket. */
  socketId: SocketId;
  url: string | URL;
  protocol?: string | string[];
  authorize?: {
    createRequest: (userInfo: UserInfo | undefined, jwt: JwtGroup<JwtInfo> | undefined) => Observable<Req | undefined>;
    /** Whether the auth response means success. Default: any response but an error response. */
    isResponseSuccessful?: (response: Res) => boolean;
  };
  subscribe?: {
    createRequests: (
      userInfo: UserInfo | undefined,
      jwt: JwtGroup<JwtInfo> | undefined,
      socketAuthResponse?: Res,
    ) => Observable<Req[] | undefined>;
    /** Whether a subscription response means success. Default: any response but an error response. */
    isResponseSuccessful?: (response: Res) => boolean;
  };
}

/**
 * What one socket of a 1.2.x link answered when it first got subscribed: its auth response
 * (`undefined` without `authorize`) and its subscription responses (`undefined` without `subscribe`).
 *
 * @deprecated Use SocketsOpenResults (in an AuthBeforeSocketConfig's socketsReady) instead; see MIGRATION.md.
 */
export interface SocketResponses<Res> {
  auth: Res | undefined;
  sub: Res[] | undefined;
}

/**
 * One link of a 1.2.x chain. `socketsReady` gets every socket's answers by `socketId` in one record
 * and returns the next link; an Observable that completes without one ends the chain.
 *
 * @deprecated Use SocketChainLink instead; see MIGRATION.md.
 */
export interface WebSocketChainLink<Req, Res, UserInfo> {
  sockets: IndividualWebSocketConfig<Req, Res, UserInfo>[];
  socketsReady?: (
    userInfo: UserInfo | undefined,
    jwt: JwtGroup<JwtInfo> | undefined,
    responses: Record<SocketId, SocketResponses<Res>>,
  ) => Observable<WebSocketChainLink<Req, Res, UserInfo>>;
}

/**
 * The 1.2.x configuration of the package: `commonConfig` and `commonOpenOptions` are required, and
 * the callbacks get a `JwtGroup<JwtInfo>`. `PatternAuthBeforeSocketModule.forRoot()` and
 * `provideAuthBeforeSocket()` still take it.
 *
 * @deprecated Use AuthBeforeSocketConfig instead; see MIGRATION.md.
 */
export interface WebSocketChain<Req, Res, Data, UserInfo> {
  commonConfig: CommonWebSocketConfig<Req, Res, Data>;
  /** Passed to every socket's `open()`. */
  commonOpenOptions: OpenOptions;
  chain: WebSocketChainLink<Req, Res, UserInfo>;
}
