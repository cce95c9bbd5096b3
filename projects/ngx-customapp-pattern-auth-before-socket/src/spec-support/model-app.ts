// The app the model-based spec drives, set up anew for every sequence: JwtService over the
// e2e-server's HTTP API, the two sockets (a short heartbeat, so that a blackholed socket is found),
// the menu feature fed by the categories pushes, the app's own "signed out by the server" effect,
// and the instruments: a counting scheduler, recording WebSockets, tracked requests.
import { Injectable, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideEffects } from '@ngrx/effects';
import { type Action, provideState } from '@ngrx/store';
import { JWT_SELECTORS } from 'ngx-customapp-jwt';
import { filter, firstValueFrom, take, timeout } from 'rxjs';
import { SOCKETS_WEBSOCKET_CTOR, type SocketStatus, WebSocketsOwnerService } from '../public-api';
import { logoutWhenSocketClosedForever } from './app-session.effects';
import { CountingScheduler } from './counting-scheduler';
import { type E2eCredentials, E2eJwtApi, e2eChain, type E2eSetUp, type Req, type Res, setUpE2e } from './e2e-server';
import { FrameRecorder, identityOf } from './frame-recorder';
import { type Category, MENU_REQUEST, MenuSocket, menuEffects, menuFeature } from './menu-feature';
import { RequestTracker } from './request-tracker';
import { until } from './waiting';

/** How long a request waits for its response once sent. */
export const MODEL_REQUEST_TIMEOUT = 2000;
/** A heartbeat this short finds a silent socket within half a second. */
export const MODEL_HEARTBEAT = { interval: 100, timeout: 300 } as const;
/** The socket ids of the chain, and the path each connects to. */
export const SOCKET_PATHS = { categories: '/ws', notifications: '/ws/notifications' } as const;
export type ModelSocketId = keyof typeof SOCKET_PATHS;
export const SOCKET_IDS = Object.keys(SOCKET_PATHS) as ModelSocketId[];

/** The app's JwtApi, noting every sign-in call it makes: which attempts reached the server. */
@Injectable()
export class RecordingJwtApi extends E2eJwtApi {
  /** The login of each `login` call, and the user id of each `loginAs` call, in order. */
  readonly calls: string[] = [];

  override login(credentials: E2eCredentials) {
    this.calls.push(`login ${credentials.login}`);
    return super.login(credentials);
  }

  override loginAs(masterAccessToken: string, userId: string) {
    this.calls.push(`login as ${userId}`);
    return super.loginAs(masterAccessToken, userId);
  }
}

/** Who the app says is signed in: the current user's login and the masters' (the first master first). */
export interface SignedIn {
  readonly user: string | null;
  readonly stack: readonly string[];
}

export interface ModelApp extends E2eSetUp {
  readonly scheduler: CountingScheduler;
  readonly recorder: FrameRecorder;
  readonly tracker: RequestTracker;
  readonly jwtApi: RecordingJwtApi;
  /** Listeners on the store's action stream right after set-up: what must be left after a logout. */
  readonly baselineListeners: number;
  signedIn(): SignedIn;
  status(socketId: ModelSocketId): SocketStatus;
  menu(): Category[];
  /** Whether a login, login again, login as or logout flow is under way in the JWT package. */
  jwtBusy(): boolean;
  /** Resolves with the first action of these types dispatched from now on. */
  nextAction(types: readonly string[], ms?: number): Promise<Action>;
}

/** A fresh TestBed with the app, for one sequence. */
export function setUpModelApp(): ModelApp {
  TestBed.resetTestingModule();
  const scheduler = new CountingScheduler();
  const recorder = new FrameRecorder();
  const tracker = new RequestTracker(recorder);
  const base = e2eChain({ scheduler });
  const chain = {
    ...base,
    commonConfig: {
      ...base.commonConfig,
      requestTimeout: MODEL_REQUEST_TIMEOUT,
      setRequestId: tracker.setRequestId,
      heartbeat: { createRequest: (): Req => ({ id: 0, ping: { clientTime: Date.now() } }), ...MODEL_HEARTBEAT },
    },
  };
  const t = setUpE2e(chain, [
    { provide: E2eJwtApi, useClass: RecordingJwtApi },
    { provide: SOCKETS_WEBSOCKET_CTOR, useValue: recorder.Ctor },
    {
      provide: MENU_REQUEST,
      useFactory: () => {
        const owner = inject(WebSocketsOwnerService);
        return (label: string, request: Omit<Req, 'id'>) =>
          tracker.track(label, SOCKET_PATHS.categories, () => owner.socket<Req, Res>('categories').request({ id: 0, ...request }));
      },
    },
    MenuSocket,
    provideState(menuFeature),
    provideEffects(menuEffects, { logoutWhenSocketClosedForever }),
  ]);
  recorder.currentIdentity = () => identityOf(t.jwt.accessToken);
  const selectors = TestBed.inject(JWT_SELECTORS);
  const jwtState = t.store.selectSignal(selectors.selectJwtState);
  const menu = t.store.selectSignal(menuFeature.selectAll);

  return {
    ...t,
    scheduler,
    recorder,
    tracker,
    jwtApi: t.api as RecordingJwtApi,
    baselineListeners: t.actionListeners(),
    signedIn: () => ({
      user: t.jwt.user()?.login ?? null,
      stack: t.jwt.stashedUsers.map((user) => user.login),
    }),
    status: (socketId) => t.owner.status(socketId),
    menu: () => menu(),
    jwtBusy: () => {
      const state = jwtState();
      return state.loginInProcess || state.loginAgainInProcess || state.loginAsInProcess || state.logoutInProcess;
    },
    nextAction: (types, ms = 15_000) =>
      firstValueFrom(
        t.actions$.pipe(
          filter((action) => types.includes(action.type)),
          take(1),
          timeout({ first: ms, with: () => Promise.reject(new Error(`none of ${types.join(', ')} within ${ms} ms`)) }),
        ),
      ),
  };
}

/** Whether nothing is under way: no JWT flow, no initialization, every socket live or closed, no request waiting. */
export function isQuiet(app: ModelApp): boolean {
  return (
    !app.jwtBusy() &&
    !app.owner.initializing &&
    SOCKET_IDS.every((id) => ['live', 'closed'].includes(app.status(id))) &&
    app.tracker.pending().length === 0
  );
}

/** Whether every socket is live, or every socket is closed. */
export function socketsAgree(app: ModelApp): boolean {
  const statuses = new Set(SOCKET_IDS.map((id) => app.status(id)));
  return statuses.size === 1;
}

/** Resolves once the app is quiet and its sockets agree; a bounded wait, the failure says what did not settle. */
export async function settle(app: ModelApp, ms = 12_000): Promise<void> {
  try {
    await until(() => isQuiet(app) && socketsAgree(app), 'the app to settle', ms);
  } catch {
    const statuses = SOCKET_IDS.map((id) => `${id}: ${app.status(id)}`).join(', ');
    throw new Error(
      `The app did not settle within ${ms} ms: JWT flow under way ${app.jwtBusy()}, initializing ${app.owner.initializing}, ` +
        `${statuses}, requests waiting ${app.tracker.pending().length}, signed in ${JSON.stringify(app.signedIn())}.`,
    );
  }
}
