import { inject, Injectable } from '@angular/core';
import type { api } from '@e2e-server/protocol';
import type { WebSocketControllerError } from 'customapp-rxjs-websocket';
import { WebSocketsOwnerService } from 'ngx-customapp-pattern-auth-before-socket';
import { filter, map, type Observable } from 'rxjs';
import type { AuthResponse, Credentials, User } from '../auth/auth';
import { type Category, toCategory } from '../menu/category';
import { SocketId, type SocketFrame, type SocketRequest, type SocketResponse } from './socket-chain';

/**
 * The app's access to its sockets: requests on the main socket and the pushes of both. The
 * controllers belong to `WebSocketsOwnerService`, which opens them after sign-in (authorized as the
 * current user) and closes them at logout; they exist from the start, so these streams can be
 * subscribed to before anyone signs in.
 */
@Injectable({ providedIn: 'root' })
export class BaseSocketService {
  private readonly owner: WebSocketsOwnerService<SocketRequest, SocketResponse, SocketFrame, User, Credentials, AuthResponse> =
    inject(WebSocketsOwnerService);

  private get main() {
    return this.owner.sockets[SocketId.main];
  }

  private get notifications() {
    return this.owner.sockets[SocketId.notifications];
  }

  /**
   * Sends a request on the main socket and gives its response. The request waits while the socket
   * (re)connects; an error response fails it with the server's message.
   */
  request(request: Omit<SocketRequest, 'id'>): Observable<SocketResponse> {
    return this.main.request({ id: 0, ...request });
  }

  /** Failures of the main socket (drops, unreadable frames); it reconnects on its own. */
  get error$(): Observable<WebSocketControllerError> {
    return this.main.error$;
  }

  /** The subscription pushes of the main socket (CATEGORIES, and AUDIT_LOG for admins). */
  get sub$(): Observable<api.SubscriptionPush> {
    return pushesOf(this.main.messages$);
  }

  /** The subscription pushes of the notifications socket. */
  get notificationsSub$(): Observable<api.SubscriptionPush> {
    return pushesOf(this.notifications.messages$);
  }

  addCategory(name: string): Observable<Category> {
    return this.request({ menuAdd: { name } }).pipe(map((response) => toCategory(response.menuAdd?.category ?? {})));
  }

  renameCategory(id: string, name: string): Observable<Category> {
    return this.request({ menuRename: { id, name } }).pipe(map((response) => toCategory(response.menuRename?.category ?? {})));
  }

  deleteCategory(id: string): Observable<string> {
    return this.request({ menuDelete: { id } }).pipe(map((response) => response.menuDelete?.id ?? id));
  }
}

function pushesOf(messages$: Observable<SocketResponse>): Observable<api.SubscriptionPush> {
  return messages$.pipe(
    map((message) => message.sub),
    filter((push): push is api.SubscriptionPush => !!push),
  );
}
