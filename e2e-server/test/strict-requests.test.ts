// Requests are checked strictly, the same way in both encodings: a field of the wrong type, an id
// that is no uint32, or two bodies in one message make a malformed frame; nothing is coerced.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CloseCode } from '../src/protocol.js';
import type { TestClient } from './helpers.js';
import { api, useServer } from './helpers.js';
import { REQUEST_FIELD as F, wire } from './wire.js';

/** The next message is an `error` with this code and id; nothing else came first. */
async function expectError(client: TestClient, code: api.ErrorCode, id: number, what: string): Promise<void> {
  const response = await client.nextMessage();
  assert.equal(response.body, 'error', `${what}: ${JSON.stringify(response.toJSON())}`);
  assert.equal(response.error?.code, code, `${what}: ${response.error?.message}`);
  assert.equal(response.id, id, what);
}

describe('strict requests', () => {
  test('an accessToken that is not a string is MALFORMED with the request id, then close 4400, not a refused token', async (t) => {
    const env = await useServer(t);
    for (const token of ['5', '["x"]', '{"t":"x"}', 'true', 'null']) {
      const client = await env.connect();
      client.sendRaw(`{"id":3,"auth":{"accessToken":${token}}}`, false);
      await expectError(client, api.ErrorCode.MALFORMED, 3, token);
      assert.equal((await client.waitForClose()).code, CloseCode.ProtocolViolation, token);
    }
  });

  test('an id that is negative, fractional, 2^32 or more, a string or null is MALFORMED with id 0, never a pong', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer');
    for (const id of ['-1', '1.5', '4294967296', '1e20', '"7"', 'null', 'true', '[1]']) {
      client.sendRaw(`{"id":${id},"ping":{"clientTime":1}}`, false);
      await expectError(client, api.ErrorCode.MALFORMED, 0, `id ${id}`);
    }
    const pong = await client.request({ ping: { clientTime: 1 } });
    assert.ok(pong.pong, 'the socket still answers');
    assert.equal(client.pending.length, 0, 'no pong came for a bad id');
  });

  test('the largest uint32 id is echoed', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer');
    client.sendRaw('{"id":4294967295,"ping":{"clientTime":1}}', false);
    const pong = await client.nextMessage();
    assert.equal(pong.id, 4294967295);
    assert.ok(pong.pong);
  });

  test('a field of the wrong type is MALFORMED with the request id and changes nothing', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('manager');
    const frames = [
      '{"id":11,"ping":{"clientTime":"x"}}',
      '{"id":12,"menuAdd":{"name":["x"]}}',
      '{"id":13,"menuAdd":{"name":5}}',
      '{"id":14,"menuRename":{"id":"c-1","name":{"x":1}}}',
      '{"id":15,"menuDelete":{"id":1}}',
      '{"id":16,"sub":{"kind":1.5}}',
      '{"id":20,"sub":{"kind":2147483648}}',
      '{"id":22,"sub":{"kind":18446744073709551617}}',
      '{"id":21,"unsub":{"kind":["CATEGORIES"]}}',
      '{"id":17,"menuList":[]}',
      '{"id":18,"ping":null}',
      '{"id":19,"menuAdd":{"name":null}}',
    ];
    for (const frame of frames) {
      client.sendRaw(frame, false);
      await expectError(client, api.ErrorCode.MALFORMED, Number(JSON.parse(frame).id), frame);
    }
    const list = await client.request({ menuList: {} });
    assert.deepEqual(
      list.menuList?.categories?.map((category) => [category.id, category.name, category.version]),
      [['c-1', 'Starters', 1], ['c-2', 'Mains', 1], ['c-3', 'Desserts', 1], ['c-4', 'Drinks', 1]],
    );
  });

  // Found by the fuzz suite: 1e999 parsed as Infinity, and the pong carried "clientTime":null.
  test('a clientTime past the range of a double is MALFORMED, not echoed as null', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer');
    for (const [id, time] of [[51, '1e999'], [52, '-1e400']] as const) {
      client.sendRaw(`{"id":${id},"ping":{"clientTime":${time}}}`, false);
      await expectError(client, api.ErrorCode.MALFORMED, id, time);
    }
    client.sendRaw('{"id":53,"ping":{"clientTime":1.7976931348623157e308}}', false);
    assert.equal((await client.nextMessage()).pong?.clientTime, Number.MAX_VALUE);
  });

  test('a kind may be a SubKind name or its number, as protobuf JSON writes an unnamed value', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer');
    client.sendRaw('{"id":61,"sub":{"kind":1}}', false);
    assert.equal((await client.nextMessage()).subscribed?.kind, api.SubKind.CATEGORIES);
    await client.waitFor((response) => !!response.sub?.categories);
    client.sendRaw('{"id":62,"sub":{"kind":99}}', false);
    await expectError(client, api.ErrorCode.BAD_REQUEST, 62, 'an unknown number');
    client.sendRaw('{"id":63,"sub":{"kind":-1}}', false);
    await expectError(client, api.ErrorCode.BAD_REQUEST, 63, 'a negative number');
  });

  test('fields and keys this protocol does not know are still ignored', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer');
    client.sendRaw('{"id":21,"trace":"abc","ping":{"clientTime":7,"extra":[1]}}', false);
    const pong = await client.nextMessage();
    assert.equal(pong.id, 21);
    assert.equal(pong.pong?.clientTime, 7);
    const { client: protobuf } = await env.signIn('viewer', { encoding: 'protobuf' });
    protobuf.sendRaw(Buffer.concat([wire.varint(F.id, 22), wire.varint(15, 9), wire.bytes(F.ping, wire.double(1, 8))]), true);
    const protobufPong = await protobuf.nextMessage();
    assert.equal(protobufPong.id, 22);
    assert.equal(protobufPong.pong?.clientTime, 8);
  });

  test('a protobuf id that does not fit 32 bits, or is not a varint, is MALFORMED with id 0', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer', { encoding: 'protobuf' });
    const ping = wire.bytes(F.ping, Buffer.alloc(0));
    for (const [what, id] of [
      ['2^32', wire.varint(F.id, 2n ** 32n)],
      ['-1 as int64', wire.varint(F.id, -1n)],
      ['length-delimited', wire.bytes(F.id, 'x')],
      ['fixed32', wire.fixed32(F.id, 5)],
    ] as const) {
      client.sendRaw(Buffer.concat([id, ping]), true);
      await expectError(client, api.ErrorCode.MALFORMED, 0, what);
    }
    await client.roundTrip();
  });

  test('a protobuf field with the wrong wire type is MALFORMED with the request id', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('manager', { encoding: 'protobuf' });
    const frames: [string, Buffer][] = [
      ['clientTime as a varint', wire.bytes(F.ping, wire.varint(1, 5))],
      ['name as a varint', wire.bytes(F.menuAdd, wire.varint(1, 5))],
      ['kind as a string', wire.bytes(F.sub, wire.bytes(1, 'CATEGORIES'))],
      ['kind past 32 bits', wire.bytes(F.sub, wire.varint(1, 2n ** 32n + 1n))],
      ['ping as a varint', wire.varint(F.ping, 1)],
      ['a group inside a body (proto3 has none)', wire.bytes(F.menuList, Buffer.from([(1 << 3) | 3, (1 << 3) | 4]))],
    ];
    for (const [index, [what, body]] of frames.entries()) {
      client.sendRaw(Buffer.concat([wire.varint(F.id, 30 + index), body]), true);
      await expectError(client, api.ErrorCode.MALFORMED, 30 + index, what);
    }
    await client.roundTrip();
  });

  test('two bodies in one message are MALFORMED with its id in both encodings, never served as the last', async (t) => {
    const env = await useServer(t);
    const { client: json } = await env.signIn('viewer');
    json.sendRaw('{"id":41,"ping":{},"menuList":{}}', false);
    await expectError(json, api.ErrorCode.MALFORMED, 41, 'json');

    const { client: protobuf } = await env.signIn('viewer', { encoding: 'protobuf' });
    const empty = Buffer.alloc(0);
    protobuf.sendRaw(Buffer.concat([wire.varint(F.id, 42), wire.bytes(F.ping, empty), wire.bytes(F.menuList, empty)]), true);
    await expectError(protobuf, api.ErrorCode.MALFORMED, 42, 'ping and menuList');
    protobuf.sendRaw(Buffer.concat([wire.varint(F.id, 43), wire.bytes(F.ping, empty), wire.bytes(F.ping, empty)]), true);
    await expectError(protobuf, api.ErrorCode.MALFORMED, 43, 'ping twice');
    await json.roundTrip();
    await protobuf.roundTrip();
  });

  test('two bodies before auth, one of them auth, are MALFORMED and close 4400', async (t) => {
    const env = await useServer(t);
    const grant = await env.login('viewer');
    const client = await env.connect({ encoding: 'protobuf' });
    client.sendRaw(Buffer.concat([wire.varint(F.id, 5), wire.bytes(F.auth, wire.bytes(1, grant.accessToken)), wire.bytes(F.ping, Buffer.alloc(0))]), true);
    await expectError(client, api.ErrorCode.MALFORMED, 5, 'auth and ping');
    assert.equal((await client.waitForClose()).code, CloseCode.ProtocolViolation);
  });
  test('a since or a reauth with a field of the wrong type is MALFORMED with the request id in JSON; ill-formed text is BAD_REQUEST', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer');
    const malformed = [
      '{"id":71,"sub":{"kind":"CATEGORIES","since":null}}',
      '{"id":72,"sub":{"kind":"CATEGORIES","since":[]}}',
      '{"id":73,"sub":{"kind":"CATEGORIES","since":"e-1:3"}}',
      '{"id":74,"sub":{"kind":"CATEGORIES","since":{"epoch":5,"seq":1}}}',
      '{"id":75,"sub":{"kind":"CATEGORIES","since":{"epoch":"e","seq":"3"}}}',
      '{"id":76,"sub":{"kind":"CATEGORIES","since":{"epoch":"e","seq":-1}}}',
      '{"id":77,"sub":{"kind":"CATEGORIES","since":{"epoch":"e","seq":1.5}}}',
      '{"id":78,"sub":{"kind":"CATEGORIES","since":{"epoch":"e","seq":9007199254740992}}}',
      '{"id":79,"sub":{"kind":"CATEGORIES","since":{"epoch":"\\ud800","seq":null}}}',
      '{"id":80,"reauth":{"accessToken":5}}',
      '{"id":81,"reauth":null}',
      '{"id":82,"reauth":{},"ping":{}}',
    ];
    for (const frame of malformed) {
      client.sendRaw(frame, false);
      await expectError(client, api.ErrorCode.MALFORMED, Number(JSON.parse(frame).id), frame);
    }
    client.sendRaw('{"id":83,"sub":{"kind":"CATEGORIES","since":{"epoch":"\\ud800"}}}', false);
    await expectError(client, api.ErrorCode.BAD_REQUEST, 83, 'an epoch with a lone surrogate');
    client.sendRaw('{"id":84,"reauth":{"accessToken":"\\udc00"}}', false);
    await expectError(client, api.ErrorCode.BAD_REQUEST, 84, 'an accessToken with a lone surrogate');
    const stats = (await env.control('stats', 'GET')).body as { sockets: number; subscriptions: number };
    assert.deepEqual([stats.sockets, stats.subscriptions], [1, 0], 'nothing subscribed, the socket open');
  });

  test('a since or a reauth with the wrong wire type, a seq of 2^53 or a since twice is MALFORMED in protobuf', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer', { encoding: 'protobuf' });
    const kind = wire.varint(1, api.SubKind.CATEGORIES);
    const sub = (...fields: Buffer[]): Buffer => wire.bytes(F.sub, Buffer.concat([kind, ...fields]));
    const frames: [string, Buffer][] = [
      ['since as a varint', sub(wire.varint(2, 5))],
      ['epoch as a varint', sub(wire.bytes(2, wire.varint(1, 1)))],
      ['seq as a string', sub(wire.bytes(2, wire.bytes(2, '3')))],
      ['seq as a double', sub(wire.bytes(2, wire.double(2, 3)))],
      ['seq of 2^53', sub(wire.bytes(2, wire.varint(2, 2n ** 53n)))],
      ['since twice', sub(wire.bytes(2, wire.varint(2, 1)), wire.bytes(2, wire.varint(2, 1)))],
      ['accessToken as a varint', wire.bytes(F.reauth, wire.varint(1, 5))],
      ['reauth as a varint', wire.varint(F.reauth, 1)],
      ['reauth twice', Buffer.concat([wire.bytes(F.reauth, Buffer.alloc(0)), wire.bytes(F.reauth, Buffer.alloc(0))])],
      ['an ill-formed epoch, then a seq of the wrong type', sub(wire.bytes(2, Buffer.concat([wire.bytes(1, Buffer.from([0xff])), wire.bytes(2, 'x')])))],
    ];
    for (const [index, [what, body]] of frames.entries()) {
      client.sendRaw(Buffer.concat([wire.varint(F.id, 90 + index), body]), true);
      await expectError(client, api.ErrorCode.MALFORMED, 90 + index, what);
    }
    client.sendRaw(Buffer.concat([wire.varint(F.id, 110), sub(wire.bytes(2, wire.bytes(1, Buffer.from([0xc0, 0x80]))))]), true);
    await expectError(client, api.ErrorCode.BAD_REQUEST, 110, 'an epoch that is not UTF-8');

    client.sendRaw(Buffer.concat([wire.varint(F.id, 111), sub(wire.bytes(2, wire.varint(2, 2n ** 53n - 1n)))]), true);
    const answer = await client.nextMessage();
    assert.equal(answer.id, 111);
    assert.equal(answer.subscribed?.recovery, api.Recovery.RESYNC, 'the largest seq is taken, and is ahead of the stream');
    assert.ok((await client.nextMessage()).sub?.categories);
  });
});
