import { Observable, SchedulerLike, Subscription } from 'rxjs';
import { HeartbeatConfig } from './config';
import { ClosedBeforeResponseError, HeartbeatTimeoutError, RequestTimeoutError, WebSocketControllerError } from './errors';

/** What a heartbeat needs of its connection. */
export interface HeartbeatPort<Req> {
  /** Whether the connection still carries heartbeats (it is current and authorized). */
  alive(): boolean;
  /** Sends a heartbeat request through the controller's one request path. */
  request(request: Req, timeout: number): Observable<unknown>;
  /** No answer in time: the connection is dead. */
  dead(error: HeartbeatTimeoutError): void;
  /** A heartbeat could not be sent (its key was taken, say); the next one tries again. */
  skipped(error: WebSocketControllerError): void;
}

/**
 * An application-level heartbeat on one connection: a request every `interval` after the previous
 * answer; no answer within `timeout` declares the connection dead. Lives in the connection's
 * subscriptions, so it ends with it.
 */
export function startHeartbeat<Req>(
  config: HeartbeatConfig<Req>,
  scheduler: SchedulerLike,
  subscriptions: Subscription,
  port: HeartbeatPort<Req>,
): void {
  const next = () => subscriptions.add(scheduler.schedule(beat, config.interval));
  const beat = () => {
    if (!port.alive()) return;
    subscriptions.add(
      port.request(config.createRequest(), config.timeout).subscribe({
        next,
        error: (error: Error) => {
          if (error instanceof RequestTimeoutError) {
            port.dead(new HeartbeatTimeoutError(config.timeout));
          } else if (error instanceof WebSocketControllerError && !(error instanceof ClosedBeforeResponseError) && port.alive()) {
            port.skipped(error);
            next();
          }
        },
      }),
    );
  };
  next();
}
