// The shared protocol module: both encodings round-trip, and bad frames become MalformedFrameError.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  IllFormedTextError,
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
import { REQUEST_BODY_SPECS } from '../src/request-validation.js';

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

  test('the strict checks know every request body and field of api.proto, nested ones included, with its number and type', () => {
    const fieldsOf = (prototype: object): string[] =>
      Object.keys(prototype).filter((key) => typeof Reflect.get(prototype, key) !== 'function');
    assert.deepEqual(fieldsOf(api.Request.prototype).sort(), ['id', ...REQUEST_BODY_SPECS.map((spec) => spec.name)].sort());
    const samples = { string: 's', double: 1.5, SubKind: api.SubKind.AUDIT_LOG, uint64: 7 } as const;
    const wireTypes = { string: 2, double: 1, SubKind: 0, uint64: 0 } as const;
    for (const spec of REQUEST_BODY_SPECS) {
      const body: unknown = api.Request.fromObject({ [spec.name]: {} })[spec.name];
      assert.ok(body && typeof body === 'object', spec.name);
      assert.deepEqual(fieldsOf(Object.getPrototypeOf(body) as object).sort(), spec.fields.map((field) => field.name).sort(), spec.name);
      for (const field of spec.fields) {
        if (field.type === 'message') {
          const nested: unknown = Reflect.get(api.Request.fromObject({ [spec.name]: { [field.name]: {} } })[spec.name] ?? {}, field.name);
          assert.ok(nested && typeof nested === 'object', `${spec.name}.${field.name}`);
          assert.deepEqual(fieldsOf(Object.getPrototypeOf(nested) as object).sort(), field.fields.map((inner) => inner.name).sort());
          for (const inner of field.fields) {
            assert.notEqual(inner.type, 'message', 'two levels of nesting are not checked here');
            if (inner.type === 'message') continue;
            const request = { [spec.name]: { [field.name]: { [inner.name]: samples[inner.type] } } };
            const bytes = encodeRequestFrame('protobuf', request) as Uint8Array;
            assert.equal(bytes[2], (field.number << 3) | 2, `${spec.name}.${field.name} number`);
            assert.equal(bytes[4], (inner.number << 3) | wireTypes[inner.type], `${spec.name}.${field.name}.${inner.name} number and type`);
            const decoded: unknown = Reflect.get(decodeRequestFrame('protobuf', bytes)[spec.name] ?? {}, field.name);
            assert.equal(Reflect.get(decoded as object, inner.name), samples[inner.type]);
          }
          continue;
        }
        const bytes = encodeRequestFrame('protobuf', { [spec.name]: { [field.name]: samples[field.type] } }) as Uint8Array;
        assert.equal(bytes[0], (spec.number << 3) | 2, `${spec.name} number`);
        assert.equal(bytes[2], (field.number << 3) | wireTypes[field.type], `${spec.name}.${field.name} number and type`);
        assert.equal(Reflect.get(decodeRequestFrame('protobuf', bytes)[spec.name] ?? {}, field.name), samples[field.type]);
      }
    }
  });

  test('a position\'s seq decodes as a number in both encodings, requests and responses alike', () => {
    const position = { epoch: 'e-1', seq: 2 ** 40 + 3 };
    for (const encoding of ['json', 'protobuf'] as const) {
      const request = decodeRequestFrame(encoding, encodeRequestFrame(encoding, { id: 1, sub: { kind: api.SubKind.CATEGORIES, since: position } }));
      assert.deepEqual([request.sub?.since?.epoch, request.sub?.since?.seq], [position.epoch, position.seq], encoding);
      const push = decodeResponseFrame(encoding, encodeResponseFrame(encoding, { sub: { kind: api.SubKind.CATEGORIES, categoryDelete: 'c-1', position } }));
      assert.equal(push.sub?.position?.seq, position.seq, encoding);
      const answer = decodeResponseFrame(encoding, encodeResponseFrame(encoding, { id: 2, subscribed: { kind: api.SubKind.CATEGORIES, position: { epoch: 'e-1' } } }));
      assert.equal(answer.subscribed?.position?.seq, 0, `${encoding}: a seq left out is 0`);
      assert.equal(typeof answer.subscribed?.position?.seq, 'number', encoding);
    }
    assert.equal(
      responseToJson({ sub: { kind: api.SubKind.CATEGORIES, categoryDelete: 'c-1', position } }),
      `{"sub":{"kind":"CATEGORIES","categoryDelete":"c-1","position":{"epoch":"e-1","seq":${position.seq}}}}`,
    );
  });

  test('a decoding error carries the request id when the id itself was valid', () => {
    const malformed = (encoding: 'json' | 'protobuf', frame: string | Uint8Array): MalformedFrameError => {
      try {
        decodeRequestFrame(encoding, frame);
      } catch (error) {
        if (error instanceof MalformedFrameError) return error;
      }
      throw new Error(`not malformed: ${String(frame)}`);
    };
    assert.equal(malformed('json', '{"id":7,"ping":{"clientTime":"x"}}').requestId, 7);
    assert.equal(malformed('json', '{"id":-7,"ping":{}}').requestId, 0);
    assert.equal(malformed('protobuf', new Uint8Array([0x08, 0x07, 0x2a, 0x00, 0x32, 0x00])).requestId, 7);
    assert.equal(malformed('protobuf', new Uint8Array([0x08, 0x07, 0xff])).requestId, 0);
    assert.throws(() => decodeRequestFrame('json', '{"id":8,"menuAdd":{"name":"\\udc00"}}'), (error: unknown) => {
      return error instanceof IllFormedTextError && error.requestId === 8 && error.field === 'menuAdd.name';
    });
  });

  test('an empty protobuf frame decodes to a request without a body', () => {
    const request = decodeRequestFrame('protobuf', new Uint8Array(0));
    assert.equal(request.body, undefined);
    assert.equal(request.id, 0);
  });
});
