import { type JwtGroup, type JwtInfo, type JwtService, jwtExpiresAt } from 'ngx-customapp-jwt';
import { isObservable, map, type Observable } from 'rxjs';
import { AuthBeforeSocketConfigError, AuthBeforeSocketError } from './errors';
import type { AuthBeforeSocketConfig, SocketChainLink, SocketConfig, SocketId, SocketsOpenResults } from './socket-config';
import type { IndividualWebSocketConfig, SocketResponses, WebSocketChain, WebSocketChainLink } from './web-socket-chain';

// What 1.2.x knew, key by key: a configuration with anything else is a 1.3 one.
const CHAIN_KEYS = ['commonConfig', 'commonOpenOptions', 'chain'];
const COMMON_CONFIG_KEYS = [
  'serializer',
  'deserializer',
  'setRequestId',
  'getResponseId',
  'isErrorResponse',
  'requestTimeout',
  'WebSocketCtor',
  'binaryType',
  'buffer',
];
const LINK_KEYS = ['sockets', 'socketsReady'];
const SOCKET_KEYS = ['socketId', 'url', 'protocol', 'authorize', 'subscribe'];
const AUTHORIZE_KEYS = ['createRequest', 'isResponseSuccessful'];
const SUBSCRIBE_KEYS = ['createRequests', 'isResponseSuccessful'];

function hasOnly(value: unknown, keys: readonly string[]): boolean {
  return value === undefined || (typeof value === 'object' && value !== null && Object.keys(value).every((key) => keys.includes(key)));
}

/**
 * Whether a configuration is a 1.2.x `WebSocketChain` rather than an `AuthBeforeSocketConfig`. The two
 * differ at run time only in what the callbacks get as `jwt` (the tokens as a `JwtGroup`, or the
 * access token itself), which no value shows, so the shape decides: a 1.2.x chain has what 1.2.x
 * required (`commonConfig` with `setRequestId` and `getResponseId`, and `commonOpenOptions`) and
 * nothing 1.2.x did not have (in its options and in its first link's sockets). Any option 1.3 added
 * makes a configuration a 1.3 one.
 */
export function isWebSocketChain(config: object): config is WebSocketChain<unknown, unknown, unknown, unknown> {
  const { commonConfig, commonOpenOptions, chain } = config as Partial<WebSocketChain<unknown, unknown, unknown, unknown>>;
  if (typeof commonConfig?.setRequestId !== 'function' || typeof commonConfig.getResponseId !== 'function') return false;
  if (typeof commonOpenOptions !== 'object' || commonOpenOptions === null || commonOpenOptions.autoReconnect === false) return false;
  if (!hasOnly(config, CHAIN_KEYS) || !hasOnly(commonConfig, COMMON_CONFIG_KEYS) || !hasOnly(chain, LINK_KEYS)) return false;
  return (chain?.sockets ?? []).every(
    (socket) =>
      hasOnly(socket, SOCKET_KEYS) &&
      typeof socket.url !== 'function' &&
      hasOnly(socket.authorize, AUTHORIZE_KEYS) &&
      hasOnly(socket.subscribe, SUBSCRIBE_KEYS),
  );
}

/** The session's tokens as a 1.2.x callback gets them, with `token` as the access token. */
type TokensOf = (token: string) => JwtGroup<JwtInfo>;

/**
 * The 1.2.x chain as an `AuthBeforeSocketConfig`: the same options and sockets, each callback handed
 * the current user (`undefined` rather than `null` when there is none) and the session's tokens as a
 * `JwtGroup<JwtInfo>`, its access token the fresh one the 1.3 callback got. A request factory that
 * emits `undefined` stops its socket, as 1.2.x documented; one that returns no Observable was not
 * written for 1.2.x, and says so.
 */
export function fromWebSocketChain<Req, Res, Data, UserInfo>(
  chain: WebSocketChain<Req, Res, Data, UserInfo>,
  jwt: JwtService<unknown, unknown, UserInfo, unknown>,
): AuthBeforeSocketConfig<Req, Res, Data, UserInfo> {
  const tokensOf: TokensOf = (token) => {
    const group = jwt.jwt;
    return group?.accessToken?.token === token ? group : { ...group, accessToken: { token, expiresAt: jwtExpiresAt(token) ?? Infinity } };
  };
  return {
    commonConfig: chain.commonConfig,
    commonOpenOptions: chain.commonOpenOptions,
    chain: fromLink(chain.chain, tokensOf),
  };
}

function fromLink<Req, Res, Data, UserInfo>(link: WebSocketChainLink<Req, Res, UserInfo>, tokensOf: TokensOf): SocketChainLink<Req, Res, Data, UserInfo> {
  const { socketsReady } = link;
  return {
    sockets: link.sockets.map((socket) => fromSocket<Req, Res, Data, UserInfo>(socket, tokensOf)),
    ...(socketsReady
      ? {
          socketsReady: (user: UserInfo, token: string, results: SocketsOpenResults<Res>) =>
            observableFrom(socketsReady(user ?? undefined, tokensOf(token), responsesOf(link, results)), 'socketsReady', 'the chain').pipe(
              map((next) => fromLink<Req, Res, Data, UserInfo>(next, tokensOf)),
            ),
        }
      : {}),
  };
}

function fromSocket<Req, Res, Data, UserInfo>(
  socket: IndividualWebSocketConfig<Req, Res, UserInfo>,
  tokensOf: TokensOf,
): SocketConfig<Req, Res, Data, UserInfo> {
  const { socketId, url, protocol, authorize, subscribe } = socket;
  const where = `socket "${socketId}"`;
  return {
    socketId,
    url,
    ...(protocol !== undefined ? { protocol } : {}),
    ...(authorize
      ? {
          authorize: {
            createRequest: (user: UserInfo, token: string) =>
              observableFrom(authorize.createRequest(user ?? undefined, tokensOf(token)), 'authorize.createRequest', where).pipe(
                map((request) => given(request, 'authorize.createRequest', socketId)),
              ),
            ...(authorize.isResponseSuccessful ? { isResponseSuccessful: authorize.isResponseSuccessful } : {}),
          },
        }
      : {}),
    ...(subscribe
      ? {
          subscribe: {
            createRequests: (user: UserInfo, token: string, authResponse: Res | undefined) =>
              observableFrom(subscribe.createRequests(user ?? undefined, tokensOf(token), authResponse), 'subscribe.createRequests', where).pipe(
                map((requests) => given(requests, 'subscribe.createRequests', socketId)),
              ),
            ...(subscribe.isResponseSuccessful ? { isResponseSuccessful: subscribe.isResponseSuccessful } : {}),
          },
        }
      : {}),
  };
}

/** What each socket of the link answered, in the 1.2.x record: `{ auth, sub }` by `socketId`. */
function responsesOf<Req, Res, UserInfo>(
  link: WebSocketChainLink<Req, Res, UserInfo>,
  results: SocketsOpenResults<Res>,
): Record<SocketId, SocketResponses<Res>> {
  return Object.fromEntries(
    link.sockets.map(({ socketId, subscribe }): [SocketId, SocketResponses<Res>] => [
      socketId,
      { auth: results[socketId]?.authResponse, sub: subscribe ? [...(results[socketId]?.subscribeResponses ?? [])] : undefined },
    ]),
  );
}

function observableFrom<T>(value: Observable<T>, callback: string, where: string): Observable<T> {
  if (isObservable(value)) return value;
  throw new AuthBeforeSocketConfigError(
    `The ${callback} of ${where} returned ${value === undefined ? 'undefined' : `a plain ${typeof value}`} where a 1.2.x WebSocketChain returns an Observable. ` +
      'The configuration was read as a 1.2.x WebSocketChain because it has commonConfig.setRequestId, commonConfig.getResponseId and ' +
      'commonOpenOptions and no option 1.3 added. For a 1.3 AuthBeforeSocketConfig, whose callbacks get the access token itself, ' +
      'give it any option 1.3 added (see MIGRATION.md).',
  );
}

function given<T>(value: T | undefined, callback: string, socketId: SocketId): T {
  if (value === undefined) {
    throw new AuthBeforeSocketError(`The ${callback} of socket "${socketId}" emitted no request, which stops the socket (as in 1.2.x).`);
  }
  return value;
}
