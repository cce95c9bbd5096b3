// Another user's session, outside the app: signs in over HTTP, opens its own JSON socket (not through
// the package), changes the menu, and closes again, waiting for the close so that the server no
// longer counts it.
import { type api, encodeRequestFrame, responseFromJson, Subprotocol } from '../../../../e2e-server/src/protocol';
import { e2eServer, httpLogin } from './e2e-server';

export class OtherSession {
  private nextId = 1;
  private readonly waiting = new Map<number, (response: api.Response) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.addEventListener('message', (event: MessageEvent<string>) => {
      const response = responseFromJson(event.data);
      this.waiting.get(response.id)?.(response);
      this.waiting.delete(response.id);
    });
  }

  /** Signs `login` in and opens an authorized socket (again and again while upgrades are refused, for up to `ms`). */
  static async open(login: string, ms = 5000): Promise<OtherSession> {
    const { accessToken } = await httpLogin(login);
    const deadline = performance.now() + ms;
    let ws: WebSocket | undefined;
    while (!ws) {
      ws = await connect().catch((error: unknown) => {
        if (performance.now() > deadline) throw error;
        return undefined;
      });
    }
    const session = new OtherSession(ws);
    const answer = await session.request({ auth: { accessToken } });
    if (!answer.auth) throw new Error(`the other session's auth was refused: ${answer.error?.message}`);
    return session;
  }

  /** Sends a request and resolves with its answer (an error response included). */
  request(request: Omit<api.Request.$Properties, 'id'>): Promise<api.Response> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the other session got no answer to request ${id}`)), 5000);
      this.waiting.set(id, (response) => {
        clearTimeout(timer);
        resolve(response);
      });
      this.ws.send(encodeRequestFrame('json', { id, ...request }) as string);
    });
  }

  /** Closes the socket and resolves once it is closed. */
  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    const closed = new Promise<void>((resolve) => this.ws.addEventListener('close', () => resolve(), { once: true }));
    this.ws.close(1000, 'done');
    return closed;
  }
}

/** A JSON socket to /ws, once open; rejects when it closes first (a refused upgrade). */
function connect(): Promise<WebSocket> {
  const ws = new WebSocket(e2eServer().wsUrl, Subprotocol.Json);
  return new Promise<WebSocket>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(ws), { once: true });
    ws.addEventListener('close', () => reject(new Error("the other session's socket closed before it opened")), { once: true });
  });
}
