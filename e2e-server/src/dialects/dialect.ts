// What a dialect endpoint is: a JSON-over-WebSocket protocol written from one of the server styles
// the SDK must drive (see PROTOCOL.md, "Dialect endpoints"). Each dialect lives in its own file of
// this folder; the gateway routes `/dialects/<name>` to it and the registry tracks its sockets.
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { AuthService } from '../auth-service.js';
import type { RegisteredSocket } from '../connection-registry.js';
import type { Routes } from '../http-util.js';
import type { Logger } from '../logger.js';
import type { TokenService } from '../tokens.js';

/** What every dialect shares with the rest of the server: the same users, logins and JWTs. */
export interface DialectContext {
  /** Checks access tokens exactly as the main socket does (`authenticate`). */
  auth: AuthService;
  /** Signs and checks tokens (e.g. per-room tokens), with the server's secret. */
  tokens: TokenService;
  /** The server's HS256 secret, for tokens a dialect signs itself (e.g. per-room tokens). */
  secret: Uint8Array;
  /** How long a socket may stay unauthenticated before it is closed, in ms. */
  authTimeoutMs: number;
  /** The largest body an HTTP route of the dialect reads, in bytes. */
  maxPayload: number;
  logger: Logger;
}

/** A dialect endpoint, created once per server start. */
export interface Dialect {
  /** Its name: the socket path is `/dialects/<name>` (and `/dialects/<name>/<sub>` when it has several). */
  readonly name: string;
  /** Takes one accepted socket (the origin check happens afterwards, on the returned socket). */
  accept(ws: WebSocket, request: IncomingMessage): RegisteredSocket;
  /** HTTP routes the dialect adds (e.g. minting per-room tokens), merged into the server's. */
  readonly routes?: Routes;
  /** Releases timers and state at server close. */
  close?(): void;
}

/** Makes a dialect from the shared context. */
export type DialectFactory = (context: DialectContext) => Dialect;
