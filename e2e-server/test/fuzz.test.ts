// Random and mutated frames in both encodings, before and after auth, and random HTTP bodies, from
// a fixed seed (FUZZ_SEED=<n> replays another). Invariants: the server stays up and never answers
// INTERNAL; every frame gets exactly one answer, with the id PROTOCOL.md gives it; every reply
// decodes in the client's encoding; another connection keeps getting pongs and pushes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Encoding } from '../src/protocol.js';
import { CloseCode } from '../src/protocol.js';
import { isWellFormed } from '../src/request-validation.js';
import { toBuffer } from '../src/ws-frames.js';
import type { FuzzFrame } from './fuzz-frames.js';
import { Random, SENTINEL_BASE, answeredLater, expectedId, fuzzFrame, jsonValue, mutateBytes } from './fuzz-frames.js';
import type { TestClient, TestEnv } from './helpers.js';
import { api, useServer } from './helpers.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 0x5eed_2024);
const CASES_AFTER_AUTH = 2500;
const CASES_BEFORE_AUTH = 400;
const HTTP_CASES = 300;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Runs one case; a failure names the seed and the case, so it can be replayed and kept as a test. */
async function fuzzCase(label: string, index: number, frame: FuzzFrame | undefined, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    const shown = frame ? ` ${frame.binary ? 'binary' : 'text'} frame (${frame.what}) ${frame.data.toString('hex')}` : '';
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${label} case ${index} with FUZZ_SEED=${SEED}:${shown}\n${message}`, { cause: error });
  }
}

// ---------------------------------------------------------------- what every reply must be

/** Watches a client's raw frames: right frame type for its encoding, UTF-8 text, well-formed strings. */
function watchFrames(client: TestClient, problems: string[]): void {
  client.ws.on('message', (data, isBinary) => {
    const bytes = toBuffer(data);
    if (client.encoding === 'protobuf') {
      if (!isBinary) problems.push(`a text frame on a protobuf socket: ${bytes.toString()}`);
      return;
    }
    if (isBinary) return void problems.push(`a binary frame on a JSON socket: ${bytes.toString('hex')}`);
    try {
      const value: unknown = JSON.parse(strictUtf8.decode(bytes));
      if (!wellFormedJson(value)) problems.push(`a reply with null or ill-formed text: ${bytes.toString()}`);
    } catch {
      problems.push(`a text frame that is not UTF-8 JSON: ${bytes.toString('hex')}`);
    }
  });
}

/** What the server's JSON may hold: no `null` (a field without a value is left out), well-formed strings. */
function wellFormedJson(value: unknown): boolean {
  if (value === null) return false;
  if (typeof value === 'string') return isWellFormed(value);
  if (Array.isArray(value)) return value.every(wellFormedJson);
  if (typeof value === 'object') return Object.entries(value).every(([key, inner]) => isWellFormed(key) && wellFormedJson(inner));
  return true;
}

const ERRORS_AFTER_AUTH = new Set([
  api.ErrorCode.MALFORMED,
  api.ErrorCode.UNKNOWN_MESSAGE,
  api.ErrorCode.FORBIDDEN,
  api.ErrorCode.NOT_FOUND,
  api.ErrorCode.BAD_REQUEST,
  api.ErrorCode.ALREADY_AUTHORIZED,
  // A reauth with a token that is not valid here.
  api.ErrorCode.TOKEN_INVALID,
]);

/** The close that follows each error before auth. */
const CLOSE_BEFORE_AUTH = new Map<api.ErrorCode, number>([
  [api.ErrorCode.MALFORMED, CloseCode.ProtocolViolation],
  [api.ErrorCode.BAD_REQUEST, CloseCode.ProtocolViolation],
  [api.ErrorCode.UNAUTHENTICATED, CloseCode.ProtocolViolation],
  [api.ErrorCode.TOKEN_INVALID, CloseCode.AuthRefused],
  [api.ErrorCode.TOKEN_REVOKED, CloseCode.AuthRefused],
  [api.ErrorCode.TOKEN_EXPIRED, CloseCode.TokenExpired],
]);

/** Every reply up to the sentinel's pong, in order (the pong left out). */
async function repliesUntil(client: TestClient, sentinel: number): Promise<api.Response[]> {
  client.send({ id: sentinel, ping: { clientTime: 1 } });
  const replies: api.Response[] = [];
  for (;;) {
    const reply = await client.nextMessage();
    if (reply.id === sentinel && reply.pong) return replies;
    replies.push(reply);
  }
}

/** A second user on the other encoding, subscribed to the menu: it must not notice the fuzzing. */
async function bystander(env: TestEnv, encoding: Encoding, problems: string[]): Promise<TestClient> {
  const { client } = await env.signIn('viewer', { encoding });
  watchFrames(client, problems);
  await client.request({ sub: { kind: api.SubKind.CATEGORIES } });
  return client;
}

// ---------------------------------------------------------------- the suites

describe('fuzz', () => {
  for (const [round, encoding] of (['json', 'protobuf'] as const).entries()) {
    const other: Encoding = encoding === 'json' ? 'protobuf' : 'json';

    test(`${CASES_AFTER_AUTH} random ${encoding} frames after auth: one answer each, with the right id, never INTERNAL`, async (t) => {
      const rng = new Random(SEED + round);
      const env = await useServer(t);
      const problems: string[] = [];
      const watcher = await bystander(env, other, problems);
      const { client, grant } = await env.signIn('manager', { encoding });
      watchFrames(client, problems);
      await client.request({ sub: { kind: api.SubKind.CATEGORIES } });
      let closeCode: number | undefined;
      void client.closed.then(({ code }) => (closeCode = code));

      for (let i = 0; i < CASES_AFTER_AUTH; i += 1) {
        const frame = fuzzFrame(rng, encoding, grant.accessToken, 0);
        await fuzzCase(`${encoding} after auth`, i, frame, async () => {
          client.sendRaw(frame.data, frame.binary);
          const late = answeredLater(encoding, frame)
            ? client.waitFor((reply) => reply.body === 'reauthed' || reply.body === 'error', 2000, 'the answer to a reauth')
            : undefined;
          const replies = await repliesUntil(client, SENTINEL_BASE + i);
          const answers = replies.filter((reply) => !(reply.id === 0 && reply.body === 'sub'));
          if (late) answers.push(await late);
          assert.equal(answers.length, 1, `one answer, got ${JSON.stringify(replies.map((reply) => reply.toJSON()))}`);
          const answer = answers[0] as api.Response;
          assert.equal(answer.id, expectedId(encoding, frame), `the id of ${JSON.stringify(answer.toJSON())}`);
          const code = answer.error?.code;
          if (answer.error) assert.ok(code != null && ERRORS_AFTER_AUTH.has(code), `error ${JSON.stringify(answer.toJSON())}`);
          assert.equal(closeCode, undefined, 'the socket stays open');
          assert.deepEqual(problems, []);
          if (i % 50 === 49) await watcher.roundTrip();
        });
      }

      // The bystander still gets pushes, decodable, after all that.
      const added = await client.request({ menuAdd: { name: `After fuzzing ${encoding}` } });
      const id = added.menuAdd?.category?.id;
      assert.ok(id, JSON.stringify(added.toJSON()));
      await watcher.waitFor((reply) => reply.sub?.categoryUpdate?.id === id);
      await watcher.roundTrip();
      assert.equal(client.undecodable + watcher.undecodable, 0);
      assert.deepEqual(problems, []);
    });

    test(`${CASES_BEFORE_AUTH} random ${encoding} first frames: one answer with the right id, then the documented close`, async (t) => {
      const rng = new Random(SEED + 10 + round);
      const env = await useServer(t);
      const problems: string[] = [];
      const watcher = await bystander(env, other, problems);
      const grant = await env.login('manager');

      for (let i = 0; i < CASES_BEFORE_AUTH; i += 1) {
        const frame = fuzzFrame(rng, encoding, grant.accessToken, 0.6);
        await fuzzCase(`${encoding} before auth`, i, frame, async () => {
          const client = await env.connect({ encoding });
          watchFrames(client, problems);
          client.sendRaw(frame.data, frame.binary);
          const answer = await client.nextMessage();
          assert.equal(answer.id, expectedId(encoding, frame), `the id of ${JSON.stringify(answer.toJSON())}`);
          if (answer.auth) {
            await client.roundTrip();
          } else {
            const code = answer.error?.code;
            const expectedClose = code == null ? undefined : CLOSE_BEFORE_AUTH.get(code);
            assert.ok(expectedClose, `an answer that is no auth and no refusal: ${JSON.stringify(answer.toJSON())}`);
            assert.equal((await client.waitForClose()).code, expectedClose);
            assert.equal(client.pending.length, 0, 'nothing after the refusal');
          }
          client.terminate();
          assert.equal(client.undecodable, 0);
          assert.deepEqual(problems, []);
          if (i % 25 === 24) await watcher.roundTrip();
        });
      }
      await watcher.roundTrip();
      assert.equal(watcher.undecodable, 0);
    });
  }

  test(`${HTTP_CASES} random HTTP bodies: never a 500, always a JSON answer`, async (t) => {
    const rng = new Random(SEED + 20);
    const env = await useServer(t);
    // Signed in before any fuzzed login can fail (and throttle admin); a fuzzed logout may end some.
    const sessions = await Promise.all(Array.from({ length: 10 }, () => env.login('admin')));
    const admin = sessions[0] as (typeof sessions)[number];
    const valid = {
      '/api/auth/login': { login: 'admin', password: 'admin-pass' },
      '/api/auth/refresh': { refreshToken: admin.refreshToken },
      '/api/auth/login-as': { userId: 'u-viewer' },
      '/api/auth/logout': { fromAllDevices: false },
    } as const;
    for (let i = 0; i < HTTP_CASES; i += 1) {
      const path = rng.pick(Object.keys(valid) as (keyof typeof valid)[]);
      const object: Record<string, unknown> = { ...valid[path] };
      for (let n = rng.int(3); n > 0; n -= 1) object[rng.pick([...Object.keys(object), 'x'])] = jsonValue(rng);
      const text = JSON.stringify(object);
      const body = rng.pick([() => Buffer.from(text), () => mutateBytes(rng, Buffer.from(text)), () => rng.bytes(rng.int(30))])();
      const frame = { data: body, binary: false, what: path };
      await fuzzCase('HTTP', i, frame, async () => {
        const token = path === '/api/auth/login-as' || path === '/api/auth/logout' ? rng.pick(sessions).accessToken : undefined;
        const response = await fetch(env.server.httpUrl + path, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
          body: new Uint8Array(body),
        });
        assert.ok([200, 204, 400, 401, 403, 404, 429].includes(response.status), `status ${response.status}`);
        const answer = await response.text();
        if (response.status !== 204) assert.doesNotThrow(() => JSON.parse(answer), answer);
      });
    }
    assert.equal((await env.http('GET', '/api/health')).status, 200);
  });
});
