// The HTTP request listener: the Origin allow-list and CORS, routing by path and method, and the
// error envelope for everything a route throws.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from './logger.js';
import type { OriginPolicy } from './origin-policy.js';
import type { Method, Reply, Routes } from './http-util.js';
import { HttpError, errorReply, writeReply } from './http-util.js';

export interface HttpAppOptions {
  routes: Routes;
  origins: OriginPolicy;
  logger: Logger;
}

const PREFLIGHT_HEADERS = {
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type',
  'Access-Control-Max-Age': '600',
};

export function createRequestListener({ routes, origins, logger }: HttpAppOptions): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    void answer(request, response).catch((error: unknown) => {
      logger.error(`HTTP ${request.method} ${request.url} failed: ${error instanceof Error ? error.stack : String(error)}`);
      if (!response.headersSent) writeReply(response, errorReply(new HttpError(500, 'INTERNAL', 'The server failed.')));
      else response.destroy();
    });
  };

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const origin = request.headers.origin;
    if (!origins.allows(origin)) {
      request.resume();
      return writeReply(response, errorReply(new HttpError(403, 'FORBIDDEN', `The origin ${origin} is not allowed.`)));
    }
    if (origin !== undefined) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Vary', 'Origin');
      // Not a CORS-safelisted header: without this a page could not read how long to wait after a 429.
      response.setHeader('Access-Control-Expose-Headers', 'Retry-After');
    }
    if (request.method === 'OPTIONS') {
      request.resume();
      for (const [name, value] of Object.entries(PREFLIGHT_HEADERS)) response.setHeader(name, value);
      return writeReply(response, { status: 204 });
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    writeReply(response, await route(request, response, url));
  }

  async function route(request: IncomingMessage, response: ServerResponse, url: URL): Promise<Reply> {
    const methods = routes[url.pathname];
    if (!methods) {
      request.resume();
      return errorReply(new HttpError(404, 'NOT_FOUND', `No route ${url.pathname}.`));
    }
    const method = request.method;
    const handler = isMethod(method) ? methods[method] : undefined;
    if (!handler) {
      request.resume();
      const allowed = Object.keys(methods).join(', ');
      response.setHeader('Allow', allowed);
      return errorReply(new HttpError(405, 'METHOD_NOT_ALLOWED', `${url.pathname} takes ${allowed}, not ${request.method}.`));
    }
    try {
      return await handler(request, url);
    } catch (error) {
      if (error instanceof HttpError) return errorReply(error);
      throw error;
    }
  }
}

function isMethod(method: string | undefined): method is Method {
  return method === 'GET' || method === 'POST';
}
