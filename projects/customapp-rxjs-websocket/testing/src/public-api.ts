/*
 * Public API of customapp-rxjs-websocket/testing: scripted WebSockets for your own tests.
 */
export { FakeSockets, FakeWebSocket } from './fake-websocket';
