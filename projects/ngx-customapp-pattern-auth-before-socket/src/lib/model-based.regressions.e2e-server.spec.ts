// The counterexamples the model-based spec found and fast-check shrank, each kept as a named spec:
// the shrunk sequence replayed through the model's steps, and the defect it showed reproduced
// directly, without the races the sequence needed to show it.
import { type Action } from '@ngrx/store';
import { firstValueFrom } from 'rxjs';
import {
  closeSocketsFinished,
  loginAndInitSocketsErrored,
  loginAndInitSocketsSucceed,
  loginAsAndInitSocketsErrored,
  loginAsAndInitSocketsSucceed,
  selectSocketStatus,
  socketClosedForever,
} from '../public-api';
import { authActions, control, e2eChain, e2eServer, type E2eSetUp, httpLogin, setUpE2e, stats } from '../spec-support/e2e-server';
import {
  AuthDuringFaultCommand,
  FailNextAuthCommand,
  LoginAgainCommand,
  LoginAsCommand,
  LoginCommand,
  LogoutEverywhereCommand,
  RacingAttemptsCommand,
  RefuseCommand,
  RequestDuringFaultCommand,
  RequestWhileReconnectingCommand,
  RevokeCommand,
  SwitchUserCommand,
} from '../spec-support/model-commands';
import { runSequence } from '../spec-support/model-run';
import { next, until } from '../spec-support/waiting';

/** A replayed sequence waits for its steps to settle (up to 12 s each). */
const REPLAY_TIMEOUT_MS = 60_000;

describe('model-based counterexamples, kept', () => {
  let t: E2eSetUp | undefined;

  beforeEach(async () => {
    await control('reset');
    t = undefined;
  });

  afterEach(async () => {
    if (t) await firstValueFrom(t.owner.closeAll());
    await control('reset');
  });

  async function logIn(login: string): Promise<void> {
    const setUp = t as E2eSetUp;
    const outcome = next<Action>(setUp.actions$, (a) => a.type === loginAndInitSocketsSucceed.type, 10_000);
    setUp.store.dispatch(authActions.login({ credentials: { login, password: `${login}-pass` } }));
    await outcome;
  }

  describe('a logout and a login at once, under a login as, with an auth set to fail', () => {
    // Found on a loaded CI machine (seed 20260401, path 91) and again under a CPU hog (shrunk below).
    // The logout gives the session back to the master, whose sockets reopen while the login runs;
    // when they authorize first, they take the refusal failNextAuth() set, and the login then
    // succeeds. The model expected the login to meet it. It now accepts either order, and checks
    // that the app ends where the login's outcome says (signed in as its user, or signed out).
    it('replays [switchUser(admin), racing(login as admin, login as admin), addWhileReconnecting(290 ms), failNextAuth(), switchUser(viewer)]', async () => {
      await runSequence([
        new SwitchUserCommand('admin'),
        new RacingAttemptsCommand('login as', 'admin', 'admin'),
        new RequestWhileReconnectingCommand(290),
        new FailNextAuthCommand(),
        new SwitchUserCommand('viewer'),
      ]);
    }, REPLAY_TIMEOUT_MS);

    it('replays [login(admin), loginAs(admin)During(blackhole 546 ms), failNextAuth(), logoutEverywhere(manager), switchUser(admin)]', async () => {
      await runSequence([
        new LoginCommand('admin', true),
        new AuthDuringFaultCommand('login as', 'admin', 'blackhole', 546),
        new FailNextAuthCommand(),
        new LogoutEverywhereCommand('manager'),
        new SwitchUserCommand('admin'),
      ]);
    }, REPLAY_TIMEOUT_MS);

    it('replays [login(admin), loginAs(viewer), failNextAuth(), switchUser(manager)], the shortest form', async () => {
      await runSequence([new LoginCommand('admin', true), new LoginAsCommand('viewer'), new FailNextAuthCommand(), new SwitchUserCommand('manager')]);
    }, REPLAY_TIMEOUT_MS);
  });

  describe('a logout answered after the login sent with it', () => {
    // Found by `npm run chaos` (seed 1592054579, sequence 582, when its replay ran slower): a logout and
    // a login at once, the logout's answer last. JwtService ended whatever session was current when
    // the logout came back: the new login's. The app ended signed out. A login answered while a
    // logout is on its way is now applied after it (unit specs in ngx-customapp-jwt's
    // jwt.service.spec.ts: "applies a login answered while the logout call was on its way…").
    it('replays [revoke(admin), logoutEverywhere(admin), racing(login viewer, login viewer), addWhileReconnecting(308 ms), addWhileReconnecting(633 ms), loginAgain(), logoutEverywhere(admin), switchUser(viewer), switchUser(manager)]', async () => {
      await runSequence([
        new RevokeCommand('admin'),
        new LogoutEverywhereCommand('admin'),
        new RacingAttemptsCommand('login', 'viewer', 'viewer'),
        new RequestWhileReconnectingCommand(308),
        new RequestWhileReconnectingCommand(633),
        new LoginAgainCommand(),
        new LogoutEverywhereCommand('admin'),
        new SwitchUserCommand('viewer'),
        new SwitchUserCommand('manager'),
      ]);
    }, REPLAY_TIMEOUT_MS);
  });

  describe('an armed auth refusal that no auth takes', () => {
    // Found by `npm run chaos` (seed 1592054579, shrunk). With admin's session revoked, expire-tokens
    // closes the sockets with 4419; the package refreshes before any new auth, the refresh is refused,
    // and the app signs out without sending an auth, so the refusal failNextAuth() armed is still
    // there for the next login. The model counted it spent at the step's end; it now reads whether
    // it is from the server (`failNextAuthArmed` in /__control/stats), and the login meets it.
    it('replays [login(admin), failNextAuth(), revoke(admin), addDuring(expire-tokens), login(admin)]', async () => {
      await runSequence([
        new LoginCommand('admin', true),
        new FailNextAuthCommand(),
        new RevokeCommand('admin'),
        new RequestDuringFaultCommand('add', 'expire-tokens', 300),
        new LoginCommand('admin', true),
      ]);
    }, REPLAY_TIMEOUT_MS);
  });

  describe('a socket closed while it waited to reconnect', () => {
    it('replays [failNextAuth(), refuse(100 ms), login(admin)]: signed out, every socket reads closed', async () => {
      await runSequence([new FailNextAuthCommand(), new RefuseCommand(100, false), new LoginCommand('admin', true)]);
    }, REPLAY_TIMEOUT_MS);

    it('reads closed after the logout, not reconnecting, and the store says so too', async () => {
      // A long reconnect interval keeps the dropped socket waiting to reconnect when the logout comes.
      t = setUpE2e({ ...e2eChain(), commonOpenOptions: { autoReconnect: { interval: () => 60_000 } } });
      await logIn('manager');
      await control('drop?path=/ws/notifications');
      await until(() => t!.owner.status('notifications') === 'reconnecting', 'the notifications socket to wait to reconnect');
      expect(t.owner.sockets['notifications'].reconnecting).toBeTrue();

      const closed = next(t.actions$, (a) => a.type === closeSocketsFinished.type);
      t.store.dispatch(authActions.logout());
      await closed;

      expect(t.owner.sockets['notifications'].reconnecting).toBeFalse();
      expect(t.owner.sockets['notifications'].active).toBeFalse();
      expect(t.owner.status('notifications')).toBe('closed');
      expect(t.store.selectSignal(selectSocketStatus('notifications'))()).toBe('closed');
    });
  });

  describe('a second login while the first is being signed in', () => {
    it('replays [racing(login admin, login admin)]', async () => {
      await runSequence([new RacingAttemptsCommand('login', 'admin', 'admin')]);
    }, REPLAY_TIMEOUT_MS);

    it('ends as ignored, and the first, the one signed in, succeeds', async () => {
      t = setUpE2e();
      const composites: (Action & { error?: string })[] = [];
      const listening = t.actions$.subscribe((action) => {
        if (action.type === loginAndInitSocketsSucceed.type || action.type === loginAndInitSocketsErrored.type) composites.push(action);
      });
      t.store.dispatch(authActions.login({ credentials: { login: 'manager', password: 'manager-pass' } }));
      t.store.dispatch(authActions.login({ credentials: { login: 'viewer', password: 'viewer-pass' } }));
      await until(() => composites.length === 2, 'both composites');
      listening.unsubscribe();

      expect(composites.map((action) => action.type)).toEqual([loginAndInitSocketsErrored.type, loginAndInitSocketsSucceed.type]);
      expect(composites[0]?.error).toBe('Ignored: a login was already under way, and its outcome follows.');
      expect(t.jwt.user()?.login).toBe('manager');
    });
  });

  describe('an access token the server counts as expired before its own expiry', () => {
    it('replays [refuse(100 ms), login(admin), loginAs(viewer)During(expire-tokens)]', async () => {
      await runSequence([new RefuseCommand(100, false), new LoginCommand('admin', true), new AuthDuringFaultCommand('login as', 'viewer', 'expire-tokens', 100)]);
    }, REPLAY_TIMEOUT_MS);

    it('is refreshed for a login-as, which then succeeds', async () => {
      t = setUpE2e();
      // Signed in through JwtService alone: no socket refreshes the token when the server expires it.
      await firstValueFrom(t.jwt.login({ login: 'admin', password: 'admin-pass' }));
      await control('expire-tokens');

      const outcome = next<Action>(t.actions$, (a) => a.type === loginAsAndInitSocketsSucceed.type || a.type === loginAsAndInitSocketsErrored.type, 10_000);
      t.store.dispatch(authActions.loginAs({ userId: 'u-viewer' }));

      expect((await outcome).type).toBe(loginAsAndInitSocketsSucceed.type);
      expect(t.jwt.user()?.login).toBe('viewer');
      expect(t.jwt.stashedUsers.map((user) => user.login)).toEqual(['admin']);
    });

    it('is refreshed for a logout, which then ends the session on the server too', async () => {
      t = setUpE2e();
      await firstValueFrom(t.jwt.login({ login: 'manager', password: 'manager-pass' }));
      expect((await stats()).sessions).toBe(1);
      await control('expire-tokens');

      await firstValueFrom(t.jwt.logout());

      expect(t.jwt.isLoggedIn).toBeFalse();
      expect((await stats()).sessions).toBe(0);
    });
  });

  describe('a logout from every device after the session was revoked (e2e-server)', () => {
    it('replays [login(admin), revoke(admin), logoutEverywhereFromAnotherSession(admin)]', async () => {
      await runSequence([new LoginCommand('admin', true), new RevokeCommand('admin'), new LogoutEverywhereCommand('admin')]);
    }, REPLAY_TIMEOUT_MS);

    it('still closes the sockets of the revoked session, with 4441', async () => {
      t = setUpE2e();
      await logIn('manager');
      await control('revoke?user=u-manager');
      const other = await httpLogin('manager');
      const closed = next<Action & { code?: number }>(t.actions$, (a) => a.type === socketClosedForever.type);

      const response = await fetch(`${e2eServer().httpUrl}/api/auth/logout`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${other.accessToken}` },
        body: JSON.stringify({ fromAllDevices: true }),
      });

      expect(response.status).toBe(204);
      expect((await closed).code).toBe(4441);
    });
  });
});
