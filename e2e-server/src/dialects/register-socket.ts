// What both endpoints of the `register` dialect share: frames typed by `@type`; the first one must
// be `subscribe` (or `register`) carrying the JWT, and is never acknowledged; a later `subscribe`
// with a newer JWT of the same user moves the socket's expiry; errors are `{"@type":"error","error"}`.
import type { AccessFailure, Principal } from '../auth-service.js';
import { CloseCode } from '../codes.js';
import type { JsonMessage } from './json-socket.js';
import { TokenSocket } from './token-socket.js';

/** `{"@type":"error","error": reason}`, the only answer this dialect has for what went wrong. */
export function errorFrame(reason: string): object {
  return { '@type': 'error', error: reason };
}

const SUBSCRIBE_FIRST = 'The first frame must be {"@type":"subscribe","jwt":"<access token>"}.';

export abstract class RegisterSocket extends TokenSocket {
  /** A JWT was accepted by a `subscribe` (the first, or a later one). */
  protected abstract subscribed(principal: Principal): void;

  /** Handles a frame other than `subscribe` once signed in. */
  protected abstract handleSubscribed(type: string, message: JsonMessage): void;

  protected refusal(_code: AccessFailure, message: string): object {
    return errorFrame(message);
  }

  protected malformed(reason: string): void {
    if (this.authorized) this.sendError(reason);
    else this.violation(`${reason} ${SUBSCRIBE_FIRST}`);
  }

  protected handle(message: JsonMessage): void | Promise<void> {
    const type = message['@type'];
    const subscribe = type === 'subscribe' || type === 'register';
    if (!this.authorized) return subscribe ? this.subscribe(message['jwt']) : this.violation(SUBSCRIBE_FIRST);
    if (typeof type !== 'string') return this.sendError('A frame needs an "@type" string.');
    if (subscribe) return this.subscribe(message['jwt']);
    this.handleSubscribed(type, message);
  }

  protected sendError(reason: string): void {
    this.send(errorFrame(reason));
  }

  private async subscribe(jwt: unknown): Promise<void> {
    const principal = await this.signIn(jwt);
    if (principal) this.subscribed(principal);
  }

  /** Anything but `subscribe` first: the error, then close 4400. */
  private violation(reason: string): void {
    this.sendError(reason);
    this.closeNow(CloseCode.ProtocolViolation, reason);
  }
}
