import { TestBed } from '@angular/core/testing';
import type { FakeJwtUser } from 'ngx-customapp-jwt/testing';
import type { JwtGroup, JwtInfo } from 'ngx-customapp-jwt';
import { EMPTY, of } from 'rxjs';
import {
  AUTH_BEFORE_SOCKET_CONFIG,
  type AuthBeforeSocketConfig,
  type CommonWebSocketConfig,
  type IndividualWebSocketConfig,
  initSocketsErrored,
  initSocketsSucceed,
  provideAuthBeforeSocket,
  type WebSocketChain,
  type WebSocketChainLink,
} from '../public-api';
import { fakeChain, type JsonRequest, type JsonResponse, MAIN_URL, sent, serve } from '../spec-support/fake-chain';
import { type FakeSetUp, MANAGER, jwtActions, setUpFake } from '../spec-support/set-up-fake';
import { isWebSocketChain } from './web-socket-chain-adapter';

type Chain = WebSocketChain<JsonRequest, JsonResponse, string, FakeJwtUser>;
type Socket = IndividualWebSocketConfig<JsonRequest, JsonResponse, FakeJwtUser>;

/** A socket as a 1.2.x app writes it: the token from the JwtGroup, Observables everywhere. */
function socket1_2(overrides: Partial<Socket> = {}): Socket {
  return {
    socketId: 'main',
    url: MAIN_URL,
    authorize: { createRequest: (_user, jwt) => of({ id: 0, auth: { accessToken: jwt?.accessToken?.token ?? '' } }) },
    subscribe: { createRequests: () => of([{ id: 0, sub: { kind: 'CATEGORIES' } }]) },
    ...overrides,
  };
}

function chain1_2(sockets: Socket[] = [socket1_2()]): Chain {
  const commonConfig: CommonWebSocketConfig<JsonRequest, JsonResponse, string> = {
    serializer: (request) => JSON.stringify(request),
    deserializer: (event) => JSON.parse(event.data) as JsonResponse,
    setRequestId: (request, id) => ({ ...request, id }),
    getResponseId: (response) => response.id ?? 0,
    isErrorResponse: (response) => !!response.error,
  };
  const chain: WebSocketChainLink<JsonRequest, JsonResponse, FakeJwtUser> = { sockets };
  return { commonConfig, commonOpenOptions: { autoReconnect: { interval: () => 10 } }, chain };
}

function errorOf(t: FakeSetUp): string | undefined {
  return (t.dispatched.find((action) => action.type === initSocketsErrored.type) as ReturnType<typeof initSocketsErrored> | undefined)?.error;
}

describe('a 1.2.x WebSocketChain', () => {
  describe('is told from an AuthBeforeSocketConfig by its shape', () => {
    it('has what 1.2.x required and nothing else', () => {
      expect(isWebSocketChain(chain1_2())).toBeTrue();
      const { setRequestId: _, ...withoutSetRequestId } = chain1_2().commonConfig;
      expect(isWebSocketChain({ ...chain1_2(), commonConfig: withoutSetRequestId })).toBeFalse();
      const { commonOpenOptions: __, ...withoutOpenOptions } = chain1_2();
      expect(isWebSocketChain(withoutOpenOptions)).toBeFalse();
    });

    it('any option 1.3 added makes it a 1.3 configuration', () => {
      /** A 1.2.x chain with one change, read by the rule. */
      const readAs1_2 = (change: (chain: Chain, socket: Record<string, unknown>, authorize: Record<string, unknown>) => void) => {
        const authorize = { createRequest: () => of(undefined) };
        const socket = { socketId: 'main', url: MAIN_URL, authorize };
        const chain = chain1_2([socket]);
        change(chain, socket, authorize);
        return isWebSocketChain(chain);
      };
      expect(readAs1_2(() => undefined)).toBeTrue();
      expect(readAs1_2((chain) => Object.assign(chain.commonConfig, { describeError: () => 'refused' }))).toBeFalse();
      expect(readAs1_2((chain) => Object.assign(chain, { commonOpenOptions: { autoReconnect: false } }))).toBeFalse();
      expect(readAs1_2((_, socket) => (socket['openOptions'] = {}))).toBeFalse();
      expect(readAs1_2((_, socket) => (socket['url'] = () => MAIN_URL))).toBeFalse();
      expect(readAs1_2((_, __, authorize) => (authorize['isTokenExpiredResponse'] = () => false))).toBeFalse();
    });

    it('the unit specs\' own 1.3 chain is not one', () => {
      expect(isWebSocketChain(fakeChain())).toBeFalse();
    });
  });

  describe('set up with provideAuthBeforeSocket()', () => {
    let t: FakeSetUp;
    let handed: { user: FakeJwtUser | undefined; jwt: JwtGroup<JwtInfo> | undefined }[];

    function setUp(sockets: Socket[], chain = chain1_2(sockets)): void {
      t = setUpFake({ sockets: provideAuthBeforeSocket(chain) });
    }

    beforeEach(() => {
      handed = [];
    });

    it('authorizes with the JwtGroup of the session, its access token fresh, and the current user', () => {
      setUp([
        socket1_2({
          authorize: {
            createRequest: (user, jwt) => {
              handed.push({ user, jwt });
              return of({ id: 0, auth: { accessToken: jwt?.accessToken?.token ?? '' } });
            },
          },
        }),
      ]);
      t.store.dispatch(jwtActions.login({ credentials: MANAGER }));
      serve(t.server.last(MAIN_URL));

      expect(t.types()).toContain(initSocketsSucceed.type);
      expect(handed.length).toBe(1);
      expect(handed[0].user?.login).toBe('manager');
      expect(handed[0].jwt).toEqual(t.jwt.jwt);
      expect(handed[0].jwt?.accessToken?.token).toBe(t.jwt.accessToken!);
      expect(sent(t.server.last(MAIN_URL))[0].auth?.accessToken).toBe(t.jwt.accessToken!);
    });

    it('gives AUTH_BEFORE_SOCKET_CONFIG as the AuthBeforeSocketConfig it maps onto', () => {
      const chain = chain1_2();
      setUp([], chain);
      const config = TestBed.inject(AUTH_BEFORE_SOCKET_CONFIG) as AuthBeforeSocketConfig<JsonRequest, JsonResponse, string, FakeJwtUser>;
      expect(config as object).not.toBe(chain);
      expect(config.chain.sockets.map((socket) => socket.socketId)).toEqual(['main']);
      expect(config.commonConfig).toBe(chain.commonConfig);
      expect(config.commonOpenOptions).toBe(chain.commonOpenOptions);
    });

    it('ends the chain when socketsReady completes without a link (1.2.x never finished the init)', () => {
      const chain = chain1_2();
      chain.chain.socketsReady = () => EMPTY;
      setUp([], chain);
      t.store.dispatch(jwtActions.login({ credentials: MANAGER }));
      serve(t.server.last(MAIN_URL));

      expect(t.types()).toContain(initSocketsSucceed.type);
    });

    it('stops a socket whose createRequest emits undefined, as 1.2.x documented', () => {
      setUp([socket1_2({ authorize: { createRequest: () => of(undefined) } })]);
      t.store.dispatch(jwtActions.login({ credentials: MANAGER }));
      t.server.last(MAIN_URL).accept();

      expect(errorOf(t)).toContain('The authorize.createRequest of socket "main" emitted no request, which stops the socket');
      expect(t.server.open().length).toBe(0);
    });

    it('stops a socket whose createRequests emits undefined, as 1.2.x documented', () => {
      setUp([socket1_2({ subscribe: { createRequests: () => of(undefined) } })]);
      t.store.dispatch(jwtActions.login({ credentials: MANAGER }));
      serve(t.server.last(MAIN_URL));

      expect(errorOf(t)).toContain('The subscribe.createRequests of socket "main" emitted no request');
      expect(t.server.open().length).toBe(0);
    });

    it('says so when a callback read as 1.2.x returns no Observable (a 1.3 callback in a chain of 1.2.x shape)', () => {
      const createRequest = ((_user: unknown, jwt: string) => ({ id: 0, auth: { accessToken: jwt } })) as unknown as NonNullable<
        Socket['authorize']
      >['createRequest'];
      setUp([socket1_2({ authorize: { createRequest } })]);
      t.store.dispatch(jwtActions.login({ credentials: MANAGER }));
      t.server.last(MAIN_URL).accept();

      expect(errorOf(t)).toContain('returned a plain object where a 1.2.x WebSocketChain returns an Observable');
      expect(errorOf(t)).toContain('give it any option 1.3 added');
    });
  });
});
