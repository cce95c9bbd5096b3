// The part every JSON dialect socket shares: JSON text frames in and out, messages handled one at a
// time in arrival order (a token check makes later ones wait), timers that never outlive the
// socket, and what the connection registry needs (closeNow, terminate, closed).
import type { WebSocket } from 'ws';
import { CloseCode } from '../codes.js';
import type { RegisteredSocket } from '../connection-registry.js';
import type { Logger } from '../logger.js';
import { closeReason, toBuffer } from '../ws-frames.js';

export enum JsonSocketState {
  /** Messages are handled and sent. */
  Open = 'OPEN',
  /** A close was decided; nothing more is handled or sent. */
  Closing = 'CLOSING',
  /** The connection is gone. */
  Closed = 'CLOSED',
}

/** A decoded client frame: a JSON object (its fields are the dialect's business). */
export type JsonMessage = Record<string, unknown>;

type Step = () => void | Promise<void>;

/** Messages that may wait behind one being handled asynchronously; one more closes with 1008. */
const MAX_WAITING = 64;
/** The longest delay setTimeout can take. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export abstract class JsonSocket implements RegisteredSocket {
  abstract readonly authorized: boolean;
  abstract readonly sessionId: string | undefined;
  abstract readonly userId: string | undefined;
  abstract readonly subscriptionCount: number;
  /** Resolves once the connection is closed. */
  readonly closed: Promise<void>;
  private currentState = JsonSocketState.Open;
  private readonly timers = new Set<NodeJS.Timeout>();
  private waiting: Step[] = [];
  private busy = false;

  constructor(
    readonly dialect: string,
    private readonly ws: WebSocket,
    protected readonly logger: Logger,
  ) {
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('close', (code) => this.onClose(code));
    ws.on('error', (error) => logger.debug(`${dialect} socket error: ${error.message}`));
    ws.on('message', (data, isBinary) => this.enqueue(() => this.receive(toBuffer(data), isBinary)));
  }

  get state(): JsonSocketState {
    return this.currentState;
  }

  /** Handles one client frame that parsed as a JSON object. */
  protected abstract handle(message: JsonMessage): void | Promise<void>;

  /** Answers a frame that is not a JSON object (the socket stays open). */
  protected abstract malformed(reason: string): void;

  /** Lets the dialect forget the socket (rooms, channels, directories) once it is closed. */
  protected abstract released(): void;

  /** Sends one JSON message, unless a close was decided; says whether it was sent. */
  protected send(message: object): boolean {
    if (this.currentState !== JsonSocketState.Open || this.ws.readyState !== this.ws.OPEN) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  /**
   * Runs a step after every earlier one: at once when nothing is pending, otherwise when the
   * asynchronous step before it (a token check) has finished.
   */
  protected enqueue(step: Step): void {
    if (this.currentState !== JsonSocketState.Open) return;
    if (!this.busy) return this.run(step);
    if (this.waiting.length >= MAX_WAITING) return this.closeNow(CloseCode.PolicyViolation, 'too many messages waiting for an answer');
    this.waiting.push(step);
  }

  /** Calls `action` after `ms` (clamped to what setTimeout takes), unless the socket closes first. */
  protected startTimer(ms: number, action: () => void): NodeJS.Timeout {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        action();
      },
      Math.max(0, Math.min(ms, MAX_TIMER_MS)),
    );
    timer.unref();
    this.timers.add(timer);
    return timer;
  }

  protected stopTimer(timer: NodeJS.Timeout | undefined): void {
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  /** Closes with a close frame, for a reason of the server's. */
  closeNow(code: CloseCode | number, reason: string): void {
    if (this.currentState !== JsonSocketState.Open) return;
    this.setState(JsonSocketState.Closing);
    this.ws.close(code, closeReason(reason));
  }

  /** Drops the connection without a close frame, as a network failure would. */
  terminate(): void {
    if (this.currentState === JsonSocketState.Closed) return;
    this.setState(JsonSocketState.Closing);
    this.ws.terminate();
  }

  private setState(to: JsonSocketState): void {
    const from = this.currentState;
    this.currentState = to;
    if (to !== JsonSocketState.Open) {
      this.waiting = [];
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
    }
    if (from !== to) this.logger.debug(`${this.dialect} socket ${from} -> ${to}`);
  }

  private receive(data: Buffer, isBinary: boolean): void | Promise<void> {
    if (isBinary) return this.malformed('Binary frames are not understood here: send JSON text.');
    let message: unknown;
    try {
      message = JSON.parse(data.toString('utf8'));
    } catch {
      return this.malformed('The frame is not valid JSON.');
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      return this.malformed('The frame must be a JSON object.');
    }
    return this.handle(message as JsonMessage);
  }

  private run(step: Step): void {
    let outcome: void | Promise<void>;
    try {
      outcome = step();
    } catch (error) {
      return this.fail(error);
    }
    if (!(outcome instanceof Promise)) return;
    this.busy = true;
    outcome.then(
      () => {
        this.busy = false;
        while (!this.busy && this.waiting.length > 0 && this.currentState === JsonSocketState.Open) this.run(this.waiting.shift() as Step);
      },
      (error: unknown) => {
        this.busy = false;
        this.fail(error);
      },
    );
  }

  private fail(error: unknown): void {
    this.logger.error(`${this.dialect} socket failed: ${error instanceof Error ? error.stack : String(error)}`);
    this.closeNow(CloseCode.InternalError, 'the server failed on a message');
  }

  private onClose(code: number): void {
    this.setState(JsonSocketState.Closed);
    this.released();
    this.logger.debug(`${this.dialect} socket closed with ${code}`);
  }
}
