// Text that is not well-formed Unicode is refused at every input, so that nothing stored can later
// be written as invalid UTF-8 into the frames of protobuf clients.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CloseCode } from '../src/protocol.js';
import { api, errorCodeOf, useServer } from './helpers.js';
import { REQUEST_FIELD as F, wire } from './wire.js';

/** A UTF-16 surrogate alone, as JSON escapes it. */
const LONE = '\\ud800';
/** The bytes of a surrogate encoded as if it were a character (CESU-8): not UTF-8. */
const ENCODED_SURROGATE = Buffer.from([0xed, 0xa0, 0x80]);

describe('ill-formed text', () => {
  test('a category name with a lone surrogate over JSON is BAD_REQUEST and protobuf clients keep decoding', async (t) => {
    const env = await useServer(t);
    const { client: protobuf } = await env.signIn('viewer', { encoding: 'protobuf' });
    await protobuf.request({ sub: { kind: api.SubKind.CATEGORIES } });
    await protobuf.waitFor((response) => !!response.sub?.categories);
    const { client: manager } = await env.signIn('manager');

    manager.sendRaw(`{"id":5,"menuAdd":{"name":"a${LONE}b"}}`, false);
    const refused = await manager.nextMessage();
    assert.equal(refused.id, 5);
    assert.equal(refused.error?.code, api.ErrorCode.BAD_REQUEST);
    manager.sendRaw(`{"id":6,"menuRename":{"id":"c-1","name":"x${LONE}"}}`, false);
    assert.equal((await manager.nextMessage()).error?.code, api.ErrorCode.BAD_REQUEST);
    manager.sendRaw(`{"id":7,"menuDelete":{"id":"c-1${LONE}"}}`, false);
    assert.equal((await manager.nextMessage()).error?.code, api.ErrorCode.BAD_REQUEST, 'not NOT_FOUND: the id is refused first');

    const list = await protobuf.request({ menuList: {} });
    assert.deepEqual(list.menuList?.categories?.map((category) => category.name), ['Starters', 'Mains', 'Desserts', 'Drinks']);
    // A later change still reaches the protobuf subscriber, and nothing it got was undecodable.
    await manager.request({ menuAdd: { name: 'Soups' } });
    await protobuf.waitFor((response) => response.sub?.categoryUpdate?.name === 'Soups');
    assert.equal(protobuf.undecodable, 0);
  });

  test('a pair of surrogates (an emoji) is well-formed and kept', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('manager');
    client.sendRaw('{"id":8,"menuAdd":{"name":"Ice \\ud83c\\udf68"}}', false);
    assert.equal((await client.nextMessage()).menuAdd?.category?.name, 'Ice \u{1F368}');
  });

  test('a protobuf string that is not UTF-8 is BAD_REQUEST with the request id and the socket stays open', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('manager', { encoding: 'protobuf' });
    const names = [ENCODED_SURROGATE, Buffer.from([0x61, 0xff]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xe2, 0x82])];
    for (const [index, name] of names.entries()) {
      client.sendRaw(Buffer.concat([wire.varint(F.id, 20 + index), wire.bytes(F.menuAdd, wire.bytes(1, name))]), true);
      const refused = await client.nextMessage();
      assert.equal(refused.id, 20 + index);
      assert.equal(refused.error?.code, api.ErrorCode.BAD_REQUEST, name.toString('hex'));
    }
    client.sendRaw(Buffer.concat([wire.varint(F.id, 30), wire.bytes(F.menuDelete, wire.bytes(1, Buffer.concat([Buffer.from('c-1'), ENCODED_SURROGATE])))]), true);
    assert.equal((await client.nextMessage()).error?.code, api.ErrorCode.BAD_REQUEST);
    assert.equal((await client.request({ menuList: {} })).menuList?.categories?.length, 4);
  });

  test('an access token with a lone surrogate is BAD_REQUEST before auth, then close 4400', async (t) => {
    const env = await useServer(t);
    const json = await env.connect();
    json.sendRaw(`{"id":2,"auth":{"accessToken":"eyJ${LONE}"}}`, false);
    const refused = await json.nextMessage();
    assert.equal(refused.id, 2);
    assert.equal(refused.error?.code, api.ErrorCode.BAD_REQUEST);
    assert.equal((await json.waitForClose()).code, CloseCode.ProtocolViolation);

    const protobuf = await env.connect({ encoding: 'protobuf' });
    protobuf.sendRaw(Buffer.concat([wire.varint(F.id, 3), wire.bytes(F.auth, wire.bytes(1, ENCODED_SURROGATE))]), true);
    assert.equal((await protobuf.nextMessage()).error?.code, api.ErrorCode.BAD_REQUEST);
    assert.equal((await protobuf.waitForClose()).code, CloseCode.ProtocolViolation);
  });

  test('a wrong type is refused before ill-formed text: MALFORMED wins', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('manager');
    client.sendRaw(`{"id":9,"menuRename":{"id":"c-1${LONE}","name":5}}`, false);
    assert.equal((await client.nextMessage()).error?.code, api.ErrorCode.MALFORMED);
  });

  test('HTTP bodies with a lone surrogate, or that are not UTF-8, are 400 BAD_REQUEST', async (t) => {
    const env = await useServer(t);
    const admin = await env.login('admin');
    const cases: [string, string | Buffer, string?][] = [
      ['/api/auth/login', `{"login":"admin${LONE}","password":"admin-pass"}`],
      ['/api/auth/login', `{"login":"admin","password":"x${LONE}"}`],
      ['/api/auth/login', Buffer.concat([Buffer.from('{"login":"admin","password":"'), ENCODED_SURROGATE, Buffer.from('"}')])],
      ['/api/auth/refresh', `{"refreshToken":"${LONE}"}`],
      ['/api/auth/login-as', `{"userId":"u-viewer${LONE}"}`, admin.accessToken],
      ['/api/auth/logout', `{"note":{"${LONE}":1}}`, admin.accessToken],
    ];
    for (const [path, body, token] of cases) {
      const response = await fetch(env.server.httpUrl + path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: typeof body === 'string' ? body : new Uint8Array(body),
      });
      assert.equal(response.status, 400, `${path} ${body.toString()}`);
      assert.equal(errorCodeOf(await response.json()), 'BAD_REQUEST');
    }
    // The admin's session survived the refused logout.
    assert.equal((await env.http('GET', '/api/users', { token: admin.accessToken })).status, 200);
  });

  test('a deeply nested HTTP body is checked without exhausting the stack', async (t) => {
    const env = await useServer(t);
    const depth = 30_000;
    const body = `{"login":"admin","password":"admin-pass","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const response = await env.http('POST', '/api/auth/login', { body });
    assert.equal(response.status, 200);
  });
});
