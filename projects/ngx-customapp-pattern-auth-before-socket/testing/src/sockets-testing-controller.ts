import { Injectable } from '@angular/core';
import type { WebSocketCtor } from 'customapp-rxjs-websocket';
import { FakeSockets, type FakeWebSocket } from 'customapp-rxjs-websocket/testing';

const CONNECTING = 0;
const OPEN = 1;

/**
 * The scripted server side of every socket the package opens in a test (see
 * `provideAuthBeforeSocketTesting()`): find a socket by its URL, accept it, answer its frames, drop it.
 * Nothing happens on its own, so the test decides every event and its order.
 *
 * @example
 * const server = TestBed.inject(SocketsTestingController);
 * store.dispatch(authActions.login({ credentials }));
 * const main = server.last('/ws');
 * main.accept();
 * main.receiveJson({ id: 1, auth: { user } });
 * afterEach(() => server.verify());
 */
@Injectable()
export class SocketsTestingController {
  /** Every fake socket made so far, and the constructor that makes them. */
  readonly fakeSockets = new FakeSockets();

  /** The constructor the package's sockets are made with. */
  get Ctor(): WebSocketCtor {
    return this.fakeSockets.Ctor;
  }

  /** Every socket made for a URL that contains `urlPart` (every socket without it), oldest first. */
  all(urlPart = ''): FakeWebSocket[] {
    return this.fakeSockets.all.filter((socket) => socket.url.includes(urlPart));
  }

  /** The newest socket made for a URL that contains `urlPart`; throws when there is none. */
  last(urlPart = ''): FakeWebSocket {
    const matching = this.all(urlPart);
    const socket = matching[matching.length - 1];
    if (!socket) {
      const made = this.fakeSockets.all.map(({ url }) => url).join(', ') || 'none';
      throw new Error(`No socket was made for a URL containing "${urlPart}" (made: ${made}).`);
    }
    return socket;
  }

  /**
   * The sockets the client still uses: connecting or open, not asked to close, and listened to (a
   * socket given up while connecting is closed by the client as soon as it opens, so it is not counted).
   */
  open(urlPart = ''): FakeWebSocket[] {
    return this.all(urlPart).filter(
      (socket) =>
        (socket.readyState === CONNECTING || socket.readyState === OPEN) && !socket.closedByClient && socket.onmessage !== null,
    );
  }

  /**
   * Throws when a socket is still open (the client did not close it) — call it in `afterEach` after a
   * logout to prove every socket was closed.
   */
  verify(): void {
    const open = this.open();
    if (open.length > 0) {
      throw new Error(`${open.length} socket(s) still open: ${open.map(({ url }) => url).join(', ')}.`);
    }
  }
}
