import { defaultIfEmpty, map, Observable, take } from 'rxjs';
import { AuthContext, WebSocketControllerError } from 'customapp-rxjs-websocket';

/**
 * Where a preset gets the access token of each connection. Called anew for every connection, so a
 * reconnect never reuses an old token; `context.tokenExpired` says the server refused the last one as
 * expired, so it must be renewed rather than taken from a cache.
 */
export type TokenSource<Res> = (context: AuthContext<Res>) => Observable<string>;

/** The first token the source gives, as the message `toRequest` makes of it. */
export function requestWithToken<Req, Res>(
  source: TokenSource<Res>,
  context: AuthContext<Res>,
  toRequest: (token: string) => Req,
): Observable<Req> {
  return source(context).pipe(
    take(1),
    defaultIfEmpty(undefined),
    map((token) => {
      if (typeof token !== 'string' || token === '') throw new WebSocketControllerError('The token source gave no token.');
      return toRequest(token);
    }),
  );
}

/** Preset frames are JSON text; a frame that is not an object is not one of them. */
export function parseJsonObject<T>(data: string): T {
  const parsed: unknown = JSON.parse(data);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('The frame is not a JSON object.');
  return parsed as T;
}
