// The model-based spec's invariants catch what they say they catch: each is shown a violation.
import { RequestTimeoutError } from 'customapp-rxjs-websocket';
import { Observable, Subject, firstValueFrom, of } from 'rxjs';
import { authActions, control, e2eServer, encodeFrame, httpLogin } from '../spec-support/e2e-server';
import { FrameRecorder, identityOf } from '../spec-support/frame-recorder';
import type { ModelApp } from '../spec-support/model-app';
import {
  eachLoginAttemptEndsInOneComposite,
  everyRequestSettlesOnceInTime,
  InvariantViolation,
  noFrameCarriesStaleToken,
} from '../spec-support/model-invariants';
import { RequestTracker } from '../spec-support/request-tracker';
import { loginAndInitSocketsErrored, loginAndInitSocketsSucceed } from '../public-api';
import { until } from '../spec-support/waiting';

const login = authActions.login({ credentials: { login: 'manager', password: 'manager-pass' } });

describe('the model-based invariants', () => {
  it('eachLoginAttemptEndsInOneComposite: flags a composite that answers no attempt, and an attempt that got none', () => {
    expect(() => eachLoginAttemptEndsInOneComposite([login, loginAndInitSocketsErrored({ error: 'x' })])).not.toThrow();
    expect(() => eachLoginAttemptEndsInOneComposite([login, loginAndInitSocketsSucceed(), loginAndInitSocketsSucceed()])).toThrowError(
      InvariantViolation,
      /answers no attempt/,
    );
    expect(() => eachLoginAttemptEndsInOneComposite([login, login, loginAndInitSocketsSucceed()])).toThrowError(InvariantViolation, /1 login attempt/);
  });

  it('everyRequestSettlesOnceInTime: flags a request answered twice, and one that failed with an untyped error', () => {
    const tracker = new RequestTracker(new FrameRecorder());
    const app = { tracker } as unknown as ModelApp;
    tracker.track('list', '/ws', () => of(1)).subscribe();
    tracker.track('list', '/ws', () => new Observable<number>((s) => s.error(new RequestTimeoutError(1, 2000)))).subscribe({ error: () => undefined });
    expect(() => everyRequestSettlesOnceInTime(app, true)).not.toThrow();

    const twice = new Subject<number>();
    tracker.track('add', '/ws', () => twice).subscribe();
    twice.next(1);
    twice.next(2);
    expect(() => everyRequestSettlesOnceInTime(app, false)).toThrowError(InvariantViolation, /add request: 2 responses/);
    tracker.requests.pop();

    tracker.track('add', '/ws', () => new Observable<number>((s) => s.error(new Error('boom')))).subscribe({ error: () => undefined });
    expect(() => everyRequestSettlesOnceInTime(app, false)).toThrowError(InvariantViolation, /untyped error: Error: boom/);
    tracker.requests.pop();

    tracker.track('add', '/ws', () => new Subject<number>()).subscribe();
    expect(() => everyRequestSettlesOnceInTime(app, true)).toThrowError(InvariantViolation, /at rest, still waiting: add/);
  });

  it('noFrameCarriesStaleToken: flags an auth sent with the token of another identity than the current one', async () => {
    await control('reset');
    const manager = await httpLogin('manager');
    const viewer = await httpLogin('viewer');
    const recorder = new FrameRecorder();
    recorder.currentIdentity = () => identityOf(manager.accessToken);
    const ws = new recorder.Ctor(e2eServer().wsUrl, 'api.v1.protobuf') as unknown as WebSocket;
    ws.binaryType = 'arraybuffer';
    await firstValueFrom(new Observable<void>((s) => ws.addEventListener('open', () => s.next(), { once: true })));

    ws.send(encodeFrame({ id: 1, auth: { accessToken: manager.accessToken } }));
    expect(() => noFrameCarriesStaleToken({ recorder } as unknown as ModelApp)).not.toThrow();
    ws.send(encodeFrame({ id: 2, menuList: {} }));
    ws.send(encodeFrame({ id: 3, reauth: { accessToken: viewer.accessToken } }));

    expect(() => noFrameCarriesStaleToken({ recorder } as unknown as ModelApp)).toThrowError(
      InvariantViolation,
      /reauth on #1 \/ws carried .*u-viewer.* while the current identity was .*u-manager/,
    );
    expect(recorder.frames.map((frame) => frame.request.body)).toEqual(['auth', 'menuList', 'reauth']);
    ws.close();
    await until(() => ws.readyState === WebSocket.CLOSED, 'the socket to close');
  });
});
