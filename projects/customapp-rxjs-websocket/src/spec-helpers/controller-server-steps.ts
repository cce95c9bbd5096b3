// The steps of what else the server and the clock do: push, send frames that cannot be read, close
// with a code or drop, acknowledge the client's close, and time passing.
import { ConnectionLostError, DeserializeError, FatalCloseError, SocketState, TokenExpiredError } from 'customapp-rxjs-websocket';
import { renewsToken, serverSide } from './controller-answer-steps';
import { ControllerStep, Snapshot } from './controller-step';
import { FATAL_CODE, listenedTo, tally, TOKEN_EXPIRED_CODE, violated, World } from './controller-world';

/** The server pushes: with id 0, without an id, or with an id nobody was given. */
export class PushStep extends ControllerStep {
  protected readonly kind = 'push';

  constructor(readonly shape: 'id 0' | 'no id' | 'unknown id') {
    super();
  }

  act(w: World): void {
    const ws = serverSide(w);
    if (!ws) return;
    const tag = w.nextTag('p');
    const push = this.shape === 'id 0' ? { id: 0, push: tag } : this.shape === 'no id' ? { push: tag } : { id: 4_000_000_000, push: tag };
    const before = new Snapshot(w);
    ws.receiveJson(push);
    if (!listenedTo(ws)) return before.expectQuiet('a push on a socket let go');
    const pushed = before.newMessages;
    if (pushed.length !== 1 || JSON.stringify(pushed[0]) !== JSON.stringify(push)) {
      violated('pushesReachMessages', `messages$ got ${JSON.stringify(pushed)} for ${JSON.stringify(push)}`);
    }
    before.expectSocketGoesOn('a push');
  }

  toString(): string {
    return `push(${this.shape})`;
  }
}

/** The frames `MalformedStep` sends, by shape (binary: three bytes). */
const MALFORMED = {
  'not JSON': '{not json',
  empty: '',
  number: '42',
  string: '"text"',
  null: 'null',
  array: '[1,2]',
  binary: 'binary',
} as const;

export const MALFORMED_SHAPES = Object.keys(MALFORMED) as (keyof typeof MALFORMED)[];

/** The server sends a frame that is no JSON object: text that is not JSON, JSON of another kind, binary. */
export class MalformedStep extends ControllerStep {
  protected readonly kind = 'malformed frame';

  constructor(readonly shape: keyof typeof MALFORMED) {
    super();
  }

  act(w: World): void {
    const ws = serverSide(w);
    if (!ws) return;
    const data = this.shape === 'binary' ? new Uint8Array([1, 2, 3]).buffer : MALFORMED[this.shape];
    let parsed: unknown = data;
    let readable = true;
    if (typeof data === 'string') {
      try {
        parsed = JSON.parse(data);
      } catch {
        readable = false;
      }
    }
    const before = new Snapshot(w);
    try {
      ws.receive(data);
    } catch (error) {
      violated('malformedFramesNeverThrow', `receive(${JSON.stringify(this.shape)}) threw ${String(error)}`);
    }
    if (!listenedTo(ws)) return before.expectQuiet('a frame on a socket let go');
    const errors = before.newErrors;
    const pushed = before.newMessages;
    if (readable) {
      // Without a deserializer a text frame is parsed as JSON and a binary one handed on: an answer to nobody, a push.
      const same = this.shape === 'binary' ? pushed[0] === data : JSON.stringify(pushed[0]) === JSON.stringify(parsed);
      if (errors.length > 0 || pushed.length !== 1 || !same) {
        violated(
          'unreadableFrameReported',
          `${this.shape}: error$ got ${errors.map((e) => e.name).join(', ')}, messages$ got ${JSON.stringify(pushed)}`,
        );
      }
    } else if (errors.length !== 1 || !(errors[0] instanceof DeserializeError) || errors[0].data !== data || pushed.length > 0) {
      violated(
        'unreadableFrameReported',
        `${this.shape}: error$ got ${errors.map((e) => e.name).join(', ')}, messages$ got ${JSON.stringify(pushed)}`,
      );
    }
    before.expectSocketGoesOn(`a ${this.shape} frame`);
  }

  toString(): string {
    return `malformed(${this.shape})`;
  }
}

/** The server closes the newest socket with a code, or the connection drops (1006, also while connecting). */
export class ServerCloseStep extends ControllerStep {
  protected readonly kind = 'server close';

  constructor(readonly code: number | 'drop') {
    super();
  }

  act(w: World): void {
    const ws = this.code === 'drop' ? w.lastSocket : serverSide(w);
    if (!ws || ws.readyState === 3) return;
    const listened = listenedTo(ws);
    const sessions = w.model.sessions;
    const before = new Snapshot(w);
    if (this.code === 'drop') ws.drop();
    else ws.serverClose(this.code, 'closed by the server');
    if (!listened) return before.expectQuiet('the close of a socket let go');
    if (before.state === SocketState.closing) return expectCloseFinished(w, 'the server closed while closing');
    const code = this.code === 'drop' ? 1006 : this.code;
    if (code === FATAL_CODE) return before.expectStop(`closed with ${code}`, FatalCloseError);
    if (code === TOKEN_EXPIRED_CODE) {
      if (w.model.tokenExpired) {
        tally(w.coverage.reached, 'token renewal refused');
        return before.expectStop(`closed with ${code} again before an auth succeeded`, TokenExpiredError);
      }
      before.expectReconnect(`closed with ${code}`, 0);
      renewsToken(w, sessions);
      return;
    }
    tally(w.coverage.reached, 'reconnect');
    before.expectReconnect(`closed with ${code}`, w.model.interval, ConnectionLostError);
  }

  toString(): string {
    return this.code === 'drop' ? 'drop' : `server close(${this.code})`;
  }
}

/** A `close()` under way finished: every `close()` completed, the state closed (or pending, when an `open()` waited for it). */
function expectCloseFinished(w: World, what: string): void {
  if (w.reacted) return;
  const pending = w.closeCalls.filter((c) => c.notifications.length === 0);
  const state = w.controller.state;
  if (pending.length > 0 || state !== (w.controller.active ? SocketState.pending : SocketState.closed)) {
    violated('closeCompletes', `${what}: ${pending.length} close() still running, state ${state}, active ${w.controller.active}`);
  }
}

/** The server acknowledges the client's close of the newest socket it did not acknowledge yet. */
export class AcknowledgeCloseStep extends ControllerStep {
  protected readonly kind = 'acknowledge close';

  act(w: World): void {
    const ws = [...w.h.sockets.all].reverse().find((s) => s.readyState === 2 && s.closedByClient);
    if (!ws) return;
    const listened = listenedTo(ws);
    const before = new Snapshot(w);
    ws.acknowledgeClose();
    if (!listened) return before.expectQuiet('acknowledging the close of a socket let go');
    expectCloseFinished(w, 'the server acknowledged the close');
  }

  toString(): string {
    return 'acknowledge close';
  }
}

/** Virtual time passes; the controller's timers fire, and none of them writes a frame. */
export class AdvanceStep extends ControllerStep {
  protected readonly kind = 'advance';

  constructor(readonly ms: number) {
    super();
  }

  act(w: World): void {
    w.scanFrames();
    w.h.scheduler.advance(this.ms);
    // The model stamps each frame with the time it reads it: at the end of each step, or as soon as the
    // app wrote it from a timer's callback (a reaction). No timer of the controller writes one (no heartbeat).
    const unread = w.h.sockets.all.reduce((sum, ws) => sum + ws.sent.length, 0) - w.sockets.reduce((sum, s) => sum + s.frames.length, 0);
    if (unread !== 0) violated('modelAssumption', `${unread} frames written by timers`);
  }

  toString(): string {
    return `advance(${this.ms} ms)`;
  }
}
