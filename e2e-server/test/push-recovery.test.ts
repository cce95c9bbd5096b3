// Missed-push recovery: every push carries its position in the stream of its kind, and a client
// that subscribes again with `since` gets exactly what it missed, in order, before newer pushes; or
// a resync when the history cannot give it that.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Encoding } from '../src/protocol.js';
import type { TestClient, TestEnv } from './helpers.js';
import { api, useServer, waitUntil } from './helpers.js';

const { CATEGORIES, AUDIT_LOG, NOTIFICATIONS } = api.SubKind;
const { NONE, RECOVERED, RESYNC } = api.Recovery;
const ENCODINGS = ['json', 'protobuf'] as const;

interface Position {
  epoch: string;
  seq: number;
}

interface HistoryBody {
  maxCount: number;
  maxAgeMs: number;
  streams: Record<'CATEGORIES' | 'AUDIT_LOG' | 'NOTIFICATIONS', { epoch: string; seq: number; retained: number; oldestSeq: number }>;
}

function positionOf(position: api.IStreamPosition | null | undefined): Position {
  assert.ok(position, 'a position');
  return { epoch: position.epoch ?? '', seq: position.seq ?? 0 };
}

/** Subscribes and resolves with the `subscribed` answer (an error fails the test). */
async function subscribe(client: TestClient, kind: api.SubKind, since?: Position): Promise<api.ISubscribeResponse> {
  const answer = await client.request({ sub: { kind, ...(since ? { since } : {}) } });
  assert.ok(answer.subscribed, JSON.stringify(answer.toJSON()));
  return answer.subscribed;
}

/** The next `count` messages, each of which must be a push. */
async function nextPushes(client: TestClient, count: number): Promise<api.ISubscriptionPush[]> {
  const pushes: api.ISubscriptionPush[] = [];
  for (let n = 0; n < count; n += 1) {
    const message = await client.nextMessage();
    assert.ok(message.id === 0 && message.sub, `expected a push, got ${JSON.stringify(message.toJSON())}`);
    pushes.push(message.sub);
  }
  return pushes;
}

/** Nothing more came: everything the server sent before a pong has arrived and was taken. */
async function expectNothingMore(client: TestClient): Promise<void> {
  await client.roundTrip();
  assert.deepEqual(
    client.pending.map((message) => message.toJSON()),
    [],
  );
}

async function history(env: TestEnv): Promise<HistoryBody> {
  const result = await env.control('history', 'GET');
  assert.equal(result.status, 200);
  return result.body as HistoryBody;
}

async function add(env: TestEnv, manager: TestClient, name: string): Promise<string> {
  const answer = await manager.request({ menuAdd: { name } });
  const id = answer.menuAdd?.category?.id;
  assert.ok(id, JSON.stringify(answer.toJSON()));
  return id;
}

/** A viewer subscribed to CATEGORIES, list taken; resolves with where the stream stood. */
async function subscribedViewer(env: TestEnv, encoding: Encoding = 'json'): Promise<{ client: TestClient; position: Position }> {
  const { client } = await env.signIn('viewer', { encoding });
  const answer = await subscribe(client, CATEGORIES);
  assert.equal(answer.recovery, NONE);
  const [list] = await nextPushes(client, 1);
  assert.ok(list?.categories, 'the whole list first');
  return { client, position: positionOf(answer.position) };
}

describe('push positions', () => {
  test('a fresh subscription is NONE at the current position; the whole list that follows has no position', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer');
    const answer = await subscribe(client, CATEGORIES);
    assert.equal(answer.recovery, NONE);
    assert.equal(answer.replayed ?? 0, 0);
    const position = positionOf(answer.position);
    assert.equal(position.seq, 0);
    assert.equal(position.epoch, (await history(env)).streams.CATEGORIES.epoch);
    const [list] = await nextPushes(client, 1);
    assert.equal(list?.categories?.items?.length, 4);
    assert.equal(list?.position ?? null, null);
  });

  for (const encoding of ENCODINGS) {
    test(`every push over ${encoding} carries its kind's epoch and a seq one more than the one before, from 1`, async (t) => {
      const env = await useServer(t);
      const { client: viewer, position } = await subscribedViewer(env, encoding);
      const { client: admin } = await env.signIn('admin', { encoding });
      const audit = positionOf((await subscribe(admin, AUDIT_LOG)).position);
      assert.notEqual(audit.epoch, position.epoch, 'each kind has its own stream');
      const { client: manager } = await env.signIn('manager');
      for (const name of ['Soups', 'Salads', 'Teas']) await add(env, manager, name);
      const pushes = await nextPushes(viewer, 3);
      assert.deepEqual(
        pushes.map((push) => [push.categoryUpdate?.name, positionOf(push.position)]),
        [
          ['Soups', { epoch: position.epoch, seq: 1 }],
          ['Salads', { epoch: position.epoch, seq: 2 }],
          ['Teas', { epoch: position.epoch, seq: 3 }],
        ],
      );
      const entries = await nextPushes(admin, 3);
      assert.deepEqual(
        entries.map((push) => positionOf(push.position).seq),
        [1, 2, 3],
      );
      assert.ok(entries.every((push) => positionOf(push.position).epoch === audit.epoch));
      assert.equal((await subscribe(viewer, CATEGORIES)).position?.seq, 3, 'subscribed tells the position now');
    });
  }

  test('NOTIFICATIONS number every push once for all users: a user sees gaps where its own changes were', async (t) => {
    const env = await useServer(t);
    const notifications = async (who: 'admin' | 'viewer'): Promise<TestClient> => {
      const { client } = await env.signIn(who, { path: '/ws/notifications' });
      assert.equal((await subscribe(client, NOTIFICATIONS)).position?.seq ?? 0, 0);
      return client;
    };
    const viewer = await notifications('viewer');
    const admin = await notifications('admin');
    const { client: managerMain } = await env.signIn('manager');
    const { client: adminMain } = await env.signIn('admin');
    await add(env, managerMain, 'By the manager');
    await add(env, adminMain, 'By the admin');
    await add(env, managerMain, 'By the manager again');
    assert.deepEqual(
      (await nextPushes(viewer, 3)).map((push) => positionOf(push.position).seq),
      [1, 2, 3],
    );
    assert.deepEqual(
      (await nextPushes(admin, 2)).map((push) => positionOf(push.position).seq),
      [1, 3],
    );
    await expectNothingMore(admin);
  });
});

describe('missed-push recovery', () => {
  for (const encoding of ENCODINGS) {
    test(`a resubscription with since over ${encoding} gets exactly the missed pushes in order, then live ones`, async (t) => {
      const env = await useServer(t);
      const { client: manager } = await env.signIn('manager');
      const { client: first, position: start } = await subscribedViewer(env, encoding);
      const soups = await add(env, manager, 'Soups');
      const [seen] = await nextPushes(first, 1);
      const lastSeen = positionOf(seen?.position);
      assert.deepEqual(lastSeen, { epoch: start.epoch, seq: 1 });
      first.terminate();
      await first.waitForClose();

      const salads = await add(env, manager, 'Salads');
      await manager.request({ menuRename: { id: salads, name: 'Green salads' } });
      await manager.request({ menuDelete: { id: soups } });

      const { client: again } = await env.signIn('viewer', { encoding });
      const answer = await subscribe(again, CATEGORIES, lastSeen);
      assert.equal(answer.recovery, RECOVERED);
      assert.equal(answer.replayed, 3);
      assert.deepEqual(positionOf(answer.position), { epoch: start.epoch, seq: 4 });
      const replay = await nextPushes(again, 3);
      assert.deepEqual(
        replay.map((push) => [positionOf(push.position).seq, push.categoryUpdate?.name ?? push.categoryDelete]),
        [
          [2, 'Salads'],
          [3, 'Green salads'],
          [4, soups],
        ],
      );
      assert.equal(replay[1]?.categoryUpdate?.version, 2, 'a replayed push is the one sent then');

      await add(env, manager, 'Teas');
      const [live] = await nextPushes(again, 1);
      assert.deepEqual([positionOf(live?.position).seq, live?.categoryUpdate?.name], [5, 'Teas']);
      await expectNothingMore(again);
    });
  }

  test('pushes published while the client resubscribes come once each, in order, after the replay', async (t) => {
    const env = await useServer(t);
    const { client: manager } = await env.signIn('manager', { encoding: 'protobuf' });
    const { client: first, position } = await subscribedViewer(env);
    first.terminate();
    await first.waitForClose();
    await add(env, manager, 'Missed');
    const { client: again } = await env.signIn('viewer');

    const answers = ['A', 'B', 'C', 'D', 'E'].map((name, index) => {
      const id = 500 + index;
      const answer = manager.waitFor((response) => response.id === id, 2000, `the add of ${name}`);
      manager.send({ id, menuAdd: { name } });
      return answer;
    });
    const subscribed = subscribe(again, CATEGORIES, position);
    await Promise.all(answers);
    const answer = await subscribed;
    assert.equal(answer.recovery, RECOVERED);
    const pushes = await nextPushes(again, 6);
    assert.deepEqual(
      pushes.map((push) => positionOf(push.position).seq),
      [1, 2, 3, 4, 5, 6],
    );
    assert.equal(answer.replayed, positionOf(answer.position).seq, 'the replay reaches the position of the answer');
    await expectNothingMore(again);
  });

  test('a since at the current position is RECOVERED with nothing to replay and no list', async (t) => {
    const env = await useServer(t);
    const { client: manager } = await env.signIn('manager');
    await add(env, manager, 'Soups');
    const { client, position } = await subscribedViewer(env);
    assert.equal(position.seq, 1);
    const answer = await subscribe(client, CATEGORIES, position);
    assert.equal(answer.recovery, RECOVERED);
    assert.equal(answer.replayed ?? 0, 0);
    await expectNothingMore(client);
  });

  test('a replay leaves out what the user may not receive: NOTIFICATIONS of its own changes', async (t) => {
    const env = await useServer(t);
    const { client: first } = await env.signIn('manager', { path: '/ws/notifications' });
    const since = positionOf((await subscribe(first, NOTIFICATIONS)).position);
    first.terminate();
    await first.waitForClose();
    const { client: managerMain } = await env.signIn('manager');
    const { client: adminMain } = await env.signIn('admin');
    await add(env, managerMain, 'Own change');
    await add(env, adminMain, 'By the admin');

    const { client: again } = await env.signIn('manager', { path: '/ws/notifications', encoding: 'protobuf' });
    const answer = await subscribe(again, NOTIFICATIONS, since);
    assert.equal(answer.recovery, RECOVERED);
    assert.equal(answer.replayed, 1);
    assert.deepEqual(positionOf(answer.position), { epoch: since.epoch, seq: 2 });
    const [push] = await nextPushes(again, 1);
    assert.equal(positionOf(push?.position).seq, 2);
    assert.match(push?.notification?.text ?? '', /By the admin/);
    await expectNothingMore(again);
  });

  test('an epoch that changed (control reset) gets RESYNC and the whole list', async (t) => {
    const env = await useServer(t);
    const { client, position } = await subscribedViewer(env);
    const { client: manager } = await env.signIn('manager');
    await add(env, manager, 'Soups');
    await nextPushes(client, 1);
    await env.control('reset');
    await client.waitForClose();

    const { client: again } = await env.signIn('viewer', { encoding: 'protobuf' });
    const answer = await subscribe(again, CATEGORIES, { epoch: position.epoch, seq: 1 });
    assert.equal(answer.recovery, RESYNC);
    assert.equal(answer.replayed ?? 0, 0);
    const now = positionOf(answer.position);
    assert.notEqual(now.epoch, position.epoch);
    assert.equal(now.seq, 0);
    const [list] = await nextPushes(again, 1);
    assert.deepEqual(
      list?.categories?.items?.map((category) => category.name),
      ['Starters', 'Mains', 'Desserts', 'Drinks'],
    );
    await expectNothingMore(again);
  });

  test('a since ahead of the stream, or of no epoch, gets RESYNC', async (t) => {
    const env = await useServer(t);
    const { client, position } = await subscribedViewer(env);
    for (const since of [{ ...position, seq: position.seq + 1 }, { epoch: '', seq: 0 }, { epoch: position.epoch, seq: Number.MAX_SAFE_INTEGER }]) {
      const answer = await subscribe(client, CATEGORIES, since);
      assert.equal(answer.recovery, RESYNC, JSON.stringify(since));
      assert.ok((await nextPushes(client, 1))[0]?.categories, 'the whole list follows');
    }
  });

  for (const encoding of ENCODINGS) {
    test(`a history exhausted by count gets RESYNC over ${encoding}; one that still reaches back gets RECOVERED`, async (t) => {
      const env = await useServer(t);
      const shrunk = await env.control('history?maxCount=2');
      assert.equal(shrunk.status, 200);
      assert.equal((shrunk.body as HistoryBody).maxCount, 2);
      const { client: first, position } = await subscribedViewer(env, encoding);
      first.terminate();
      await first.waitForClose();
      const { client: manager } = await env.signIn('manager');
      for (const name of ['One', 'Two', 'Three']) await add(env, manager, name);
      const stream = (await history(env)).streams.CATEGORIES;
      assert.deepEqual([stream.seq, stream.retained, stream.oldestSeq], [3, 2, 2]);

      const { client: again } = await env.signIn('viewer', { encoding });
      const lost = await subscribe(again, CATEGORIES, position);
      assert.equal(lost.recovery, RESYNC);
      assert.deepEqual(positionOf(lost.position), { epoch: position.epoch, seq: 3 });
      const [list] = await nextPushes(again, 1);
      assert.equal(list?.categories?.items?.length, 7, 'the list holds the changes missed');

      const kept = await subscribe(again, CATEGORIES, { epoch: position.epoch, seq: 1 });
      assert.equal(kept.recovery, RECOVERED);
      assert.deepEqual(
        (await nextPushes(again, 2)).map((push) => [positionOf(push.position).seq, push.categoryUpdate?.name]),
        [
          [2, 'Two'],
          [3, 'Three'],
        ],
      );
      await expectNothingMore(again);
    });
  }

  test('a history exhausted by age gets RESYNC', async (t) => {
    const env = await useServer(t);
    const { client: first, position } = await subscribedViewer(env);
    first.terminate();
    await first.waitForClose();
    assert.equal((await env.control('history?maxAgeMs=1')).status, 200);
    const { client: manager } = await env.signIn('manager');
    await add(env, manager, 'Soon forgotten');
    // The push is forgotten once it is 1 ms old; the history says so when read.
    await waitUntil(async () => (await history(env)).streams.CATEGORIES.retained === 0, 2000, 'the push is forgotten');

    const { client: again } = await env.signIn('viewer', { encoding: 'protobuf' });
    const answer = await subscribe(again, CATEGORIES, position);
    assert.equal(answer.recovery, RESYNC);
    assert.equal(positionOf(answer.position).seq, 1);
    assert.ok((await nextPushes(again, 1))[0]?.categories?.items?.some((category) => category.name === 'Soon forgotten'));
  });
});

describe('push history limits', () => {
  test('ServerOptions.pushHistory sets them; control history changes them; control reset restores them', async (t) => {
    const env = await useServer(t, { pushHistory: { maxCount: 1 } });
    assert.deepEqual([(await history(env)).maxCount, (await history(env)).maxAgeMs], [1, 300_000]);
    const { client: manager } = await env.signIn('manager');
    await add(env, manager, 'One');
    await add(env, manager, 'Two');
    const { client, position } = await subscribedViewer(env);
    assert.equal((await subscribe(client, CATEGORIES, { ...position, seq: 0 })).recovery, RESYNC);
    await nextPushes(client, 1);
    assert.equal((await subscribe(client, CATEGORIES, { ...position, seq: 1 })).recovery, RECOVERED);
    await nextPushes(client, 1);

    const changed = await env.control('history?maxCount=0&maxAgeMs=5000');
    assert.deepEqual([(changed.body as HistoryBody).maxCount, (changed.body as HistoryBody).maxAgeMs], [0, 5000]);
    assert.equal((await history(env)).streams.CATEGORIES.retained, 0, 'shrinking trims at once');

    const epoch = (await history(env)).streams.CATEGORIES.epoch;
    await env.control('reset');
    const restored = await history(env);
    assert.deepEqual([restored.maxCount, restored.maxAgeMs], [1, 300_000]);
    assert.notEqual(restored.streams.CATEGORIES.epoch, epoch);
    assert.deepEqual([restored.streams.CATEGORIES.seq, restored.streams.CATEGORIES.retained], [0, 0]);
  });

  test('control restart keeps the history: a client recovers across it', async (t) => {
    const env = await useServer(t);
    const { client, position } = await subscribedViewer(env);
    await env.control('restart');
    await client.waitForClose();
    const { client: manager } = await env.signIn('manager');
    await add(env, manager, 'After the restart');
    const { client: again } = await env.signIn('viewer');
    const answer = await subscribe(again, CATEGORIES, position);
    assert.equal(answer.recovery, RECOVERED);
    assert.equal((await nextPushes(again, 1))[0]?.categoryUpdate?.name, 'After the restart');
  });

  test('limits that are not whole numbers in range are refused with 400', async (t) => {
    const env = await useServer(t);
    for (const query of ['maxCount=-1', 'maxCount=1.5', 'maxCount=', 'maxCount=100001', 'maxAgeMs=x', 'maxAgeMs=86400001']) {
      const result = await env.control(`history?${query}`);
      assert.equal(result.status, 400, query);
    }
    assert.deepEqual([(await history(env)).maxCount, (await history(env)).maxAgeMs], [1000, 300_000]);
    await assert.rejects(useServer(t, { pushHistory: { maxCount: -1 } }), RangeError);
  });
});
