import { Injectable, InjectionToken, type OnDestroy, inject } from '@angular/core';
import { WebSocketController, type WebSocketCtor } from 'customapp-rxjs-websocket';
import { type RoomsFrame, joinRoom, roomsPreset } from 'customapp-rxjs-websocket/presets';
import { JwtService } from 'ngx-customapp-jwt';
import { type AuthBeforeSocketConfig, presetSocket } from 'ngx-customapp-pattern-auth-before-socket';
import { filter, map, type Observable, of } from 'rxjs';
import type { AuthResponse, Credentials, User } from './auth';

/** The WebSocket constructor of the rooms socket, when not the browser's (offline mode, tests). */
export const ROOMS_WEBSOCKET_CTOR = new InjectionToken<WebSocketCtor>('ROOMS_WEBSOCKET_CTOR');

const roomsUrl = () => `${location.origin.replace(/^http/, 'ws')}/dialects/rooms`;

/** A rooms server's socket of its own, outside the chain, authorized with the session's fresh token. */
@Injectable({ providedIn: 'root' })
export class RoomsSocket implements OnDestroy {
  private readonly jwt: JwtService<Credentials, AuthResponse, User, string> = inject(JwtService);

  private readonly webSocketCtor = inject(ROOMS_WEBSOCKET_CTOR, { optional: true }) ?? undefined;

  readonly controller = new WebSocketController({
    ...roomsPreset({
      url: roomsUrl,
      token: (context) => this.jwt.freshJwt(context.tokenExpired ? { rejectedToken: this.jwt.accessToken ?? '' } : {}),
      rooms: [{ name: '/menu', token: () => of('room-token') }],
    }),
    WebSocketCtor: this.webSocketCtor,
  });

  /** The resource events of every joined room. */
  readonly resources$: Observable<RoomsFrame> = this.controller.messages$.pipe(filter((frame) => frame.event === 'realtime:resource'));

  join(name: string, token: string): Observable<string | undefined> {
    return this.controller.request(joinRoom(name, token)).pipe(map((answer) => answer.data?.name));
  }

  ngOnDestroy(): void {
    this.controller.close().subscribe();
  }
}

/** The same preset as a link of a chain: the chain hands it a fresh token for every connection. */
export const roomsChain: AuthBeforeSocketConfig<RoomsFrame, RoomsFrame, string, User> = {
  chain: {
    sockets: [presetSocket<RoomsFrame, RoomsFrame, string, User>('rooms', (token) => roomsPreset({ url: roomsUrl, token }))],
  },
};
