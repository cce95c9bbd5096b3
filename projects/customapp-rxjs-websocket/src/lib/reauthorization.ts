import { catchError, defaultIfEmpty, map, Observable, of, switchMap, take, throwError } from 'rxjs';
import {
  ClosedBeforeResponseError,
  ErrorResponseError,
  ReauthorizeRejectedError,
  ReauthorizeRequestError,
} from './errors';

/** What `reauthorize.createRequest` is told about the connection it renews. */
export interface ReauthContext<Res = unknown> {
  /** The connection's number within the `open()`, as `AuthContext.connection` gave it. */
  readonly connection: number;
  /** The auth response of this connection (`undefined` when the server never answers the auth request). */
  readonly authResponse: Res | undefined;
}

/**
 * Renews the credentials of an open, authorized connection in place (in-band re-auth): a request
 * carrying a fresh token, sent on the connection itself, so its subscriptions and the requests in
 * flight are untouched. `WebSocketController.reauthorize()` sends it; see the README.
 *
 * @example
 * reauthorize: {
 *   createRequest: () => tokens.fresh().pipe(map((accessToken) => ({ id: 0, reauth: { accessToken } }))),
 * },
 */
export interface ReauthorizeConfig<Req, Res> {
  /**
   * Creates the re-auth request, with a token renewed for it. Emit `undefined` to skip this renewal.
   * An error here fails the `reauthorize()` call with `ReauthorizeRequestError`; the connection keeps
   * its current authorization.
   */
  createRequest(context: ReauthContext<Res>): Observable<Req | undefined>;
  /** Whether the answer means the server renewed the authorization. Default: not an error response. */
  isResponseSuccessful?(response: Res): boolean;
  /**
   * Whether a refusal says the token was expired: the reconnect that follows then asks
   * `authorize.createRequest` for a renewed token (`context.tokenExpired`). Default:
   * `authorize.isTokenExpiredResponse`.
   */
  isTokenExpiredResponse?(response: Res): boolean;
  /** How long to wait for the answer, in ms. Default: `requestTimeout`. */
  timeout?: number;
}

/** How a re-authorization reaches the socket: the controller's one path for requests. */
export interface ReauthPort<Req, Res> {
  /** Sends a request on the current, authorized connection, now, and emits its response. */
  request(request: Req, timeout: number): Observable<Res>;
  describe(response: Res): string;
  readonly requestTimeout: number;
}

/**
 * One re-authorization: creates the request, sends it and judges the answer. Emits the server's
 * answer (`undefined` when `createRequest` skipped it) and completes. Errors with
 * `ReauthorizeRequestError` when the request could not be created, `ReauthorizeRejectedError` when the
 * server refused it, did not answer in time, or it could not be sent, and `ClosedBeforeResponseError`
 * when the connection ended first. What to do then is the controller's to decide.
 */
export function reauthorization<Req, Res>(
  config: ReauthorizeConfig<Req, Res>,
  context: ReauthContext<Res>,
  port: ReauthPort<Req, Res>,
  isTokenExpiredResponse: ((response: Res) => boolean) | undefined,
): Observable<Res | undefined> {
  const timeout = config.timeout ?? port.requestTimeout;
  const expired = config.isTokenExpiredResponse ?? isTokenExpiredResponse;
  const refused = (response: Res, detail: string) =>
    new ReauthorizeRejectedError<Res>(detail, { response, tokenExpired: expired?.(response) ?? false });
  return config.createRequest(context).pipe(
    take(1),
    defaultIfEmpty(undefined),
    catchError((error: unknown) => throwError(() => new ReauthorizeRequestError(error))),
    switchMap((request) =>
      request === undefined
        ? of(undefined)
        : port.request(request, timeout).pipe(
            map((response) => {
              if (config.isResponseSuccessful && !config.isResponseSuccessful(response)) throw refused(response, port.describe(response));
              return response;
            }),
            catchError((error: unknown) => {
              if (error instanceof ReauthorizeRejectedError || error instanceof ClosedBeforeResponseError) return throwError(() => error);
              if (error instanceof ErrorResponseError) return throwError(() => refused(error.response as Res, error.message));
              const detail = error instanceof Error ? error.message : String(error);
              return throwError(() => new ReauthorizeRejectedError<Res>(detail, { cause: error }));
            }),
          ),
    ),
  );
}
