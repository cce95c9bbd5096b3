// The Origin allow-list: browsers from other origins get neither sockets nor the HTTP API.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CloseCode } from '../src/protocol.js';
import { errorCodeOf, useServer } from './helpers.js';

describe('origin allow-list', () => {
  test('a socket from an origin not on the list is accepted, then closed with 4403', async (t) => {
    const env = await useServer(t, { testMode: false, allowedOrigins: ['https://menu.example'] });
    const client = await env.connect({ origin: 'https://evil.example' });
    assert.equal((await client.waitForClose()).code, CloseCode.OriginNotAllowed);
  });

  test('a socket from an allowed origin authorizes', async (t) => {
    const env = await useServer(t, { testMode: false, allowedOrigins: ['https://menu.example'] });
    const grant = await env.login('viewer');
    const client = await env.connect({ origin: 'https://menu.example' });
    assert.ok((await client.auth(grant.accessToken)).auth);
  });

  test('a client that sends no Origin (not a browser) is allowed', async (t) => {
    const env = await useServer(t, { testMode: false, allowedOrigins: [] });
    const { client } = await env.signIn('viewer');
    await client.roundTrip();
  });

  test('the default list allows the demo app on localhost:4200 and nothing else', async (t) => {
    const env = await useServer(t, { testMode: false });
    const grant = await env.login('viewer');
    const demo = await env.connect({ origin: 'http://localhost:4200' });
    assert.ok((await demo.auth(grant.accessToken)).auth);
    const other = await env.connect({ origin: 'http://localhost:9876' });
    assert.equal((await other.waitForClose()).code, CloseCode.OriginNotAllowed);
  });

  test('test mode allows every http://localhost and http://127.0.0.1 port', async (t) => {
    const env = await useServer(t, { testMode: true, allowedOrigins: [] });
    const grant = await env.login('viewer');
    for (const origin of ['http://localhost:9876', 'http://127.0.0.1:1234']) {
      const client = await env.connect({ origin });
      assert.ok((await client.auth(grant.accessToken)).auth, origin);
    }
    const remote = await env.connect({ origin: 'http://localhost.evil.example' });
    assert.equal((await remote.waitForClose()).code, CloseCode.OriginNotAllowed);
  });

  test('a CORS preflight from an allowed origin allows Authorization and Content-Type', async (t) => {
    const env = await useServer(t, { testMode: false, allowedOrigins: ['https://menu.example'] });
    const result = await env.http('OPTIONS', '/api/auth/logout', {
      headers: { Origin: 'https://menu.example', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(result.status, 204);
    assert.equal(result.headers.get('access-control-allow-origin'), 'https://menu.example');
    assert.match(result.headers.get('access-control-allow-headers') ?? '', /Authorization/);
    assert.match(result.headers.get('access-control-allow-headers') ?? '', /Content-Type/);
  });

  test('an HTTP call from an origin not on the list is 403 without CORS headers', async (t) => {
    const env = await useServer(t, { testMode: false, allowedOrigins: ['https://menu.example'] });
    const result = await env.http('POST', '/api/auth/login', {
      body: { login: 'viewer', password: 'viewer-pass' },
      headers: { Origin: 'https://evil.example' },
    });
    assert.equal(result.status, 403);
    assert.equal(errorCodeOf(result.body), 'FORBIDDEN');
    assert.equal(result.headers.get('access-control-allow-origin'), null);
  });

  test('an HTTP call from an allowed origin gets its CORS header', async (t) => {
    const env = await useServer(t, { testMode: false, allowedOrigins: ['https://menu.example'] });
    const result = await env.http('GET', '/api/health', { headers: { Origin: 'https://menu.example' } });
    assert.equal(result.status, 200);
    assert.equal(result.headers.get('access-control-allow-origin'), 'https://menu.example');
  });
});
