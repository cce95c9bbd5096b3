// Subscriptions per role, and changes pushed to every subscriber, other users included.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { api, useServer } from './helpers.js';
import type { TestClient } from './helpers.js';

const { CATEGORIES, AUDIT_LOG, NOTIFICATIONS } = api.SubKind;

async function subscribeCategories(client: TestClient): Promise<api.Category.$Properties[]> {
  const answer = await client.request({ sub: { kind: CATEGORIES } });
  assert.equal(answer.subscribed?.kind, CATEGORIES);
  const list = await client.waitFor((r) => r.id === 0 && !!r.sub?.categories, 2000, 'the category list');
  return list.sub?.categories?.items ?? [];
}

describe('subscriptions', () => {
  test('subscribing to CATEGORIES answers subscribed, then pushes the whole list', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer');
    const items = await subscribeCategories(client);
    assert.deepEqual(
      items.map((c) => c.name),
      ['Starters', 'Mains', 'Desserts', 'Drinks'],
    );
    assert.ok(items.every((c) => c.id && c.version === 1));
  });

  test('a viewer subscribing to AUDIT_LOG gets FORBIDDEN and the socket stays open', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer');
    const answer = await client.request({ sub: { kind: AUDIT_LOG } });
    assert.equal(answer.error?.code, api.ErrorCode.FORBIDDEN);
    await client.roundTrip();
    const stats = (await env.control('stats', 'GET')).body as { subscriptions: number };
    assert.equal(stats.subscriptions, 0);
  });

  test('a manager may not subscribe to AUDIT_LOG either; an admin may', async (t) => {
    const env = await useServer(t);
    const { client: manager } = await env.signIn('manager');
    assert.equal((await manager.request({ sub: { kind: AUDIT_LOG } })).error?.code, api.ErrorCode.FORBIDDEN);
    const { client: admin } = await env.signIn('admin');
    assert.equal((await admin.request({ sub: { kind: AUDIT_LOG } })).subscribed?.kind, AUDIT_LOG);
  });

  test('an unknown subscription kind is BAD_REQUEST and the socket stays open', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('admin');
    assert.equal((await client.request({ sub: { kind: 99 as api.SubKind } })).error?.code, api.ErrorCode.BAD_REQUEST);
    assert.equal((await client.request({ sub: {} })).error?.code, api.ErrorCode.BAD_REQUEST);
    await client.roundTrip();
  });

  test('an add by one client is pushed to every subscriber, other users included, and answered by id', async (t) => {
    const env = await useServer(t);
    const { client: manager } = await env.signIn('manager');
    const { client: viewer } = await env.signIn('viewer');
    const { client: admin } = await env.signIn('admin', { encoding: 'protobuf' });
    for (const client of [manager, viewer, admin]) await subscribeCategories(client);

    const answer = await manager.request({ menuAdd: { name: '  Soups ' } });
    const added = answer.menuAdd?.category;
    assert.equal(added?.name, 'Soups');
    assert.equal(added?.updatedBy, 'manager');
    assert.equal(added?.version, 1);

    for (const client of [manager, viewer, admin]) {
      const push = await client.waitFor((r) => r.id === 0 && !!r.sub?.categoryUpdate, 2000, 'the categoryUpdate push');
      assert.equal(push.sub?.kind, CATEGORIES);
      const pushed = push.sub?.categoryUpdate;
      assert.deepEqual([pushed?.id, pushed?.name, pushed?.version, pushed?.updatedBy], [added?.id, 'Soups', 1, 'manager']);
    }
  });

  test('the mutating client gets its response before the push of its own change', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('manager');
    await subscribeCategories(client);
    client.send({ id: 55, menuAdd: { name: 'Salads' } });
    assert.equal((await client.nextMessage()).id, 55);
    assert.ok((await client.nextMessage()).sub?.categoryUpdate);
  });

  test('a rename bumps the version and is pushed; a delete pushes the id', async (t) => {
    const env = await useServer(t);
    const { client: manager } = await env.signIn('manager');
    const { client: viewer } = await env.signIn('viewer');
    const [first] = await subscribeCategories(viewer);
    assert.ok(first?.id);

    const renamed = await manager.request({ menuRename: { id: first.id, name: 'Appetizers' } });
    assert.equal(renamed.menuRename?.category?.version, 2);
    const update = await viewer.waitFor((r) => !!r.sub?.categoryUpdate);
    assert.equal(update.sub?.categoryUpdate?.name, 'Appetizers');
    assert.equal(update.sub?.categoryUpdate?.version, 2);

    const deleted = await manager.request({ menuDelete: { id: first.id } });
    assert.equal(deleted.menuDelete?.id, first.id);
    const removal = await viewer.waitFor((r) => !!r.sub?.categoryDelete);
    assert.equal(removal.sub?.categoryDelete, first.id);

    const list = await viewer.request({ menuList: {} });
    assert.ok(!list.menuList?.categories?.some((c) => c.id === first.id));
  });

  test('a viewer may list but not add, rename or delete: FORBIDDEN, socket open, nothing pushed', async (t) => {
    const env = await useServer(t);
    const { client: viewer } = await env.signIn('viewer');
    const { client: watcher } = await env.signIn('manager');
    await subscribeCategories(watcher);
    assert.equal((await viewer.request({ menuList: {} })).menuList?.categories?.length, 4);
    for (const request of [{ menuAdd: { name: 'X' } }, { menuRename: { id: 'c-1', name: 'X' } }, { menuDelete: { id: 'c-1' } }]) {
      assert.equal((await viewer.request(request)).error?.code, api.ErrorCode.FORBIDDEN);
    }
    await watcher.roundTrip();
    assert.equal(watcher.pending.length, 0, 'a forbidden change was pushed');
  });

  test('renaming or deleting an unknown id is NOT_FOUND; an empty name is BAD_REQUEST', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('manager');
    assert.equal((await client.request({ menuRename: { id: 'nope', name: 'X' } })).error?.code, api.ErrorCode.NOT_FOUND);
    assert.equal((await client.request({ menuDelete: { id: 'nope' } })).error?.code, api.ErrorCode.NOT_FOUND);
    assert.equal((await client.request({ menuAdd: { name: '   ' } })).error?.code, api.ErrorCode.BAD_REQUEST);
    assert.equal((await client.request({ menuAdd: { name: 'x'.repeat(101) } })).error?.code, api.ErrorCode.BAD_REQUEST);
    await client.roundTrip();
  });

  test('after unsub no more pushes arrive', async (t) => {
    const env = await useServer(t);
    const { client: viewer } = await env.signIn('viewer');
    const { client: manager } = await env.signIn('manager');
    await subscribeCategories(viewer);
    assert.equal((await viewer.request({ unsub: { kind: CATEGORIES } })).unsubscribed?.kind, CATEGORIES);
    await manager.request({ menuAdd: { name: 'Late' } });
    await viewer.roundTrip();
    assert.equal(viewer.pending.length, 0);
  });

  test('an admin subscribed to AUDIT_LOG sees who changed what', async (t) => {
    const env = await useServer(t);
    const { client: admin } = await env.signIn('admin');
    await admin.request({ sub: { kind: AUDIT_LOG } });
    const { client: manager } = await env.signIn('manager');
    const added = await manager.request({ menuAdd: { name: 'Teas' } });
    const entry = await admin.waitFor((r) => !!r.sub?.audit);
    assert.equal(entry.sub?.audit?.userLogin, 'manager');
    assert.equal(entry.sub?.audit?.action, 'add');
    assert.equal(entry.sub?.audit?.categoryId, added.menuAdd?.category?.id);
  });

  test('the notifications socket serves NOTIFICATIONS only; others get their changes as notifications', async (t) => {
    const env = await useServer(t);
    const viewerGrant = await env.login('viewer');
    const notifications = await env.connect({ path: '/ws/notifications' });
    await notifications.auth(viewerGrant.accessToken);
    assert.equal((await notifications.request({ menuList: {} })).error?.code, api.ErrorCode.FORBIDDEN);
    assert.equal((await notifications.request({ sub: { kind: CATEGORIES } })).error?.code, api.ErrorCode.FORBIDDEN);
    assert.equal((await notifications.request({ sub: { kind: NOTIFICATIONS } })).subscribed?.kind, NOTIFICATIONS);

    const managerGrant = await env.login('manager');
    const own = await env.connect({ path: '/ws/notifications' });
    await own.auth(managerGrant.accessToken);
    await own.request({ sub: { kind: NOTIFICATIONS } });

    const { client: main } = await env.signIn('manager');
    await main.request({ menuAdd: { name: 'Brunch' } });
    const note = await notifications.waitFor((r) => !!r.sub?.notification);
    assert.match(note.sub?.notification?.text ?? '', /Brunch/);
    await own.roundTrip();
    assert.equal(own.pending.length, 0, 'the author was notified of their own change');
  });

  test('NOTIFICATIONS on the main socket is FORBIDDEN', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer');
    assert.equal((await client.request({ sub: { kind: NOTIFICATIONS } })).error?.code, api.ErrorCode.FORBIDDEN);
    await client.roundTrip();
  });
});
