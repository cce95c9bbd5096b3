/*
 * Public API of ngx-customapp-pattern-auth-before-socket/testing: scripted sockets for your app's tests.
 */
export { provideAuthBeforeSocketTesting } from './provide-auth-before-socket-testing';
export { SocketsTestingController } from './sockets-testing-controller';
