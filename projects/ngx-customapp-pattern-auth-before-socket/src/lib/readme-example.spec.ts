// The README's example, compiled and run against the bundled e2e-server: the chain config, the
// NgModule setup, BaseSocketService (request, error$, sub$, subscribe, addMenuItem) and
// CategoriesEffects mapping sub$ to entity actions. Adapted only where the README says "your app"
// (the URLs come from the karma plugin, the JwtApi and ErrorsService are minimal ones).
import { provideHttpClient, withFetch } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Actions, EffectsModule, createEffect } from '@ngrx/effects';
import { type Action, Store, StoreModule, createAction, props } from '@ngrx/store';
import { WebSocketController, type WebSocketControllerError } from 'customapp-rxjs-websocket';
import { JWT_STORAGE, JwtModule, MemoryJwtStorage } from 'ngx-customapp-jwt';
import { EMPTY, type Observable, catchError, filter, firstValueFrom, map, mergeMap, of, throwError } from 'rxjs';
import { api, decodeResponse, encodeRequest } from '../../../../e2e-server/src/protocol';
import {
  PatternAuthBeforeSocketModule,
  type SocketsRootState,
  type AuthBeforeSocketConfig,
  WebSocketsOwnerService,
  injectSocket,
  loginAndInitSocketsSucceed,
  socketsFeatureKey,
} from '../public-api';
import { authActions, control, E2eJwtApi, e2eServer, httpLogin } from '../spec-support/e2e-server';
import { next } from '../spec-support/waiting';

// ------------------------------------------------------------------ the app's types (README §1)

interface UserInfo {
  id: string;
  login: string;
  name: string;
  role: 'ADMIN' | 'MANAGER' | 'VIEWER';
}
interface UserCredentials {
  login: string;
  password: string;
}
interface AuthResponse {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  user: UserInfo;
}

/** The app's error conventions (the README's "ngx-customapp-errors" role), minimal. */
@Injectable({ providedIn: 'root' })
class ErrorsService {
  readonly reported: unknown[] = [];
  reportError = (error: unknown): Observable<never> => {
    this.reported.push(error);
    return throwError(() => error);
  };
  toUserError = (error: unknown): Observable<never> =>
    throwError(() => new Error(`Sorry: ${error instanceof Error ? error.message : String(error)}`));
}

// ------------------------------------------------------------------ README §2: the sockets

const socketId = 'categories';

const socketsConfig = (): AuthBeforeSocketConfig<api.Request.$Properties, api.Response.$Properties, ArrayBuffer, UserInfo> => ({
  commonConfig: {
    binaryType: 'arraybuffer',
    serializer: (request) => encodeRequest(request).slice().buffer,
    deserializer: (event) => decodeResponse(new Uint8Array(event.data)),
    isErrorResponse: (response) => !!response.error,
    describeError: (response) => response.error?.message ?? 'Unknown error',
  },
  commonOpenOptions: { autoReconnect: { interval: ({ attempt }) => Math.min(30_000, 500 * 2 ** attempt) } },
  chain: {
    sockets: [
      {
        socketId,
        url: () => e2eServer().wsUrl,
        protocol: 'api.v1.protobuf',
        authorize: {
          createRequest: (user, jwt) => ({ id: 0, auth: { accessToken: jwt } }),
          isTokenExpiredResponse: (response) => response.error?.code === api.ErrorCode.TOKEN_EXPIRED,
        },
        subscribe: {
          createRequests: (user, jwt, authResponse) => [{ id: 0, sub: { kind: api.SubKind.CATEGORIES } }],
        },
      },
      {
        socketId: 'notifications',
        url: () => e2eServer().notificationsUrl,
        authorize: { createRequest: (user, jwt) => ({ id: 0, auth: { accessToken: jwt } }) },
        subscribe: { createRequests: () => [{ id: 0, sub: { kind: api.SubKind.NOTIFICATIONS } }] },
      },
    ],
    socketsReady: (user, jwt, responses) => undefined,
  },
});

// ------------------------------------------------------------------ README §3: the app state

interface AppState {
  // ... other fields of the state
  [socketsFeatureKey]: SocketsRootState;
}

// ------------------------------------------------------------------ README §5: the service

@Injectable({ providedIn: 'root' })
class BaseSocketService {
  constructor(
    // Injecting a service with initialized sockets
    private sockets: WebSocketsOwnerService<api.Request.$Properties, api.Response.$Properties, ArrayBuffer, UserInfo, UserCredentials, AuthResponse>,
    private errorsService: ErrorsService,
  ) {}

  // For now, we assume that there is only one socket.
  get socket() {
    return this.sockets.sockets[socketId];
  }

  // The id is set by the setRequestId function of AuthBeforeSocketConfig.commonConfig,
  // so it is omitted from the argument of the function below.
  private request(req: Omit<api.Request.$Properties, 'id'>): Observable<api.Response.$Properties> {
    return this.socket.request({ id: 0, ...req }).pipe(
      // Handling errors, according to the app's conventions
      catchError(this.errorsService.reportError),
      catchError(this.errorsService.toUserError),
    );
  }

  // Helper to listen for errors.
  get error$(): Observable<WebSocketControllerError> {
    return this.socket.error$;
  }

  // The subscription pushes.
  get sub$(): Observable<api.SubscriptionPush.$Properties> {
    return this.socket.messages$.pipe(
      filter((message) => !!message.sub),
      map((message) => message.sub!),
    );
  }

  // Helper to make a subscription
  subscribe(kind: api.SubKind): Observable<void> {
    return this.request({ sub: { kind } }).pipe(map(() => void 0));
  }

  // Example of a request function
  addMenuItem(menuAdd: api.MenuAddRequest.$Properties): Observable<api.MenuAddResponse.$Properties> {
    return this.request({ menuAdd }).pipe(map((response) => response.menuAdd!));
  }
}

// ------------------------------------------------------------------ README §5: one socket, without the seven type parameters

@Injectable({ providedIn: 'root' })
class CategoriesSocket {
  private readonly socket = injectSocket<api.Request.$Properties, api.Response.$Properties>(socketId);
  // or, the types read from the configuration:
  readonly sameSocket = injectSocket(socketsConfig(), socketId);

  addMenuItem(menuAdd: api.MenuAddRequest.$Properties): Observable<api.MenuAddResponse.$Properties> {
    return this.socket.request({ id: 0, menuAdd }).pipe(map((response) => response.menuAdd!));
  }
}

enum UpdateType {
  list = 'list',
  entity = 'entity',
  delete = 'delete',
}

const menuCategoriesUpdated = createAction(
  '[menu] categories updated',
  props<
    | { updateType: UpdateType.list; data: api.CategoryList.$Properties }
    | { updateType: UpdateType.entity; data: api.Category.$Properties }
    | { updateType: UpdateType.delete; data: string }
  >(),
);

// An effect to work with the entity called Category
@Injectable()
class CategoriesEffects {
  // inject(), not a constructor parameter: field initializers run before parameter properties are set
  // when useDefineForClassFields is on (TypeScript's default for the ES2022 target of Angular workspaces).
  private readonly baseSocketService = inject(BaseSocketService);

  handleSub$ = createEffect(() =>
    this.baseSocketService.sub$.pipe(
      mergeMap((sub) => {
        if (sub.categories) {
          // Some entities must be added or replaced
          return of(menuCategoriesUpdated({ updateType: UpdateType.list, data: sub.categories }));
        } else if (sub.categoryUpdate) {
          // One entity must be updated
          return of(menuCategoriesUpdated({ updateType: UpdateType.entity, data: sub.categoryUpdate }));
        } else if (sub.categoryDelete) {
          // One entity must be deleted
          return of(menuCategoriesUpdated({ updateType: UpdateType.delete, data: sub.categoryDelete }));
        } else {
          return EMPTY;
        }
      }),
    ),
  );
}

// ------------------------------------------------------------------ the example, run

type CategoriesUpdated = ReturnType<typeof menuCategoriesUpdated>;

describe('the README example against the e2e-server', () => {
  let store: Store<AppState>;
  let actions$: Actions<Action>;
  let service: BaseSocketService;

  beforeEach(async () => {
    await control('reset');
    TestBed.configureTestingModule({
      imports: [
        StoreModule.forRoot({}),
        EffectsModule.forRoot([CategoriesEffects]),
        JwtModule.forRoot({ api: E2eJwtApi }),
        PatternAuthBeforeSocketModule.forRoot(socketsConfig()),
      ],
      providers: [provideHttpClient(withFetch()), { provide: JWT_STORAGE, useValue: new MemoryJwtStorage() }],
    });
    store = TestBed.inject(Store<AppState>);
    actions$ = TestBed.inject(Actions);
    service = TestBed.inject(BaseSocketService);
  });

  afterEach(async () => {
    await firstValueFrom(TestBed.inject(WebSocketsOwnerService).closeAll());
  });

  async function logIn(login: string): Promise<void> {
    const done = next(actions$, (a) => a.type === loginAndInitSocketsSucceed.type);
    store.dispatch(authActions.login({ credentials: { login, password: `${login}-pass` } }));
    await done;
  }

  function categoriesUpdated(predicate: (action: CategoriesUpdated) => boolean): Promise<CategoriesUpdated> {
    return next(actions$, (a) => a.type === menuCategoriesUpdated.type && predicate(a as CategoriesUpdated)) as Promise<CategoriesUpdated>;
  }

  it('turns a change made by another client into an entity action', async () => {
    const list = categoriesUpdated((a) => a.updateType === UpdateType.list);
    await logIn('manager');
    expect(((await list).data as api.CategoryList.$Properties).items?.map((c) => c.name)).toContain('Starters');
    expect(store.selectSignal((state) => state[socketsFeatureKey].sockets[socketId].status)()).toBe('live');

    const other = await httpLogin('admin');
    const admin = new WebSocketController<api.Request.$Properties, api.Response.$Properties, ArrayBuffer>({
      ...socketsConfig().commonConfig,
      url: e2eServer().wsUrl,
      authorize: { createRequest: () => of({ id: 0, auth: { accessToken: other.accessToken } }) },
    });
    await firstValueFrom(admin.open({ autoReconnect: false }));
    const added = categoriesUpdated((a) => a.updateType === UpdateType.entity && (a.data as api.Category.$Properties).name === 'Soups');
    const category = (await firstValueFrom(admin.request({ id: 0, menuAdd: { name: 'Soups' } }))).menuAdd!.category!;

    expect(((await added).data as api.Category.$Properties).id).toBe(category.id!);
    expect(((await added).data as api.Category.$Properties).updatedBy).toBe('admin');

    const deleted = categoriesUpdated((a) => a.updateType === UpdateType.delete);
    await firstValueFrom(admin.request({ id: 0, menuDelete: { id: category.id! } }));
    expect((await deleted).data).toBe(category.id!);
    await firstValueFrom(admin.close());
  });

  it('sends requests through BaseSocketService and reports refusals the app\'s way', async () => {
    await logIn('manager');
    const added = await firstValueFrom(service.addMenuItem({ name: 'Salads' }));
    expect(added.category?.name).toBe('Salads');

    const refused = await firstValueFrom(service.subscribe(api.SubKind.AUDIT_LOG)).catch((error: Error) => error);
    expect((refused as Error).message).toMatch(/^Sorry: /);
    expect(TestBed.inject(ErrorsService).reported.length).toBe(1);

    const errors: string[] = [];
    const listening = service.error$.subscribe((error) => errors.push(error.name));
    await control('drop');
    await next(actions$, (a) => a.type.endsWith('socket state changed') && (a as Action & { status: string }).status === 'live', 10_000);
    listening.unsubscribe();
    expect(errors).toContain('ConnectionLostError');
  });

  it('reaches one socket with injectSocket, typed without the seven type parameters', async () => {
    const categories = TestBed.inject(CategoriesSocket);
    expect(categories.sameSocket).toBe(TestBed.inject(WebSocketsOwnerService).sockets[socketId]);
    await logIn('manager');

    expect((await firstValueFrom(categories.addMenuItem({ name: 'Desserts' }))).category?.name).toBe('Desserts');
  });
});
