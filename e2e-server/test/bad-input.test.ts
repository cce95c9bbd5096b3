// Bad frames and bad upgrades: each gets an error or a documented close code, and never harms the
// process or any other connection.
import assert from 'node:assert/strict';
import { connect as tcpConnect } from 'node:net';
import { describe, test } from 'node:test';
import { CloseCode, encodeRequest } from '../src/protocol.js';
import type { TestEnv } from './helpers.js';
import { api, useServer, withTimeout } from './helpers.js';

/** Another signed-in client still gets answers, and new sockets still authorize. */
async function assertServerHealthy(env: TestEnv): Promise<void> {
  const { client } = await env.signIn('viewer');
  await client.roundTrip();
}

/** Opens a socket by hand on TCP, sends `bytes` as they are, and resolves with the close code the server sends. */
async function closeCodeForRawBytes(env: TestEnv, bytes: Buffer): Promise<number> {
  const { port } = env.server;
  const socket = tcpConnect(port, '127.0.0.1');
  try {
    return await withTimeout(
      new Promise<number>((resolve, reject) => {
        let received = Buffer.alloc(0);
        let upgraded = false;
        socket.on('error', reject);
        socket.on('connect', () =>
          socket.write(
            'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
              'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
          ),
        );
        socket.on('data', (chunk: Buffer) => {
          received = Buffer.concat([received, chunk]);
          if (!upgraded) {
            const end = received.indexOf('\r\n\r\n');
            if (end < 0) return;
            assert.match(received.subarray(0, end).toString(), /^HTTP\/1\.1 101/);
            received = received.subarray(end + 4);
            upgraded = true;
            socket.write(bytes);
          }
          // A close frame: opcode 8, then a length byte, then the two-byte code.
          if (received.length >= 4 && (received[0]! & 0x0f) === 8) resolve(received.readUInt16BE(2));
        });
      }),
      2000,
      'a close frame',
    );
  } finally {
    socket.destroy();
  }
}

describe('bad input', () => {
  test('a frame over maxPayload closes that socket with 1009; other sockets are unaffected', async (t) => {
    const env = await useServer(t, { maxPayload: 1024 });
    const { client: bystander } = await env.signIn('manager');
    const { client } = await env.signIn('viewer');
    client.sendRaw('x'.repeat(2048), false);
    assert.equal((await client.waitForClose()).code, CloseCode.MessageTooBig);
    await bystander.roundTrip();
    await assertServerHealthy(env);
  });

  test('a frame over maxPayload before auth closes with 1009 too', async (t) => {
    const env = await useServer(t, { maxPayload: 1024 });
    const client = await env.connect({ encoding: 'protobuf' });
    client.sendRaw(Buffer.alloc(4096), true);
    assert.equal((await client.waitForClose()).code, CloseCode.MessageTooBig);
    await assertServerHealthy(env);
  });

  test('a JSON frame that is no message after auth gets MALFORMED with id 0 and the socket stays open', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer');
    for (const frame of ['{oops', '[1,2]', '42', 'null']) {
      client.sendRaw(frame, false);
      const error = await client.nextMessage();
      assert.equal(error.id, 0, frame);
      assert.equal(error.error?.code, api.ErrorCode.MALFORMED, frame);
    }
    await client.roundTrip();
  });

  test('a malformed message with a valid id gets MALFORMED with that id', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer');
    client.sendRaw('{"id":1,"auth":"x"}', false);
    const error = await client.nextMessage();
    assert.equal(error.id, 1);
    assert.equal(error.error?.code, api.ErrorCode.MALFORMED);
    await client.roundTrip();
  });

  test('undecodable protobuf bytes get MALFORMED and the socket stays open', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer', { encoding: 'protobuf' });
    client.sendRaw(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]), true);
    assert.equal((await client.nextMessage()).error?.code, api.ErrorCode.MALFORMED);
    await client.roundTrip();
  });

  test('a text frame on a protobuf socket, or a binary frame on a JSON socket, is MALFORMED', async (t) => {
    const env = await useServer(t);
    const { client: protobuf } = await env.signIn('viewer', { encoding: 'protobuf' });
    protobuf.sendRaw('{"id":1,"ping":{}}', false);
    assert.equal((await protobuf.nextMessage()).error?.code, api.ErrorCode.MALFORMED);
    const { client: json } = await env.signIn('viewer', { encoding: 'json' });
    json.sendRaw(Buffer.from(encodeRequest({ id: 1, ping: {} })), true);
    assert.equal((await json.nextMessage()).error?.code, api.ErrorCode.MALFORMED);
    await protobuf.roundTrip();
    await json.roundTrip();
  });

  test('a text frame that is not UTF-8 is MALFORMED, not a crash', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer');
    client.sendRaw(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), false);
    assert.equal((await client.nextMessage()).error?.code, api.ErrorCode.MALFORMED);
    await client.roundTrip();
  });

  test('a message carrying two requests is MALFORMED', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer');
    client.sendRaw(JSON.stringify({ id: 5, ping: {}, menuList: {} }), false);
    assert.equal((await client.nextMessage()).error?.code, api.ErrorCode.MALFORMED);
    await client.roundTrip();
  });

  test('an unknown or empty message after auth gets UNKNOWN_MESSAGE with its id and the socket stays open', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer');
    client.sendRaw(JSON.stringify({ id: 9, launchRockets: { now: true } }), false);
    const unknown = await client.nextMessage();
    assert.equal(unknown.id, 9);
    assert.equal(unknown.error?.code, api.ErrorCode.UNKNOWN_MESSAGE);
    assert.equal((await client.request({})).error?.code, api.ErrorCode.UNKNOWN_MESSAGE);
    await client.roundTrip();
  });

  test('bytes that break the WebSocket protocol close that socket with 1002 and the server goes on', async (t) => {
    const env = await useServer(t);
    const { client: bystander } = await env.signIn('manager');
    // An unmasked text frame: clients must mask every frame (RFC 6455 5.1).
    const code = await closeCodeForRawBytes(env, Buffer.from([0x81, 0x02, 0x68, 0x69]));
    assert.equal(code, CloseCode.ProtocolError);
    await bystander.roundTrip();
    await assertServerHealthy(env);
  });

  test('an upgrade to an unknown path is refused with HTTP 404', async (t) => {
    const env = await useServer(t);
    await assert.rejects(env.connect({ path: '/nope' }), /HTTP 404/);
  });

  test('an upgrade offering only unknown subprotocols is refused with HTTP 400', async (t) => {
    const env = await useServer(t);
    await assert.rejects(env.connect({ protocols: ['graphql-ws'] }), /HTTP 400/);
  });

  test('a flood of bad frames from many sockets leaves the process serving', async (t) => {
    const env = await useServer(t, { maxPayload: 2048 });
    const clients = await Promise.all(Array.from({ length: 20 }, () => env.connect()));
    clients.forEach((client, i) => {
      if (i % 2 === 0) client.sendRaw('x'.repeat(4096), false);
      else client.sendRaw(Buffer.from([0xde, 0xad, 0xbe, 0xef]), true);
    });
    const codes = await Promise.all(clients.map(async (client) => (await client.waitForClose()).code));
    codes.forEach((code, i) => assert.equal(code, i % 2 === 0 ? CloseCode.MessageTooBig : CloseCode.ProtocolViolation));
    await assertServerHealthy(env);
  });
});
