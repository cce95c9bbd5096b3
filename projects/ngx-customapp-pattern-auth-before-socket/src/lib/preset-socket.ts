import type { OpenOptions, WebSocketControllerConfig } from 'customapp-rxjs-websocket';
import type { TokenSource } from 'customapp-rxjs-websocket/presets';
import { of, throwError } from 'rxjs';
import type { SocketConfig } from './socket-config';

/**
 * One socket of a chain configured by a preset of `customapp-rxjs-websocket/presets` (or any function
 * of the same shape): the chain hands the preset a fresh access token for every connection (and for
 * every in-band re-auth, when the preset configures `reauthorize`), from the signed-in session, and the
 * preset configures the rest — URL, frames, keys, auth, subscriptions.
 *
 * The preset's own token source is not used outside a connection: options that need a token before
 * the socket exists (`channelsPreset`'s `authHeader`, for Node) do not apply in a chain.
 *
 * @example
 * const rooms = presetSocket('rooms', (token) =>
 *   roomsPreset({ url: `${wsBase}/dialects/rooms`, token, rooms: [{ name: '/menu', token: () => roomToken$('/menu') }] }));
 * provideAuthBeforeSocket({ chain: { sockets: [rooms] } });
 */
export function presetSocket<Req, Res, Data = unknown, UserInfo = unknown>(
  socketId: string,
  preset: (token: TokenSource<Res>) => WebSocketControllerConfig<Req, Res, Data>,
  openOptions?: OpenOptions,
): SocketConfig<Req, Res, Data, UserInfo> {
  const withToken = (jwt: string) => preset(() => of(jwt));
  const outsideConnection: TokenSource<Res> = () =>
    throwError(() => new Error(`The preset of socket "${socketId}" asked for a token outside a connection; its tokens come from the chain.`));
  const { url, protocol, authorize, subscribe, reauthorize, ...common } = preset(outsideConnection);
  return {
    ...common,
    socketId,
    url,
    ...(protocol !== undefined ? { protocol } : {}),
    ...(openOptions ? { openOptions } : {}),
    ...(authorize
      ? {
          authorize: {
            createRequest: (_user: UserInfo, jwt: string, context) => {
              const fresh = withToken(jwt).authorize;
              return fresh ? fresh.createRequest(context) : throwError(() => new Error(`The preset of socket "${socketId}" has no auth.`));
            },
            welcome: authorize.welcome,
            expectsResponse: authorize.expectsResponse,
            isResponseSuccessful: authorize.isResponseSuccessful,
            isTokenExpiredResponse: authorize.isTokenExpiredResponse,
          },
        }
      : {}),
    ...(reauthorize
      ? {
          reauthorize: {
            createRequest: (_user: UserInfo, jwt: string, context) => withToken(jwt).reauthorize?.createRequest(context) ?? of(undefined),
            isResponseSuccessful: reauthorize.isResponseSuccessful,
            isTokenExpiredResponse: reauthorize.isTokenExpiredResponse,
            timeout: reauthorize.timeout,
          },
        }
      : {}),
    ...(subscribe
      ? {
          subscribe: {
            createRequests: (_user: UserInfo, jwt: string, authResponse: Res | undefined) =>
              withToken(jwt).subscribe?.createRequests(authResponse) ?? of([]),
            isResponseSuccessful: subscribe.isResponseSuccessful,
            expectsResponse: subscribe.expectsResponse,
          },
        }
      : {}),
  };
}
