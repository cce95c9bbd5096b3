// Small helpers of the HTTP API: typed routes, JSON bodies in and out, errors as {error: {code, message}}.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpErrorCode } from './codes.js';
import { isUtf8, isWellFormed } from './request-validation.js';

export type Method = 'GET' | 'POST';

/** What a route hands back; the listener writes it as JSON (no body: 204). */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Readonly<Record<string, string>>;
}

export type Handler = (request: IncomingMessage, url: URL) => Promise<Reply>;

/** Routes by exact path, then by method. */
export type Routes = Readonly<Record<string, Partial<Record<Method, Handler>>>>;

/** An error a route throws to answer with `{error: {code, message}}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: HttpErrorCode,
    message: string,
    /** Sent with the error (`Retry-After` on a 429). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface ReadJsonOptions {
  /** Refuse (400) a body that is not UTF-8, or whose strings hold a lone surrogate (`"\ud800"`). */
  wellFormed?: boolean;
}

/** Reads a JSON object body (an empty body is `{}`); 400 when it is not one, 413 past `limit` bytes. */
export async function readJsonObject(
  request: IncomingMessage,
  limit: number,
  options: ReadJsonOptions = {},
): Promise<Record<string, unknown>> {
  const tooLarge = new HttpError(413, 'PAYLOAD_TOO_LARGE', `The body is larger than ${limit} bytes.`);
  if (Number(request.headers['content-length'] ?? 0) > limit) {
    request.resume();
    throw tooLarge;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit) {
      request.resume();
      throw tooLarge;
    }
    chunks.push(buffer);
  }
  const bytes = Buffer.concat(chunks);
  if (options.wellFormed && !isUtf8(bytes)) throw new HttpError(400, 'BAD_REQUEST', 'The body is not UTF-8 text.');
  const text = bytes.toString('utf8').trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'The body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'BAD_REQUEST', 'The body must be a JSON object.');
  }
  if (options.wellFormed && !stringsAreWellFormed(value)) {
    throw new HttpError(400, 'BAD_REQUEST', 'The body holds text that is not well-formed Unicode (a lone surrogate).');
  }
  return value as Record<string, unknown>;
}

/** Every key and string in a parsed JSON value, walked without recursion (the nesting may be deep). */
function stringsAreWellFormed(root: unknown): boolean {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (!isWellFormed(value)) return false;
    } else if (Array.isArray(value)) {
      for (const item of value) pending.push(item);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        if (!isWellFormed(key)) return false;
        pending.push(inner);
      }
    }
  }
  return true;
}


/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(request: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

export function writeReply(response: ServerResponse, reply: Reply): void {
  if (reply.body === undefined) {
    response.writeHead(reply.status, reply.headers).end();
    return;
  }
  const body = JSON.stringify(reply.body);
  response
    .writeHead(reply.status, {
      ...reply.headers,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
    })
    .end(body);
}

export function errorReply(error: HttpError): Reply {
  return { status: error.status, headers: error.headers, body: { error: { code: error.code, message: error.message } } };
}
