// The three clients of `npm run bench`, each doing the same work its own usual way:
//   raw         a `ws` WebSocket and a Map of pending ids → callback: the minimal correct client;
//   controller  WebSocketController from the built package (dist/, what users install);
//   rxjs        RxJS's webSocket() with `ws` as WebSocketCtor, a request being the usual
//               `subject.pipe(filter((m) => m.id === id), take(1))` — a filter per pending request.
// All three read frames through the same `onmessage` of the `ws` WebSocket and JSON.parse them, so a
// ratio to raw is what the library adds on top of the WebSocket API.
//
// Each client is { pushes(count), request(count), close() }:
//   pushes(count)  resolves once `count` pushes arrived and their checksum is right;
//   request(count) sends `count` requests {id: 0, echo: i} at once, each with its own callback, and
//                  resolves once each got its own answer. The client stamps the id, as the README's
//                  requests carry `id: 0` (in V8, spreading a request without `id` and adding one
//                  gives each copy a hidden class of its own: slower for every client).
import { filter, firstValueFrom, take } from 'rxjs';
import { webSocket } from 'rxjs/webSocket';
import WebSocket from 'ws';
// Built by `npm run bench` (ng build customapp-rxjs-websocket) before this runs.
import { SocketState, WebSocketController } from '../dist/customapp-rxjs-websocket/fesm2022/customapp-rxjs-websocket.mjs';

export const CLIENTS = {
  raw: { label: 'raw ws', connect: connectRaw },
  controller: { label: 'WebSocketController', connect: connectController },
  rxjs: { label: 'RxJS webSocket()', connect: connectRxjs },
};

/**
 * The answers to a burst of `count` requests: `answer(i)` is request i's callback (the same one for
 * every client), which checks its echo; `done` settles after the last answer.
 */
function burst(count) {
  let answered = 0;
  let wrong = 0;
  let finish;
  const done = new Promise((resolve, reject) => {
    finish = () => (wrong === 0 ? resolve() : reject(new Error(`${wrong} of ${count} requests got another request's answer`)));
  });
  const answer = (i) => (response) => {
    if (response.echo !== i) wrong++;
    if (++answered === count) finish();
  };
  return { answer, done };
}

/** Counts `count` pushes given to the function `listen` gets; resolves once they all arrived, checked. */
function countPushes(count, listen) {
  return new Promise((resolve, reject) => {
    let received = 0;
    let checksum = 0;
    const stop = listen((message) => {
      checksum += message.push.n;
      if (++received < count) return;
      stop();
      if (checksum === (count * (count - 1)) / 2) resolve();
      else reject(new Error('pushes were lost or changed'));
    });
  });
}

async function connectRaw(url) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  const waiting = new Map();
  let lastId = 0;
  let onPush;
  ws.onmessage = (event) => {
    const message = JSON.parse(event.data);
    const callback = waiting.get(message.id);
    if (callback === undefined) {
      onPush?.(message);
      return;
    }
    waiting.delete(message.id);
    callback(message);
  };
  const request = (message, callback) => {
    const id = ++lastId;
    waiting.set(id, callback);
    ws.send(JSON.stringify({ ...message, id }));
  };
  return {
    pushes: (count) =>
      countPushes(count, (listener) => {
        onPush = listener;
        return () => (onPush = undefined);
      }),
    request(count) {
      const { answer, done } = burst(count);
      for (let i = 0; i < count; i++) request({ id: 0, echo: i }, answer(i));
      return done;
    },
    close: () =>
      new Promise((resolve) => {
        ws.onclose = resolve;
        ws.close();
      }),
  };
}

async function connectController(url) {
  const controller = new WebSocketController({ url, WebSocketCtor: WebSocket, requestTimeout: 120_000 });
  controller.open({ autoReconnect: false });
  await firstValueFrom(controller.state$.pipe(filter((state) => state === SocketState.subscribed)));
  return {
    pushes: (count) =>
      countPushes(count, (listener) => {
        const subscription = controller.messages$.subscribe(listener);
        return () => subscription.unsubscribe();
      }),
    request(count) {
      const { answer, done } = burst(count);
      for (let i = 0; i < count; i++) controller.request({ id: 0, echo: i }).subscribe(answer(i));
      return done;
    },
    close: () => new Promise((resolve) => controller.close().subscribe({ complete: resolve })),
  };
}

async function connectRxjs(url) {
  let opened;
  let closed;
  const subject = webSocket({
    url,
    WebSocketCtor: WebSocket,
    openObserver: { next: () => opened() },
    closeObserver: { next: () => closed() },
  });
  const open = new Promise((resolve) => (opened = resolve));
  // The socket lives while someone listens to the subject.
  subject.subscribe();
  await open;
  let lastId = 0;
  const request = (message) => {
    const id = ++lastId;
    subject.next({ ...message, id });
    return subject.pipe(
      filter((response) => response.id === id),
      take(1),
    );
  };
  return {
    pushes: (count) =>
      countPushes(count, (listener) => {
        const subscription = subject.pipe(filter((message) => message.push !== undefined)).subscribe(listener);
        return () => subscription.unsubscribe();
      }),
    request(count) {
      const { answer, done } = burst(count);
      for (let i = 0; i < count; i++) request({ id: 0, echo: i }).subscribe(answer(i));
      return done;
    },
    close: () =>
      new Promise((resolve) => {
        closed = resolve;
        subject.complete();
      }),
  };
}
