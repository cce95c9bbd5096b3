import { api, decodeResponse, encodeRequest, Subprotocol } from '@e2e-server/protocol';
import type { WebSocketChain } from 'ngx-customapp-pattern-auth-before-socket';
import { of } from 'rxjs';
import type { UserInfo } from '../auth/auth.models';

/** A request as the app writes it; the socket stamps its `id`. */
export type Req = api.Request.$Properties;
/** A decoded response or push. */
export type Res = api.Response;

/** The app's one socket: menu requests and the CATEGORIES subscription. */
export const mainSocketId = 'main';

/**
 * The sockets opened after every login: the main socket authorizes with the session's access token,
 * then subscribes to the menu's categories. Binary frames carry protobuf.
 */
export function createSocketChain(wsUrl: string): WebSocketChain<Req, Res, ArrayBuffer, UserInfo> {
  return {
    commonConfig: {
      binaryType: 'arraybuffer',
      // protobufjs may hand back a view of a larger buffer: slice() gives the frame its own.
      serializer: (request) => encodeRequest(request).slice().buffer,
      deserializer: (event) => decodeResponse(new Uint8Array(event.data)),
      setRequestId: (request, id) => ({ ...request, id }),
      getResponseId: (response) => response.id,
      isErrorResponse: (response) => !!response.error,
      requestTimeout: 10_000,
    },
    commonOpenOptions: {
      autoReconnect: { interval: () => 500 + Math.round(Math.random() * 1500) },
    },
    chain: {
      sockets: [
        {
          socketId: mainSocketId,
          url: wsUrl,
          protocol: Subprotocol.Protobuf,
          authorize: {
            createRequest: (_user, jwt) => of<Req>({ id: 0, auth: { accessToken: jwt?.accessToken?.token } }),
            isResponseSuccessful: (response) => !!response.auth,
          },
          subscribe: {
            createRequests: () => of<Req[]>([{ id: 0, sub: { kind: api.SubKind.CATEGORIES } }]),
            isResponseSuccessful: (response) => !!response.subscribed,
          },
        },
      ],
    },
  };
}
