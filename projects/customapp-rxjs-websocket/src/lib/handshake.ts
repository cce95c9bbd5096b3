import { defaultIfEmpty, forkJoin, Observable, Subscription, take } from 'rxjs';
import { AuthContext, AuthorizeConfig, SubscribeConfig } from './config';
import {
  AuthRejectedError,
  AuthRequestError,
  ErrorResponseError,
  RequestTimeoutError,
  SubscribeRejectedError,
  SubscribeRequestError,
  WebSocketControllerError,
} from './errors';

/** What a handshake tells its controller. */
export interface HandshakeEvents<Res> {
  /** The auth request was accepted (or none is configured). */
  authorized(authResponse: Res | undefined): void;
  /** Every subscription request was acknowledged (or none is configured). */
  subscribed(responses: readonly Res[]): void;
  /** A refusal, or requests that could not be made: stop for good. */
  refused(error: WebSocketControllerError): void;
  /** The server refused the token as expired (`authorize.isTokenExpiredResponse`). */
  tokenExpired(reason: string): void;
  /** A handshake request got no answer in time: the connection is to be replaced. */
  timedOut(error: RequestTimeoutError): void;
}

/**
 * The requests every connection starts with: the auth request, created anew for it, then the
 * subscription requests, all sent and all awaited. It decides what each answer means; the controller
 * decides what to do about it. Everything it runs lives in the connection's subscriptions.
 */
export class Handshake<Req, Res> {
  constructor(
    private readonly authorizeConfig: AuthorizeConfig<Req, Res> | undefined,
    private readonly subscribeConfig: SubscribeConfig<Req, Res> | undefined,
    /** Sends a request now and emits its response (errors with `ErrorResponseError`, `RequestTimeoutError`, ...). */
    private readonly exchange: (request: Req) => Observable<Res>,
    private readonly describe: (response: Res) => string,
    private readonly subscriptions: Subscription,
    private readonly events: HandshakeEvents<Res>,
  ) {}

  /** Creates and sends the auth request for this connection. */
  authorize(context: AuthContext): void {
    const authorize = this.authorizeConfig;
    if (!authorize) {
      this.events.authorized(undefined);
      return;
    }
    this.subscriptions.add(
      authorize
        .createRequest(context)
        .pipe(take(1), defaultIfEmpty(undefined))
        .subscribe({
          next: (request) => (request === undefined ? this.events.authorized(undefined) : this.sendAuth(request)),
          error: (error) => this.events.refused(new AuthRequestError(error)),
        }),
    );
  }

  /** Creates, sends and awaits the subscription requests (call once authorized). */
  subscribe(authResponse: Res | undefined): void {
    const subscribe = this.subscribeConfig;
    if (!subscribe) {
      this.events.subscribed([]);
      return;
    }
    this.subscriptions.add(
      subscribe
        .createRequests(authResponse)
        .pipe(take(1), defaultIfEmpty(undefined))
        .subscribe({
          next: (requests) => this.sendSubscriptions(requests ?? []),
          error: (error) => this.events.refused(new SubscribeRequestError(error)),
        }),
    );
  }

  private sendAuth(request: Req): void {
    const isSuccessful = this.authorizeConfig?.isResponseSuccessful;
    this.subscriptions.add(
      this.exchange(request).subscribe({
        next: (response) => {
          if (isSuccessful && !isSuccessful(response)) this.events.refused(new AuthRejectedError(response, this.describe(response)));
          else this.events.authorized(response);
        },
        error: (error: Error) => this.onError(error, (response, detail) => new AuthRejectedError(response, detail)),
      }),
    );
  }

  private sendSubscriptions(requests: readonly Req[]): void {
    if (requests.length === 0) {
      this.events.subscribed([]);
      return;
    }
    const isSuccessful = this.subscribeConfig?.isResponseSuccessful;
    this.subscriptions.add(
      forkJoin(requests.map((request) => this.exchange(request))).subscribe({
        next: (responses) => {
          const refused = isSuccessful ? responses.find((response) => !isSuccessful(response)) : undefined;
          if (refused !== undefined) this.events.refused(new SubscribeRejectedError(refused, this.describe(refused)));
          else this.events.subscribed(responses);
        },
        error: (error: Error) => this.onError(error, (response, detail) => new SubscribeRejectedError(response, detail)),
      }),
    );
  }

  /** An error response is a refusal (or an expired token); a timeout replaces the connection. */
  private onError(error: Error, refusal: (response: Res, detail: string) => WebSocketControllerError): void {
    if (error instanceof ErrorResponseError) {
      const response = error.response as Res;
      if (this.authorizeConfig?.isTokenExpiredResponse?.(response)) this.events.tokenExpired(error.message);
      else this.events.refused(refusal(response, error.message));
    } else if (error instanceof RequestTimeoutError) {
      this.events.timedOut(error);
    }
    // ClosedBeforeResponseError: the socket closed; the controller's close handler decides.
  }
}
