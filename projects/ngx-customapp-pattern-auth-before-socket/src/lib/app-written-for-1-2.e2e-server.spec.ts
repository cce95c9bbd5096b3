// An app written for 1.2.x, unchanged, against the bundled e2e-server: PatternAuthBeforeSocketModule.forRoot
// with a 1.2.x WebSocketChain (commonConfig with setRequestId/getResponseId, commonOpenOptions, callbacks
// getting a JwtGroup and returning Observables, socketsReady with one record of responses), the
// AppState with SocketsRootState, a root service injecting the six-parameter WebSocketsOwnerService, push
// effects, the composite actions and the 1.2.x state names. Each spec fails if the published behaviour
// (or its documented correction) is not kept.
import { provideHttpClient, withFetch } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Actions, EffectsModule, createEffect } from '@ngrx/effects';
import { type Action, ScannedActionsSubject, Store, StoreModule, createAction, props } from '@ngrx/store';
import { WebSocketController } from 'customapp-rxjs-websocket';
import { JWT_STORAGE, type JwtGroup, type JwtInfo, JwtModule, JwtService, MemoryJwtStorage } from 'ngx-customapp-jwt';
import { EMPTY, type Observable, filter, firstValueFrom, map, mergeMap, of } from 'rxjs';
import { api, Subprotocol } from '../../../../e2e-server/src/protocol';
import {
  PatternAuthBeforeSocketModule,
  type SocketId,
  type SocketResponses,
  type SocketsRootState,
  WebSocketsOwnerService,
  closeSockets,
  closeSocketsFinished,
  initSockets,
  initSocketsErrored,
  initSocketsSucceed,
  loginAgainAndInitSocketsSucceed,
  loginAndInitSocketsErrored,
  loginAndInitSocketsSucceed,
  loginAsAndInitSocketsErrored,
  loginAsAndInitSocketsSucceed,
  selectCloseInProcess,
  selectSocketsInitInProcess,
  selectSocketsState,
  socketsFeatureKey,
} from '../public-api';
import {
  authActions,
  control,
  decodeFrame,
  E2eJwtApi,
  type E2eAuthResponse,
  type E2eCredentials,
  type E2eUser,
  e2eServer,
  encodeFrame,
  httpLogin,
  type Req,
  type Res,
  stats,
} from '../spec-support/e2e-server';
import { next, until } from '../spec-support/waiting';

// ------------------------------------------------------------------ what the callbacks were handed

// `user` is unknown: written inline, nothing in the chain names the app's user type (as in 1.2.x).
interface Handed {
  createRequest: { socketId: SocketId; user: unknown; jwt: JwtGroup<JwtInfo> | undefined }[];
  createRequests: { socketId: SocketId; authResponse: Res | undefined }[];
  socketsReady: { user: unknown; responses: Record<SocketId, SocketResponses<Res>> }[];
}
const handed: Handed = { createRequest: [], createRequests: [], socketsReady: [] };

// ------------------------------------------------------------------ the app, as written for 1.2.x

const categoriesSocketId = 'categories';

interface AppState {
  [socketsFeatureKey]: SocketsRootState;
}

@Injectable({ providedIn: 'root' })
class BaseSocketService {
  constructor(private sockets: WebSocketsOwnerService<Req, Res, ArrayBuffer, E2eUser, E2eCredentials, E2eAuthResponse>) {}

  get socket() {
    return this.sockets.sockets[categoriesSocketId];
  }

  request(req: Omit<Req, 'id'>): Observable<Res> {
    return this.socket.request({ id: 0, ...req });
  }

  get sub$(): Observable<api.ISubscriptionPush> {
    return this.socket.messages$.pipe(
      filter((message) => !!message.sub),
      map((message) => message.sub!),
    );
  }
}

const categoryUpdated = createAction('[menu] category updated', props<{ category: api.ICategory }>());

@Injectable()
class CategoriesEffects {
  private readonly baseSocketService = inject(BaseSocketService);

  handleSub$ = createEffect(() =>
    this.baseSocketService.sub$.pipe(mergeMap((sub) => (sub.categoryUpdate ? of(categoryUpdated({ category: sub.categoryUpdate })) : EMPTY))),
  );
}

function importApp(): void {
  const { wsUrl, notificationsUrl } = e2eServer();
  TestBed.configureTestingModule({
    imports: [
      StoreModule.forRoot({}),
      EffectsModule.forRoot([CategoriesEffects]),
      JwtModule.forRoot({ api: E2eJwtApi }),
      // Written inline, as a 1.2.x app passes it: the callbacks are typed by forRoot's 1.2.x overload.
      PatternAuthBeforeSocketModule.forRoot({
        commonConfig: {
          binaryType: 'arraybuffer',
          serializer: encodeFrame,
          deserializer: decodeFrame,
          setRequestId: (request, id) => ({ ...request, id }),
          getResponseId: (response) => response.id,
          isErrorResponse: (response) => !!response.error,
        },
        commonOpenOptions: { autoReconnect: { interval: () => 100 + Math.floor(Math.random() * 100) } },
        chain: {
          sockets: [
            {
              socketId: categoriesSocketId,
              url: wsUrl,
              protocol: Subprotocol.Protobuf,
              authorize: {
                createRequest: (user, jwt) => {
                  handed.createRequest.push({ socketId: categoriesSocketId, user, jwt });
                  return of<Req>({ id: 0, auth: { accessToken: jwt?.accessToken?.token } });
                },
              },
              subscribe: {
                createRequests: (_user, _jwt, authResponse) => {
                  handed.createRequests.push({ socketId: categoriesSocketId, authResponse });
                  return of<Req[]>([{ id: 0, sub: { kind: api.SubKind.CATEGORIES } }]);
                },
              },
            },
          ],
          // Once the categories socket is subscribed: the notifications socket, as a second link.
          socketsReady: (user, _jwt, responses) => {
            handed.socketsReady.push({ user, responses });
            return of({
              sockets: [
                {
                  socketId: 'notifications',
                  url: notificationsUrl,
                  protocol: Subprotocol.Protobuf,
                  authorize: {
                    createRequest: (_user, jwt) =>
                      of<Req>({ id: 0, auth: { accessToken: jwt?.accessToken?.token } }),
                  },
                  subscribe: { createRequests: () => of<Req[]>([{ id: 0, sub: { kind: api.SubKind.NOTIFICATIONS } }]) },
                },
              ],
            });
          },
        },
      }),
    ],
    providers: [provideHttpClient(withFetch()), { provide: JWT_STORAGE, useValue: new MemoryJwtStorage() }],
  });
}

// ------------------------------------------------------------------ the specs

describe('an app written for 1.2.x, against the e2e-server', () => {
  let store: Store<AppState>;
  let actions$: Actions<Action>;
  let owner: WebSocketsOwnerService<Req, Res, ArrayBuffer, E2eUser, E2eCredentials, E2eAuthResponse>;
  let dispatched: Action[];
  let listeners: () => number;

  beforeEach(async () => {
    await control('reset');
    handed.createRequest = [];
    handed.createRequests = [];
    handed.socketsReady = [];
    importApp();
    store = TestBed.inject(Store<AppState>);
    actions$ = TestBed.inject(Actions);
    owner = TestBed.inject(WebSocketsOwnerService);
    const scanned = TestBed.inject(ScannedActionsSubject);
    dispatched = [];
    scanned.subscribe((action) => dispatched.push(action));
    listeners = () => (scanned as unknown as { observers: unknown[] }).observers.length;
  });

  afterEach(async () => {
    await firstValueFrom(owner.closeAll());
  });

  function outcome(...types: string[]): Promise<Action> {
    return next(actions$, (action) => types.includes(action.type), 10_000);
  }

  function count(type: string): number {
    return dispatched.filter((action) => action.type === type).length;
  }

  async function logIn(login: string): Promise<Action> {
    const result = outcome(loginAndInitSocketsSucceed.type, loginAndInitSocketsErrored.type);
    store.dispatch(authActions.login({ credentials: { login, password: `${login}-pass` } }));
    return result;
  }

  it('login opens the chain link by link, handing the callbacks the user, a JwtGroup and the auth response', async () => {
    const baseline = listeners();
    const initInProcess: boolean[] = [];
    const watching = store.select(selectSocketsInitInProcess).subscribe((value) => initInProcess.push(value));
    expect(Object.keys(owner.sockets)).toEqual([categoriesSocketId]);

    expect((await logIn('manager')).type).toBe(loginAndInitSocketsSucceed.type);
    watching.unsubscribe();

    const jwt = TestBed.inject(JwtService);
    const [auth] = handed.createRequest;
    expect((auth.user as E2eUser).login).toBe('manager');
    expect(auth.jwt?.accessToken?.token).toBe(jwt.accessToken!);
    expect(auth.jwt?.accessToken?.expiresAt).toBeGreaterThan(Date.now());
    expect(auth.jwt?.refreshToken?.token).toEqual(jasmine.any(String));
    // Passed as the 1.2.x docs say (1.2.x itself passed undefined).
    expect(handed.createRequests[0].authResponse?.auth?.user?.login).toBe('manager');
    const { responses } = handed.socketsReady[0];
    expect(Object.keys(responses)).toEqual([categoriesSocketId]);
    expect(responses[categoriesSocketId].auth?.auth?.user?.login).toBe('manager');
    expect(responses[categoriesSocketId].sub?.map((response) => response.subscribed?.kind)).toEqual([api.SubKind.CATEGORIES]);

    expect(Object.keys(owner.sockets)).toEqual([categoriesSocketId, 'notifications']);
    expect(owner.socketsArray().length).toBe(2);
    expect(owner.sockets['notifications'].authResponse?.auth?.user?.login).toBe('manager');
    expect(await stats()).toEqual(jasmine.objectContaining({ sockets: 2, authorized: 2, subscriptions: 2 }));
    expect(initInProcess).toEqual([false, true, false]);
    expect(store.selectSignal(selectSocketsState)().initInProcess).toBeFalse();
    expect(listeners()).toBe(baseline);
  });

  it('requests go out through the service\'s socket, and a change by another client becomes an entity action', async () => {
    await logIn('manager');
    const service = TestBed.inject(BaseSocketService);
    const added = await firstValueFrom(service.request({ menuAdd: { name: 'Salads' } }));
    expect(added.menuAdd?.category?.name).toBe('Salads');

    const other = await httpLogin('admin');
    const admin = new WebSocketController<Req, Res, ArrayBuffer>({
      binaryType: 'arraybuffer',
      serializer: encodeFrame,
      deserializer: decodeFrame,
      url: e2eServer().wsUrl,
      authorize: { createRequest: () => of<Req>({ id: 0, auth: { accessToken: other.accessToken } }) },
    });
    await firstValueFrom(admin.open({ autoReconnect: false }));
    const updated = next(actions$, (a) => a.type === categoryUpdated.type && (a as ReturnType<typeof categoryUpdated>).category.name === 'Soups');
    await firstValueFrom(admin.request({ id: 0, menuAdd: { name: 'Soups' } }));

    expect(((await updated) as ReturnType<typeof categoryUpdated>).category.updatedBy).toBe('admin');
    await firstValueFrom(admin.close());
  });

  it('loginAgain ends in loginAgainAndInitSocketsSucceed (1.2.x dispatched loginAsAndInitSocketsSucceed)', async () => {
    await logIn('manager');
    const again = outcome(loginAgainAndInitSocketsSucceed.type, loginAsAndInitSocketsSucceed.type);
    store.dispatch(authActions.loginAgain());

    expect((await again).type).toBe(loginAgainAndInitSocketsSucceed.type);
    expect(count(loginAsAndInitSocketsSucceed.type)).toBe(0);
    expect(owner.sockets[categoriesSocketId].authResponse?.auth?.user?.login).toBe('manager');
  });

  it('login-as opens the sockets as the target user; its logout reopens them as the master; a full logout closes them for good', async () => {
    await logIn('admin');
    const baseline = listeners();
    const loggedInAs = outcome(loginAsAndInitSocketsSucceed.type, loginAsAndInitSocketsErrored.type);
    store.dispatch(authActions.loginAs({ userId: 'u-manager' }));
    expect((await loggedInAs).type).toBe(loginAsAndInitSocketsSucceed.type);
    expect(owner.sockets[categoriesSocketId].authResponse?.auth?.user?.login).toBe('manager');
    expect((handed.createRequest.at(-1)?.user as E2eUser).login).toBe('manager');

    const reopened = outcome(initSocketsSucceed.type);
    store.dispatch(authActions.logout());
    await reopened;
    expect(owner.sockets[categoriesSocketId].authResponse?.auth?.user?.login).toBe('admin');

    const closeInProcess: boolean[] = [];
    const watching = store.select(selectCloseInProcess).subscribe((value) => closeInProcess.push(value));
    const closed = outcome(closeSocketsFinished.type);
    store.dispatch(authActions.logout());
    await closed;
    watching.unsubscribe();

    expect(closeInProcess).toEqual([false, true, false]);
    await until(() => owner.socketsArray().every((socket) => !socket.active), 'every socket stopped');
    let counted = await stats();
    const deadline = Date.now() + 2000;
    while (counted.sockets > 0 && Date.now() < deadline) counted = await stats();
    expect(counted.sockets).toBe(0);
    // 1.2.x reopened the sockets after every later closeSocketsFinished once a login-as had happened.
    expect(count(initSockets.type)).toBe(3);
    expect(count(closeSockets.type)).toBe(1);
    expect(listeners()).toBe(baseline);
  });

  it('after a refused socket auth, the next initSockets opens the sockets (1.2.x failed every later init)', async () => {
    await control('fail-next-auth');
    const failed = await logIn('manager');
    expect(failed.type).toBe(loginAndInitSocketsErrored.type);
    expect(count(initSocketsErrored.type)).toBe(1);

    const retried = outcome(initSocketsSucceed.type, initSocketsErrored.type);
    store.dispatch(initSockets());

    expect((await retried).type).toBe(initSocketsSucceed.type);
    expect(owner.sockets[categoriesSocketId].authResponse?.auth?.user?.login).toBe('manager');
    expect((await stats()).authorized).toBe(2);
  });
});
