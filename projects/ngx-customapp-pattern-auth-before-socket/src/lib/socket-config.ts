import type {
  AuthContext,
  ExpectsResponse,
  OpenOptions,
  OpenResult,
  ReauthContext,
  WebSocketControllerConfig,
  WelcomeConfig,
} from 'customapp-rxjs-websocket';
import type { Observable } from 'rxjs';

/**
 * Unique name, used to reference an instance of the socket: `WebSocketsOwnerService.sockets[socketId]`.
 *
 * @example
 * const categories: SocketId = 'categories';
 */
export type SocketId = string;

/**
 * The controller options every socket of a chain shares (and each socket may override): everything a
 * `WebSocketControllerConfig` takes except `url`, `protocol`, `authorize`, `subscribe` and
 * `reauthorize`, which each socket sets for itself. `recovery` (missed-push recovery) is one of them.
 *
 * @example
 * const commonConfig: CommonSocketConfig<api.Request.$Properties, api.Response, ArrayBuffer> = {
 *   binaryType: 'arraybuffer',
 *   serializer: (request) => encodeRequest(request),
 *   deserializer: (event) => decodeResponse(new Uint8Array(event.data)),
 *   isErrorResponse: (response) => !!response.error,
 * };
 */
export type CommonSocketConfig<Req, Res, Data = unknown> = Omit<
  WebSocketControllerConfig<Req, Res, Data>,
  'url' | 'protocol' | 'authorize' | 'subscribe' | 'reauthorize'
>;

/**
 * How one socket authorizes itself after every open and every reconnect.
 *
 * @example
 * const authorize: SocketAuthorizeConfig<Req, Res, User> = {
 *   createRequest: (user, jwt) => ({ id: 0, auth: { accessToken: jwt } }),
 *   isResponseSuccessful: (response) => !response.error,
 *   isTokenExpiredResponse: (response) => response.error?.code === api.ErrorCode.TOKEN_EXPIRED,
 * };
 */
export interface SocketAuthorizeConfig<Req, Res, UserInfo = unknown> {
  /**
   * Makes the auth request from the current user and a fresh access token (`JwtService.freshJwt()`,
   * refreshed first when it is about to expire or the server refused it as expired). `context` has the
   * server's welcome and the previous connection's auth response, when there are.
   */
  createRequest(userInfo: UserInfo, jwt: string, context: AuthContext<Res>): Req | Observable<Req | undefined>;
  /** Wait for the server's welcome message first (servers that speak first); it is `context.welcome`. */
  welcome?: WelcomeConfig<Res>;
  /** `false` when the server never answers the auth request (see the controller's README). Default `true`. */
  expectsResponse?: boolean;
  /** Whether the auth response means success. Default: not an error response (`commonConfig.isErrorResponse`). */
  isResponseSuccessful?(response: Res): boolean;
  /** Whether an error response to the auth request says the token expired: the socket then refreshes and retries once. */
  isTokenExpiredResponse?(response: Res): boolean;
}

/**
 * How one socket renews its authorization on the open connection (in-band re-auth) each time
 * `JwtService.renewals$` renews the token, before the old one expires. Subscriptions and requests in
 * flight are untouched. When the server refuses it or does not answer within `timeout`, the socket
 * reconnects at once with the fresh token instead.
 *
 * @example
 * const reauthorize: SocketReauthorizeConfig<Req, Res, User> = {
 *   createRequest: (user, jwt) => ({ id: 0, reauth: { accessToken: jwt } }),
 * };
 */
export interface SocketReauthorizeConfig<Req, Res, UserInfo = unknown> {
  /** Makes the re-auth request from the current user and the renewed access token. */
  createRequest(userInfo: UserInfo, jwt: string, context: ReauthContext<Res>): Req | Observable<Req | undefined>;
  /** Whether the answer means the server renewed the authorization. Default: not an error response. */
  isResponseSuccessful?(response: Res): boolean;
  /** Whether a refusal says the token was expired. Default: `authorize.isTokenExpiredResponse`. */
  isTokenExpiredResponse?(response: Res): boolean;
  /** How long to wait for the answer, in ms. Default: the socket's `requestTimeout`. */
  timeout?: number;
}

/**
 * The subscription requests one socket sends after every successful authorization.
 *
 * @example
 * const subscribe: SocketSubscribeConfig<Req, Res, User> = {
 *   createRequests: () => [{ id: 0, sub: { kind: api.SubKind.CATEGORIES } }],
 * };
 */
export interface SocketSubscribeConfig<Req, Res, UserInfo = unknown> {
  /** Makes the subscription requests; `authResponse` is the socket's auth response (`undefined` without auth). */
  createRequests(userInfo: UserInfo, jwt: string, authResponse: Res | undefined): Req[] | Observable<Req[] | undefined>;
  /** Whether a subscription response means success. Default: not an error response. */
  isResponseSuccessful?(response: Res): boolean;
  /** Whether the server answers a subscription request. Default `true`. */
  expectsResponse?: ExpectsResponse<Req>;
}

/**
 * One socket of a chain: its id, where it connects, and how it authorizes and subscribes. Any option of
 * {@link CommonSocketConfig} set here overrides the chain's `commonConfig` for this socket.
 *
 * @example
 * const categories: SocketConfig<Req, Res, ArrayBuffer, User> = {
 *   socketId: 'main',
 *   url: 'wss://example.com/ws',
 *   protocol: 'api.v1.protobuf',
 *   authorize: { createRequest: (user, jwt) => ({ id: 0, auth: { accessToken: jwt } }) },
 *   subscribe: { createRequests: () => [{ id: 0, sub: { kind: api.SubKind.CATEGORIES } }] },
 * };
 */
export interface SocketConfig<Req, Res, Data = unknown, UserInfo = unknown>
  extends Partial<CommonSocketConfig<Req, Res, Data>> {
  /** Unique name, used to reference an instance of the socket: `WebSocketsOwnerService.sockets[socketId]`. */
  socketId: SocketId;
  /** The socket's URL, or a function called before every connection. */
  url: string | URL | (() => string);
  /** The WebSocket subprotocol(s) to ask for. */
  protocol?: string | string[];
  /** The auth request sent first on every connection. Omit for a socket without auth. */
  authorize?: SocketAuthorizeConfig<Req, Res, UserInfo>;
  /** The subscriptions sent after every authorization. */
  subscribe?: SocketSubscribeConfig<Req, Res, UserInfo>;
  /** Renew the authorization on the open connection at every token renewal, instead of reconnecting at its expiry. */
  reauthorize?: SocketReauthorizeConfig<Req, Res, UserInfo>;
  /** Overrides the chain's `commonOpenOptions` (reconnect policy) for this socket. */
  openOptions?: OpenOptions;
}

/**
 * What the sockets of a link answered when they first got subscribed, by `socketId`.
 *
 * @example
 * const next = (user: User, jwt: string, responses: SocketsOpenResults<Res>) => responses['main'].authResponse?.auth?.user;
 */
export type SocketsOpenResults<Res> = Readonly<Record<SocketId, OpenResult<Res>>>;

/**
 * One step of a chain: sockets that open concurrently, and optionally the next step, decided once all
 * of them are subscribed.
 *
 * @example
 * const link: SocketChainLink<Req, Res, ArrayBuffer, User> = {
 *   sockets: [categories, notifications],
 *   socketsReady: (user, jwt, responses) => (user.role === 'ADMIN' ? { sockets: [audit] } : undefined),
 * };
 */
export interface SocketChainLink<Req, Res, Data = unknown, UserInfo = unknown> {
  /** The sockets of this link; they open at the same time. */
  sockets: SocketConfig<Req, Res, Data, UserInfo>[];
  /**
   * Called once every socket of this link is subscribed, with the current user, a fresh token and
   * what each socket answered: returns the next link, or `undefined` when the chain ends here.
   */
  socketsReady?(
    userInfo: UserInfo,
    jwt: string,
    responses: SocketsOpenResults<Res>,
  ): SocketChainLink<Req, Res, Data, UserInfo> | undefined | Observable<SocketChainLink<Req, Res, Data, UserInfo> | undefined>;
}

/**
 * The configuration of the package: the options the sockets share, and the chain of sockets to open
 * after a login. Sockets in a link open concurrently; links open one after the other.
 *
 * @example
 * const config: AuthBeforeSocketConfig<api.Request.$Properties, api.Response, ArrayBuffer, User> = {
 *   commonConfig: { binaryType: 'arraybuffer', serializer, deserializer, isErrorResponse: (r) => !!r.error },
 *   commonOpenOptions: { autoReconnect: { interval: ({ attempt }) => Math.min(30_000, 500 * 2 ** attempt) } },
 *   chain: { sockets: [categories, notifications] },
 * };
 * provideAuthBeforeSocket(config);
 */
export interface AuthBeforeSocketConfig<Req, Res, Data = unknown, UserInfo = unknown> {
  /** The controller options every socket shares. */
  commonConfig?: CommonSocketConfig<Req, Res, Data>;
  /** The `open()` options (reconnect policy) every socket shares. */
  commonOpenOptions?: OpenOptions;
  /** The first link of the chain; its controllers exist from the start. */
  chain: SocketChainLink<Req, Res, Data, UserInfo>;
}
