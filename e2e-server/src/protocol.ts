// The wire protocol of the e2e-server, shared by the server, the library tests and the demo:
// the generated messages, the close and error codes, the subprotocol names and the encoders for
// both encodings. Browser-safe: no Node imports. PROTOCOL.md describes every message.
import { api } from '../generated/api.js';
import { checked, REQUEST_BODIES, requestPositions, RESPONSE_BODIES, responsePositions } from './message-checks.js';
import { MalformedFrameError, checkJsonRequest, checkProtobufRequest } from './request-validation.js';
import { Subprotocol } from './subprotocol.js';

export { api };
export { CLIENT_CLOSE_POLICY, CloseCode, ErrorCode, HttpErrorCode } from './codes.js';
export { CLIENT_RECOVERY } from './client-recovery.js';
export type { SincePosition } from './client-recovery.js';
export { IllFormedTextError, MalformedFrameError } from './request-validation.js';

export { Subprotocol };

/** How the frames of one socket are encoded. */
export type Encoding = 'protobuf' | 'json';

/** A frame as sent or received: text for JSON, bytes for protobuf. */
export type Frame = string | Uint8Array;

/** A request or response as plain properties (what `encode…` accepts). */
export type RequestInit = api.Request.$Properties;
export type ResponseInit = api.Response.$Properties;

/** The name of the request in a `Request` (its oneof `body`). */
export type RequestBody = NonNullable<api.Request['body']>;
/** The name of the response in a `Response` (its oneof `body`). */
export type ResponseBody = NonNullable<api.Response['body']>;

/** The protobufjs conversion used for JSON frames. */
export const JSON_CONVERSION = { enums: String, longs: Number, defaults: false, oneofs: false } as const;

/**
 * The encoding a socket uses for the subprotocol the server picked ('' when none was asked for).
 *
 * @example
 * const encoding = encodingOf(socket.protocol); // 'json' for 'api.v1.json'
 */
export function encodingOf(subprotocol: string | null | undefined): Encoding {
  return subprotocol === Subprotocol.Json ? 'json' : 'protobuf';
}

/** The subprotocol that selects an encoding. */
export function subprotocolOf(encoding: Encoding): Subprotocol {
  return encoding === 'json' ? Subprotocol.Json : Subprotocol.Protobuf;
}

/** Encodes a request as protobuf bytes. */
export function encodeRequest(request: RequestInit): Uint8Array {
  return api.Request.encode(api.Request.fromObject(request)).finish();
}

/**
 * Decodes protobuf bytes into a request, strictly (see request-validation.ts); throws
 * MalformedFrameError, or IllFormedTextError for a string that is not UTF-8.
 */
export function decodeRequest(bytes: Uint8Array): api.Request {
  checkProtobufRequest(bytes);
  return requestPositions(checked(() => api.Request.decode(bytes), REQUEST_BODIES));
}

/** Encodes a response as protobuf bytes. */
export function encodeResponse(response: ResponseInit): Uint8Array {
  return api.Response.encode(api.Response.fromObject(response)).finish();
}

/** Decodes protobuf bytes into a response; throws MalformedFrameError. */
export function decodeResponse(bytes: Uint8Array): api.Response {
  return responsePositions(checked(() => api.Response.decode(bytes), RESPONSE_BODIES));
}

/** Encodes a request as JSON text. */
export function requestToJson(request: RequestInit): string {
  return JSON.stringify(api.Request.toObject(api.Request.fromObject(request), JSON_CONVERSION));
}

/**
 * Decodes JSON text into a request, strictly (see request-validation.ts); throws
 * MalformedFrameError, or IllFormedTextError for a string with a lone surrogate.
 */
export function requestFromJson(text: string): api.Request {
  const object = parseObject(text);
  checkJsonRequest(object);
  return requestPositions(checked(() => api.Request.fromObject(object), REQUEST_BODIES));
}

/** Encodes a response as JSON text. */
export function responseToJson(response: ResponseInit): string {
  return JSON.stringify(api.Response.toObject(api.Response.fromObject(response), JSON_CONVERSION));
}

/** Decodes JSON text into a response; throws MalformedFrameError. */
export function responseFromJson(text: string): api.Response {
  return responsePositions(checked(() => api.Response.fromObject(parseObject(text)), RESPONSE_BODIES));
}

/**
 * Encodes a request as a frame of the given encoding.
 *
 * @example
 * ws.send(encodeRequestFrame('json', { id: 1, auth: { accessToken } }));
 */
export function encodeRequestFrame(encoding: Encoding, request: RequestInit): Frame {
  return encoding === 'json' ? requestToJson(request) : encodeRequest(request);
}

/**
 * Decodes a request frame; a text frame on a protobuf socket (or the reverse) is malformed. Throws
 * MalformedFrameError or IllFormedTextError, each with the request's id when it could be read.
 */
export function decodeRequestFrame(encoding: Encoding, frame: Frame | ArrayBuffer): api.Request {
  return encoding === 'json' ? requestFromJson(asText(frame)) : decodeRequest(asBytes(frame));
}

/** Encodes a response as a frame of the given encoding. */
export function encodeResponseFrame(encoding: Encoding, response: ResponseInit): Frame {
  return encoding === 'json' ? responseToJson(response) : encodeResponse(response);
}

/**
 * Decodes a response frame.
 *
 * @example
 * ws.onmessage = (e) => handle(decodeResponseFrame(encodingOf(ws.protocol), e.data));
 */
export function decodeResponseFrame(encoding: Encoding, frame: Frame | ArrayBuffer): api.Response {
  return encoding === 'json' ? responseFromJson(asText(frame)) : decodeResponse(asBytes(frame));
}

function parseObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedFrameError('the text is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedFrameError('the JSON is not an object');
  }
  return value as Record<string, unknown>;
}

function asText(frame: Frame | ArrayBuffer): string {
  if (typeof frame === 'string') return frame;
  throw new MalformedFrameError('a binary frame on a JSON socket');
}

function asBytes(frame: Frame | ArrayBuffer): Uint8Array {
  if (typeof frame === 'string') throw new MalformedFrameError('a text frame on a protobuf socket');
  return frame instanceof Uint8Array ? frame : new Uint8Array(frame);
}
