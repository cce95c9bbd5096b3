import { inject } from '@angular/core';
import type { WebSocketController } from 'customapp-rxjs-websocket';
import type { AuthBeforeSocketConfig, SocketId } from './socket-config';
import type { WebSocketChain } from './web-socket-chain';
import { WebSocketsOwnerService } from './websockets-owner.service';

/**
 * One socket's controller, typed without spelling `WebSocketsOwnerService`'s seven type parameters; call
 * it in an injection context (a field initializer). Give the request and response types, or the
 * package's config, whose types it reads. The socket must be in the chain's first link (a later
 * link's socket exists once the chain reaches it: read `WebSocketsOwnerService.socket(id)` then).
 * Throws `AuthBeforeSocketError` for an id the chain does not have.
 *
 * @example
 * @Injectable({ providedIn: 'root' })
 * export class CategoriesSocket {
 *   private readonly socket = injectSocket<api.Request.$Properties, api.Response>('categories');
 *   // or, the types read from the config: injectSocket(socketsConfig, 'categories')
 *   add(name: string) { return this.socket.request({ id: 0, menuAdd: { name } }); }
 * }
 */
export function injectSocket<Req, Res, Data = unknown>(socketId: SocketId): WebSocketController<Req, Res, Data>;
export function injectSocket<Req, Res, Data, UserInfo>(
  config: AuthBeforeSocketConfig<Req, Res, Data, UserInfo>,
  socketId: SocketId,
): WebSocketController<Req, Res, Data>;
/** @deprecated Pass an AuthBeforeSocketConfig (or the types) instead; see MIGRATION.md. */
export function injectSocket<Req, Res, Data, UserInfo>(
  chain: WebSocketChain<Req, Res, Data, UserInfo>,
  socketId: SocketId,
): WebSocketController<Req, Res, Data>;
export function injectSocket<Req, Res, Data>(
  ...args: [SocketId] | [AuthBeforeSocketConfig<Req, Res, Data, unknown> | WebSocketChain<Req, Res, Data, unknown>, SocketId]
): WebSocketController<Req, Res, Data> {
  const socketId = args.length === 1 ? args[0] : args[1];
  return inject(WebSocketsOwnerService).socket<Req, Res, Data>(socketId);
}
