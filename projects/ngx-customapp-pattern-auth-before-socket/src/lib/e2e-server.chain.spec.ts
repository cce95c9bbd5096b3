// A chain of two links against the e2e-server: the notifications socket opens only once the
// categories socket is subscribed, and a failure in the second link closes the first one too.
import { from, map } from 'rxjs';
import { api } from '../../../../e2e-server/src/protocol';
import { initSocketsErrored, loginAndInitSocketsErrored, loginAndInitSocketsSucceed, type SocketsOpenResults } from '../public-api';
import { authActions, control, e2eChain, e2eServer, e2eSocket, type E2eSetUp, type Res, setUpE2e, stats } from '../spec-support/e2e-server';
import { next } from '../spec-support/waiting';

describe('a chain of two links against the e2e-server', () => {
  let t: E2eSetUp;
  let events: string[];
  let ready: { login: string; jwt: string; responses: SocketsOpenResults<Res> }[];
  let failSecondLink: boolean;

  beforeEach(async () => {
    await control('reset');
    events = [];
    ready = [];
    failSecondLink = false;
    const { wsUrl, notificationsUrl } = e2eServer();
    t = setUpE2e(
      e2eChain({
        chain: {
          sockets: [e2eSocket('categories', wsUrl, api.SubKind.CATEGORIES)],
          socketsReady: (user, jwt, responses) => {
            ready.push({ login: user.login, jwt, responses });
            const link = { sockets: [e2eSocket('notifications', notificationsUrl, api.SubKind.NOTIFICATIONS)] };
            return failSecondLink ? from(control('fail-next-auth')).pipe(map(() => link)) : link;
          },
        },
      }),
    );
    t.owner.stateChanges$.subscribe(({ socketId, status }) => events.push(`${socketId} ${status}`));
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => t.owner.closeAll().subscribe({ complete: resolve }));
  });

  async function logIn(): Promise<string> {
    const outcome = next(t.actions$, (a) => a.type === loginAndInitSocketsSucceed.type || a.type === loginAndInitSocketsErrored.type);
    t.store.dispatch(authActions.login({ credentials: { login: 'manager', password: 'manager-pass' } }));
    return (await outcome).type;
  }

  it('opens the second link only after the first link\'s sockets are subscribed', async () => {
    expect(await logIn()).toBe(loginAndInitSocketsSucceed.type);

    expect(events.indexOf('notifications connecting')).toBeGreaterThan(events.indexOf('categories live'));
    expect(events.filter((e) => e.startsWith('notifications')).pop()).toBe('notifications live');
    expect(ready.length).toBe(1);
    expect(ready[0].login).toBe('manager');
    expect(ready[0].jwt).toBe(t.jwt.accessToken!);
    expect(ready[0].responses['categories'].authResponse?.auth?.user?.login).toBe('manager');
    expect(ready[0].responses['categories'].subscribeResponses[0].subscribed?.kind).toBe(api.SubKind.CATEGORIES);
    expect(await stats()).toEqual(jasmine.objectContaining({ sockets: 2, subscriptions: 2 }));
  });

  it('closes the first link too when a socket of the second link is refused', async () => {
    failSecondLink = true;

    expect(await logIn()).toBe(loginAndInitSocketsErrored.type);

    expect(t.dispatched.filter((a) => a.type === initSocketsErrored.type).length).toBe(1);
    expect(t.owner.status('categories')).toBe('closed');
    expect(t.owner.status('notifications')).toBe('closed');
  });
});
