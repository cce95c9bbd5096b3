// The protocol for a browser app that speaks protobuf only (the demo): the same messages, codes and
// decoding checks as protocol.ts, over the lean generated module (generated/api-lean.js: encode and
// decode only, no JSON conversion, no verify), so the app's bundle carries half the generated code.
// Requests are given as the generated `$Properties` (enums as numbers), as the app's types say: they
// are encoded as they are, without protocol.ts's `fromObject` pass. The server and the tests use
// protocol.ts; both modules are generated from proto/api.proto.
import { api } from '../generated/api-lean.js';
import { checked, RESPONSE_BODIES, responsePositions } from './message-checks.js';

export { api };
export { CLIENT_CLOSE_POLICY, CloseCode } from './close-codes.js';
export { CLIENT_RECOVERY } from './client-recovery.js';
export type { SincePosition } from './client-recovery.js';
export { MalformedFrameError } from './request-validation.js';
export { Subprotocol } from './subprotocol.js';

/** The error codes of `error` responses on a socket (see codes.ts). */
export const ErrorCode = api.ErrorCode;
export type ErrorCode = api.ErrorCode;

/**
 * Encodes a request as protobuf bytes.
 *
 * @example
 * ws.send(encodeRequest({ id: 1, sub: { kind: api.SubKind.CATEGORIES } }));
 */
export function encodeRequest(request: api.Request.$Properties): Uint8Array {
  return api.Request.encode(request).finish();
}

/** Decodes protobuf bytes into a response, as protocol.ts's `decodeResponse` does; throws MalformedFrameError. */
export function decodeResponse(bytes: Uint8Array): api.Response {
  return responsePositions(checked(() => api.Response.decode(bytes), RESPONSE_BODIES));
}
