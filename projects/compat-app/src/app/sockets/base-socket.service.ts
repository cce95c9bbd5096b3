import { Injectable } from '@angular/core';
import type { api } from '@e2e-server/protocol';
import { WebSocketsOwnerService } from 'ngx-customapp-pattern-auth-before-socket';
import { catchError, filter, map, type Observable, throwError } from 'rxjs';
import type { AuthResponse, Credentials, UserInfo } from '../auth/auth.models';
import { mainSocketId, type Req, type Res } from './socket-chain';

/** What went wrong with a request, in words: the server's message, or the error's own. */
export function describeSocketError(error: unknown): string {
  const response = error as Partial<Res> | null;
  if (response?.error?.message) return response.error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'The request failed. Try again.';
}

/** The app's access to its socket: requests, pushes and failures of the main socket. */
@Injectable({ providedIn: 'root' })
export class BaseSocketService {
  constructor(private sockets: WebSocketsOwnerService<Req, Res, ArrayBuffer, UserInfo, Credentials, AuthResponse>) {}

  // For now, there is only one socket.
  get socket() {
    return this.sockets.sockets[mainSocketId];
  }

  /** Sends a request (the id is set by `setRequestId`) and gives its response; failures become readable messages. */
  request(request: Omit<Req, 'id'>): Observable<Res> {
    return this.socket.request({ id: 0, ...request }).pipe(catchError((error: unknown) => throwError(() => new Error(describeSocketError(error)))));
  }

  /** The subscription pushes. */
  get sub$(): Observable<api.ISubscriptionPush> {
    return this.socket.messages$.pipe(
      filter((message) => !!message.sub),
      map((message) => message.sub!),
    );
  }

  /** Whom the server took each new connection for (its auth answer). */
  get authorizedUser$(): Observable<api.IUser | undefined> {
    return this.socket.authorized$.pipe(map((response) => response?.auth?.user ?? undefined));
  }

  /** Failures of the socket; it reconnects on its own. */
  get error$(): Observable<unknown> {
    return this.socket.error$;
  }

  menuList(): Observable<api.ICategory[]> {
    return this.request({ menuList: {} }).pipe(map((response) => response.menuList?.categories ?? []));
  }

  addMenuItem(menuAdd: api.IMenuAddRequest): Observable<api.ICategory> {
    return this.request({ menuAdd }).pipe(map((response) => response.menuAdd!.category!));
  }

  renameMenuItem(menuRename: api.IMenuRenameRequest): Observable<api.ICategory> {
    return this.request({ menuRename }).pipe(map((response) => response.menuRename!.category!));
  }

  deleteMenuItem(menuDelete: api.IMenuDeleteRequest): Observable<string> {
    return this.request({ menuDelete }).pipe(map((response) => response.menuDelete!.id!));
  }
}
