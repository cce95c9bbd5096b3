import {
  AuthContext,
  AuthRejectedError,
  SocketState,
  TokenExpiredError,
  WebSocketController,
  WebSocketControllerError,
} from 'customapp-rxjs-websocket';
import { RegisterFrame, registerChatPreset, registerPreset, RegisterPresetOptions } from 'customapp-rxjs-websocket/presets';
import { FakeSockets } from 'customapp-rxjs-websocket/testing';
import { NEVER, Observable, of } from 'rxjs';
import { ManualScheduler } from '../spec-helpers/manual-scheduler';

/** The error frames the register style sends before its 4401 / 4419 close. */
const EXPIRED = { '@type': 'error', error: 'The access token has expired: refresh it.' };
const INVALID = { '@type': 'error', error: 'The access token is not valid here: sign in again.' };

/** A register preset over fake sockets and virtual time; the token source hands out `jwt-1`, `jwt-2`, ... */
function registerSocket(preset: (options: RegisterPresetOptions) => ReturnType<typeof registerPreset>) {
  const sockets = new FakeSockets();
  const scheduler = new ManualScheduler();
  const contexts: AuthContext<RegisterFrame>[] = [];
  const token = (context: AuthContext<RegisterFrame>): Observable<string> => {
    contexts.push(context);
    return of(`jwt-${contexts.length}`);
  };
  const controller = new WebSocketController({
    ...preset({ url: 'ws://test.local/dialects/register', token }),
    WebSocketCtor: sockets.Ctor,
    scheduler,
    online$: NEVER,
  });
  const errors: WebSocketControllerError[] = [];
  controller.error$.subscribe((error) => errors.push(error));
  return { controller, sockets, scheduler, contexts, errors };
}

describe('WebSocketController with the register presets', () => {
  // Regression: the preset had no isTokenExpiredResponse, so the error frame that refuses an expired
  // JWT stopped the socket for good (AuthRejectedError) before the 4419 close that follows it could
  // ask for a renewed token.
  it('renews the token when the error frame after the unanswered subscribe says it expired', () => {
    const { controller, sockets, scheduler, contexts, errors } = registerSocket(registerPreset);
    controller.open().subscribe();
    sockets.last.accept();
    sockets.last.receiveJson(EXPIRED);
    sockets.last.serverClose(4419, 'The access token has expired: refresh it.');
    scheduler.advance(0);
    sockets.last.accept();

    expect(sockets.all.length).toBe(2);
    expect(sockets.last.sentJson).toEqual([{ '@type': 'subscribe', jwt: 'jwt-2' }]);
    expect(contexts.map((context) => context.tokenExpired)).toEqual([false, true]);
    expect(controller.state).toBe(SocketState.subscribed);
    expect(errors).toEqual([]);
  });

  it('renews it on the chat endpoint too, with its joins waiting, and completes open() on the next connection', () => {
    const { controller, sockets, scheduler, contexts, errors } = registerSocket((options) =>
      registerChatPreset({ ...options, workspaces: ['ws-common'] }),
    );
    let opened = false;
    controller.open().subscribe({ complete: () => (opened = true) });
    sockets.last.accept();
    sockets.last.receiveJson(EXPIRED);
    scheduler.advance(0);
    sockets.last.accept();
    sockets.last.receiveJson({ '@type': 'room', RoomType: 'WORKSPACE', RoomUuid: 'ws-common', Messages: [] });

    expect(sockets.all.length).toBe(2);
    expect(contexts.map((context) => context.tokenExpired)).toEqual([false, true]);
    expect(opened).toBeTrue();
    expect(errors).toEqual([]);
  });

  it('still stops for good on any other refusal of the subscribe: AuthRejectedError, one connection', () => {
    const { controller, sockets, scheduler, errors } = registerSocket(registerPreset);
    controller.open().subscribe();
    sockets.last.accept();
    sockets.last.receiveJson(INVALID);
    scheduler.advance(120_000);

    expect(sockets.all.length).toBe(1);
    expect(errors.length).toBe(1);
    expect(errors[0]).toBeInstanceOf(AuthRejectedError);
    expect(controller.active).toBeFalse();
  });

  // Regression: an unanswered auth counts as accepted once written, which cleared the "token renewed"
  // mark, so a renewed token refused as expired again was renewed again, forever, with no delay.
  it('stops with TokenExpiredError when the renewed token is refused as expired too, instead of renewing forever', () => {
    const { controller, sockets, scheduler, contexts, errors } = registerSocket(registerPreset);
    const forever: unknown[] = [];
    controller.closedForever$.subscribe((event) => forever.push(event));
    controller.open().subscribe();
    for (let connection = 1; connection <= 3 && controller.active; connection++) {
      sockets.last.accept();
      sockets.last.receiveJson(EXPIRED);
      scheduler.advance(0);
    }

    expect(sockets.all.length).toBe(2);
    expect(contexts.map((context) => context.tokenExpired)).toEqual([false, true]);
    expect(errors.length).toBe(1);
    expect(errors[0]).toBeInstanceOf(TokenExpiredError);
    expect(forever.length).toBe(1);
    expect(controller.active).toBeFalse();
  });

  // Regression: the same loop with a server that refuses the renewed JWT by a 4419 close alone, without
  // the error frame: the close was read as the end of an accepted connection, and renewed again.
  it('stops with TokenExpiredError when the renewed token is refused by a 4419 close alone, instead of renewing forever', () => {
    const { controller, sockets, scheduler, contexts, errors } = registerSocket(registerPreset);
    controller.open().subscribe();
    for (let connection = 1; connection <= 3 && controller.active; connection++) {
      sockets.last.accept();
      sockets.last.serverClose(4419, 'token expired');
      scheduler.advance(0);
    }

    expect(sockets.all.length).toBe(2);
    expect(contexts.map((context) => context.tokenExpired)).toEqual([false, true]);
    expect(errors.length).toBe(1);
    expect(errors[0]).toBeInstanceOf(TokenExpiredError);
    expect(controller.active).toBeFalse();
  });

  /** Opens, has the first connection closed as expired, and accepts the second, which carries a renewed token. */
  function renewedOnce() {
    const rig = registerSocket(registerPreset);
    rig.controller.open().subscribe();
    rig.sockets.last.accept();
    rig.sockets.last.serverClose(4419, 'token expired');
    rig.scheduler.advance(0);
    rig.sockets.last.accept();
    return rig;
  }

  it('still takes a 4419 close just under 5 s after the renewed, unanswered subscribe as its refusal', () => {
    const { controller, sockets, scheduler, errors } = renewedOnce();
    scheduler.advance(4_999);
    sockets.last.serverClose(4419, 'token expired');
    scheduler.advance(120_000);

    expect(sockets.all.length).toBe(2);
    expect(errors.map((error) => error.constructor)).toEqual([TokenExpiredError]);
    expect(controller.active).toBeFalse();
  });

  describe('renews once more after a 4419 close of a connection whose renewed token was accepted', () => {
    /** Closes the renewed connection as expired and checks that a third one, with a renewed token, is subscribed. */
    function expectRenewedAgain({ controller, sockets, scheduler, contexts, errors }: ReturnType<typeof renewedOnce>) {
      sockets.last.serverClose(4419, 'token expired');
      scheduler.advance(0);
      sockets.last.accept();

      expect(sockets.all.length).toBe(3);
      expect(contexts.map((context) => context.tokenExpired)).toEqual([false, true, true]);
      expect(errors).toEqual([]);
      expect(controller.state).toBe(SocketState.subscribed);
    }

    it('when a message came after its subscribe', () => {
      const rig = renewedOnce();
      rig.sockets.last.receiveJson({ '@type': 'event', data: { id: 1 } });
      expectRenewedAgain(rig);
    });

    it('when it lived 5 s or more, even without a message (its renewed token expired: short-lived tokens)', () => {
      const rig = renewedOnce();
      rig.scheduler.advance(5_000);
      expectRenewedAgain(rig);
    });
  });
});
