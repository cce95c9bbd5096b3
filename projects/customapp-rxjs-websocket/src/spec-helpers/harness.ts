import { FakeSockets, FakeWebSocket } from 'customapp-rxjs-websocket/testing';
import { Observable, of, Subject } from 'rxjs';
import { WebSocketController, WebSocketControllerConfig, WebSocketControllerError } from 'customapp-rxjs-websocket';
import { ManualScheduler } from './manual-scheduler';

/** The JSON protocol the unit tests speak: numeric ids, `error` on refusals, pushes with id 0. */
export interface TestRequest {
  id: number;
  type: string;
  token?: string;
  renewed?: boolean;
  kind?: string;
  payload?: unknown;
}

export interface TestResponse {
  id: number;
  ok?: boolean;
  error?: string;
  push?: unknown;
  echo?: unknown;
}

export type TestConfig = WebSocketControllerConfig<TestRequest, TestResponse, string>;

export interface Harness {
  controller: WebSocketController<TestRequest, TestResponse, string>;
  sockets: FakeSockets;
  scheduler: ManualScheduler;
  online: Subject<void>;
  errors: WebSocketControllerError[];
  /** The tokens handed out, one per auth request. */
  tokens: string[];
}

/** A controller over fake sockets and virtual time, with auth and two subscriptions by default. */
export function createHarness(
  overrides: Partial<TestConfig> = {},
  auth: { isResponseSuccessful?: (response: TestResponse) => boolean } = {},
): Harness {
  const sockets = new FakeSockets();
  const scheduler = new ManualScheduler();
  const online = new Subject<void>();
  const tokens: string[] = [];
  const config: TestConfig = {
    url: 'ws://test.local/ws',
    WebSocketCtor: sockets.Ctor,
    scheduler,
    online$: online,
    requestTimeout: 5000,
    isErrorResponse: (response) => response.error !== undefined,
    describeError: (response) => response.error ?? 'unknown error',
    authorize: {
      createRequest: (context): Observable<TestRequest> => {
        const token = `token-${tokens.length + 1}`;
        tokens.push(token);
        return of({ id: 0, type: 'auth', token, renewed: context.tokenExpired });
      },
      isTokenExpiredResponse: (response) => response.error === 'token expired',
      isResponseSuccessful: auth.isResponseSuccessful,
    },
    subscribe: {
      createRequests: () =>
        of([
          { id: 0, type: 'sub', kind: 'categories' },
          { id: 0, type: 'sub', kind: 'notifications' },
        ]),
    },
    ...overrides,
  };
  const controller = new WebSocketController(config);
  const errors: WebSocketControllerError[] = [];
  controller.error$.subscribe((error) => errors.push(error));
  return { controller, sockets, scheduler, online, errors, tokens };
}

/** The frames a socket sent, parsed. */
export function sent(ws: FakeWebSocket): TestRequest[] {
  return ws.sentJson as TestRequest[];
}

/** Answers a request the socket sent, by its id. */
export function answer(ws: FakeWebSocket, request: TestRequest, extra: Partial<TestResponse> = { ok: true }): void {
  ws.receiveJson({ id: request.id, ...extra });
}

/** Plays the server's side of a full handshake: accept (unless done), accept the auth, acknowledge the subscriptions. */
export function handshake(ws: FakeWebSocket): void {
  if (ws.readyState === 0) ws.accept();
  const [auth] = sent(ws).filter((r) => r.type === 'auth');
  answer(ws, auth);
  for (const sub of sent(ws).filter((r) => r.type === 'sub')) answer(ws, sub);
}
