// The WebSocket constructors users pass as they are, checked by the compiler: this file compiling
// without a cast is the test; each spec also checks the value it built at run time.
import type { WebSocket as NodeWebSocket } from 'ws';
import { WebSocketController, WebSocketControllerConfig, WebSocketCtor } from 'customapp-rxjs-websocket';
import { FakeSockets } from 'customapp-rxjs-websocket/testing';

/** The `WebSocketCtor` type of the 1.2.x config, as apps may have spelled it. */
type PublishedWebSocketCtor = { new (url: string | URL, protocols?: string | string[]): WebSocket };

describe('WebSocketCtor', () => {
  it("takes the browser's WebSocket class as it is", () => {
    const config: WebSocketControllerConfig<string, string> = { url: 'ws://127.0.0.1:1/ws', WebSocketCtor: WebSocket };
    const controller = new WebSocketController(config);
    expect(config.WebSocketCtor).toBe(WebSocket);
    expect(controller.state).toBe('closed');
  });

  it("takes the `ws` package's WebSocket class as it is", () => {
    // The assignment under test is the function's body; the node tests run the real class.
    const configFor = (ws: typeof NodeWebSocket): WebSocketControllerConfig<string, string> => ({ url: 'ws://x', WebSocketCtor: ws });
    const standIn = new FakeSockets().Ctor as unknown as typeof NodeWebSocket;
    expect(configFor(standIn).WebSocketCtor).toBe(standIn);
  });

  it('takes a constructor typed as the 1.2.x config typed it', () => {
    const published: PublishedWebSocketCtor = WebSocket;
    const ctor: WebSocketCtor = published;
    expect(ctor).toBe(WebSocket);
  });

  it('takes the testing fake', () => {
    const sockets = new FakeSockets();
    const ctor: WebSocketCtor = sockets.Ctor;
    new WebSocketController({ url: 'ws://test', WebSocketCtor: ctor }).open();
    expect(sockets.last.url).toBe('ws://test');
  });

  it('refuses a class that is not a WebSocket', () => {
    // @ts-expect-error a Date has no readyState, send or close
    const notASocket: WebSocketCtor = Date;
    expect(notASocket).toBe(Date);
  });
});
