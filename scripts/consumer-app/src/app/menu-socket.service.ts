import { Injectable, inject } from '@angular/core';
import type { WebSocketControllerError } from 'customapp-rxjs-websocket';
import { WebSocketsOwnerService } from 'ngx-customapp-pattern-auth-before-socket';
import { filter, map, type Observable } from 'rxjs';
import type { AuthResponse, Credentials, User } from './auth';
import { type ApiRequest, type ApiResponse, mainSocketId } from './sockets';

/** Requests and pushes of the main socket, which the package opens after sign-in. */
@Injectable({ providedIn: 'root' })
export class MenuSocketService {
  private readonly owner: WebSocketsOwnerService<ApiRequest, ApiResponse, string, User, Credentials, AuthResponse> =
    inject(WebSocketsOwnerService);

  private get socket() {
    return this.owner.sockets[mainSocketId];
  }

  get error$(): Observable<WebSocketControllerError> {
    return this.socket.error$;
  }

  get pushes$(): Observable<NonNullable<ApiResponse['push']>> {
    return this.socket.messages$.pipe(
      map((message) => message.push),
      filter((push) => push !== undefined),
    );
  }

  addCategory(name: string): Observable<string> {
    return this.socket.request({ id: 0, menuAdd: { name } }).pipe(map((response) => response.menuAdd?.category.id ?? ''));
  }
}
