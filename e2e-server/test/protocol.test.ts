// The shared protocol module: both encodings round-trip, and bad frames become MalformedFrameError.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MalformedFrameError,
  Subprotocol,
  api,
  decodeRequestFrame,
  decodeResponseFrame,
  encodeRequestFrame,
  encodeResponseFrame,
  encodingOf,
  requestToJson,
  responseToJson,
} from '../src/protocol.js';

describe('protocol module', () => {
  test('a request round-trips through both encodings', () => {
    for (const encoding of ['json', 'protobuf'] as const) {
      const frame = encodeRequestFrame(encoding, { id: 12, sub: { kind: api.SubKind.AUDIT_LOG } });
      const request = decodeRequestFrame(encoding, frame);
      assert.equal(request.id, 12, encoding);
      assert.equal(request.body, 'sub', encoding);
      assert.equal(request.sub?.kind, api.SubKind.AUDIT_LOG, encoding);
    }
  });

  test('a push round-trips through both encodings', () => {
    const push = { id: 0, sub: { kind: api.SubKind.CATEGORIES, categoryUpdate: { id: 'c-1', name: 'Soups', version: 3, updatedBy: 'admin' } } };
    for (const encoding of ['json', 'protobuf'] as const) {
      const response = decodeResponseFrame(encoding, encodeResponseFrame(encoding, push));
      assert.equal(response.body, 'sub');
      assert.equal(response.sub?.categoryUpdate?.name, 'Soups');
      assert.equal(response.sub?.categoryUpdate?.version, 3);
    }
  });

  test('JSON frames carry enums as strings and leave defaults out', () => {
    assert.equal(requestToJson({ id: 1, sub: { kind: api.SubKind.CATEGORIES } }), '{"id":1,"sub":{"kind":"CATEGORIES"}}');
    assert.equal(
      responseToJson({ id: 0, error: { code: api.ErrorCode.FORBIDDEN, message: 'no' } }),
      '{"error":{"code":"FORBIDDEN","message":"no"}}',
    );
    const decoded = decodeRequestFrame('json', '{"id":2,"sub":{"kind":"NOTIFICATIONS"}}');
    assert.equal(decoded.sub?.kind, api.SubKind.NOTIFICATIONS);
  });

  test('the subprotocol selects the encoding; none means protobuf', () => {
    assert.equal(encodingOf(Subprotocol.Json), 'json');
    assert.equal(encodingOf(Subprotocol.Protobuf), 'protobuf');
    assert.equal(encodingOf(''), 'protobuf');
  });

  test('undecodable frames throw MalformedFrameError', () => {
    const bad: [Parameters<typeof decodeRequestFrame>[0], string | Uint8Array][] = [
      ['json', 'not json'],
      ['json', '"a string"'],
      ['json', '{"auth":5}'],
      ['json', '{"ping":{},"menuList":{}}'],
      ['json', new Uint8Array([1, 2])],
      ['protobuf', 'text'],
      ['protobuf', new Uint8Array([0xff, 0xff, 0xff])],
    ];
    for (const [encoding, frame] of bad) {
      assert.throws(() => decodeRequestFrame(encoding, frame), MalformedFrameError, `${encoding} ${String(frame)}`);
    }
  });

  test('an empty protobuf frame decodes to a request without a body', () => {
    const request = decodeRequestFrame('protobuf', new Uint8Array(0));
    assert.equal(request.body, undefined);
    assert.equal(request.id, 0);
  });
});
