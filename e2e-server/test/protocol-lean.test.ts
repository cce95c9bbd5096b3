// The lean protocol module (protocol-lean.ts, what the demo bundles) speaks the same protobuf as the
// full one: the same bytes out, the same messages in, and a real server understands it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import WebSocket from 'ws';
import * as full from '../src/protocol.js';
import * as lean from '../src/protocol-lean.js';
import { toBuffer } from '../src/ws-frames.js';
import { MessageQueue, socketOpen, useServer } from './helpers.js';

const { SubKind, ErrorCode } = full.api;

/** A decoded message as plain data: its own fields, recursively (the two modules' classes differ). */
function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return [...value];
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, plain(field)]));
  return value;
}

const REQUESTS: full.RequestInit[] = [
  { id: 1, auth: { accessToken: 'a.b.c' } },
  { id: 2, sub: { kind: SubKind.CATEGORIES } },
  { id: 3, sub: { kind: SubKind.AUDIT_LOG, since: { epoch: 'e-1', seq: 41 } } },
  { id: 4, unsub: { kind: SubKind.NOTIFICATIONS } },
  { id: 5, ping: { clientTime: 1_700_000_000_000 } },
  { id: 6, menuList: {} },
  { id: 7, menuAdd: { name: 'Soups' } },
  { id: 8, menuRename: { id: 'c-1', name: 'Starters' } },
  { id: 9, menuDelete: { id: 'c-1' } },
  { id: 10, reauth: { accessToken: 'd.e.f' } },
];

const RESPONSES: full.ResponseInit[] = [
  { id: 1, error: { code: ErrorCode.TOKEN_EXPIRED, message: 'expired' } },
  { id: 2, subscribed: { kind: SubKind.CATEGORIES, position: { epoch: 'e-1', seq: 7 } } },
  { id: 0, sub: { kind: SubKind.CATEGORIES, position: { epoch: 'e-1', seq: 8 }, categoryUpdate: { id: 'c-1', name: 'Soups', version: 3 } } },
  { id: 3, menuDelete: { id: 'c-1' } },
];

describe('lean protocol module', () => {
  test('encodes every request to the bytes the full module encodes', () => {
    for (const request of REQUESTS) {
      assert.deepEqual(lean.encodeRequest(request), full.encodeRequest(request), JSON.stringify(request));
    }
  });

  test('decodes every response as the full module does, positions as numbers', () => {
    for (const response of RESPONSES) {
      const bytes = full.encodeResponse(response);
      assert.deepEqual(plain(lean.decodeResponse(bytes)), plain(full.decodeResponse(bytes)), JSON.stringify(response));
    }
    const push = lean.decodeResponse(full.encodeResponse(RESPONSES[2] as full.ResponseInit));
    assert.equal(push.sub?.position?.seq, 8);
  });

  test('refuses bytes that are not a response with MalformedFrameError', () => {
    assert.throws(() => lean.decodeResponse(Uint8Array.of(0x0a, 0x05, 0x01)), lean.MalformedFrameError);
  });

  test('has the codes and subprotocol names of the full module', () => {
    assert.equal(lean.Subprotocol, full.Subprotocol);
    assert.equal(lean.CloseCode, full.CloseCode);
    assert.equal(lean.CLIENT_CLOSE_POLICY, full.CLIENT_CLOSE_POLICY);
    assert.equal(lean.CLIENT_RECOVERY, full.CLIENT_RECOVERY);
    assert.deepEqual({ ...lean.ErrorCode }, { ...full.ErrorCode });
    assert.deepEqual({ ...lean.api.SubKind }, { ...full.api.SubKind });
  });

  test('signs in, subscribes and reads a push from a real server', async (t) => {
    const env = await useServer(t);
    const grant = await env.login('admin');
    const url = new URL('/ws', env.server.wsUrl).href;
    const ws = new WebSocket(url, [lean.Subprotocol.Protobuf]);
    t.after(() => ws.terminate());
    const received = new MessageQueue<lean.api.Response>();
    ws.on('message', (data) => received.push(lean.decodeResponse(toBuffer(data))));
    await socketOpen(ws, url);
    const ask = (request: lean.api.Request.$Properties, what: string) => {
      const answer = received.waitFor((response) => response.id === request.id, 2000, what);
      ws.send(lean.encodeRequest(request));
      return answer;
    };

    const auth = await ask({ id: 1, auth: { accessToken: grant.accessToken } }, 'the auth answer');
    assert.equal(auth.auth?.user?.role, lean.api.Role.ADMIN);
    const subscribed = await ask({ id: 2, sub: { kind: lean.api.SubKind.CATEGORIES } }, 'the subscribed answer');
    assert.equal(typeof subscribed.subscribed?.position?.seq, 'number');
    const added = await ask({ id: 3, menuAdd: { name: 'Lean soups' } }, 'the menuAdd answer');
    assert.equal(added.menuAdd?.category?.name, 'Lean soups');
    const push = await received.waitFor((response) => response.sub?.categoryUpdate?.name === 'Lean soups', 2000, 'the push of the new category');
    assert.equal(push.sub?.position?.seq, (subscribed.subscribed?.position?.seq ?? 0) + 1);
  });
});
