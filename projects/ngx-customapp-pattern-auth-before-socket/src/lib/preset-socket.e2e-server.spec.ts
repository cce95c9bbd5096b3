// A chain link configured by a preset: the rooms style of the e2e-server (/dialects/rooms), driven by
// roomsPreset with the session's tokens, from login to logout.
import { type RoomsFrame, roomsPreset } from 'customapp-rxjs-websocket/presets';
import { filter, from, tap } from 'rxjs';
import { dialectUrl } from '../../../../e2e-server/src/karma-client';
import { CLIENT_CLOSE_POLICY } from '../../../../e2e-server/src/protocol';
import { closeSocketsFinished, loginAndInitSocketsErrored, loginAndInitSocketsSucceed, presetSocket } from '../public-api';
import { authActions, control, e2eServer, type E2eSetUp, type E2eUser, setUpE2e, stats } from '../spec-support/e2e-server';
import { next, until } from '../spec-support/waiting';

async function postJson(path: string, token: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${e2eServer().httpUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('a chain link configured by a preset (roomsPreset against the e2e-server)', () => {
  let t: E2eSetUp<RoomsFrame, RoomsFrame, string>;
  let accessTokens: string[];

  beforeEach(async () => {
    await control('reset');
    accessTokens = [];
    const roomToken = async (name: string) => {
      const answer = await postJson('/api/dialects/rooms/token', t.jwt.accessToken!, { name });
      return answer.body['token'] as string;
    };
    const rooms = presetSocket<RoomsFrame, RoomsFrame, string, E2eUser>('rooms', (token) =>
      roomsPreset({
        url: dialectUrl('rooms'),
        token: (context) => token(context).pipe(tap((jwt) => accessTokens.push(jwt))),
        rooms: [{ name: '/menu', token: () => from(roomToken('/menu')) }],
      }),
    );
    t = setUpE2e<RoomsFrame, RoomsFrame, string>({
      // The server's close policy, as an app takes it: a logout's close (4440) is final.
      commonConfig: { ...CLIENT_CLOSE_POLICY, closeTimeout: 1000 },
      commonOpenOptions: { autoReconnect: { interval: () => 50 } },
      chain: { sockets: [rooms] },
    });
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => t.owner.closeAll().subscribe({ complete: resolve }));
  });

  async function logIn(login: string): Promise<string> {
    const outcome = next(t.actions$, (a) => a.type === loginAndInitSocketsSucceed.type || a.type === loginAndInitSocketsErrored.type);
    t.store.dispatch(authActions.login({ credentials: { login, password: `${login}-pass` } }));
    return (await outcome).type;
  }

  it('authenticates with the session token, joins its rooms, and gets their pushes on the socket', async () => {
    expect(await logIn('manager')).toBe(loginAndInitSocketsSucceed.type);
    expect(t.owner.status('rooms')).toBe('live');
    expect(accessTokens).toEqual([t.jwt.accessToken!]);
    expect(t.owner.sockets['rooms'].authResponse?.event).toBe('authenticated');

    const pushed = next(t.owner.sockets['rooms'].messages$.pipe(filter((m) => m.event === 'realtime:resource')));
    const posted = await postJson('/api/dialects/rooms/resources', t.jwt.accessToken!, { room: '/menu', action: 'created', resource: { id: 'r1', name: 'Soups' } });
    expect(posted.body['delivered']).toBe(1);
    const push = await pushed;
    expect(push.data?.['resource']).toEqual({ id: 'r1', name: 'Soups' });
  });

  it('closes the preset socket at logout, on the server too', async () => {
    await logIn('manager');
    const closed = next(t.actions$, (a) => a.type === closeSocketsFinished.type);
    t.store.dispatch(authActions.logout());
    await closed;
    await until(() => t.owner.status('rooms') === 'closed', 'the rooms socket closed');
    let counted = await stats();
    const deadline = Date.now() + 2000;
    while (counted.sockets > 0 && Date.now() < deadline) counted = await stats();
    expect(counted.sockets).toBe(0);
  });
});
