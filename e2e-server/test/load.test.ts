// Fan-out under load: 200 subscribed clients of three users, one mutation, one push each.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TestClient, Who } from './helpers.js';
import { api, useServer } from './helpers.js';

const CLIENTS = 200;

describe('load', () => {
  test(`${CLIENTS} concurrent subscribers each get a mutation's push exactly once`, async (t) => {
    const env = await useServer(t);
    const users: Who[] = ['admin', 'manager', 'viewer'];
    const grants = await Promise.all(users.map((who) => env.login(who)));
    const clients: TestClient[] = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, i) => {
        const client = await env.connect({ encoding: i % 2 === 0 ? 'json' : 'protobuf' });
        const answer = await client.auth(grants[i % users.length]!.accessToken, 5000);
        assert.ok(answer.auth, `client ${i} was not authorized`);
        assert.equal((await client.request({ sub: { kind: api.SubKind.CATEGORIES } }, 5000)).subscribed?.kind, api.SubKind.CATEGORIES);
        await client.waitFor((r) => !!r.sub?.categories, 5000, `the list on client ${i}`);
        return client;
      }),
    );
    const stats = (await env.control('stats', 'GET')).body as { authorized: number; subscriptions: number };
    assert.equal(stats.authorized, CLIENTS);
    assert.equal(stats.subscriptions, CLIENTS);

    const mutator = clients[1]!; // a manager's socket
    const answer = await mutator.request({ menuAdd: { name: 'Load test special' } }, 5000);
    const id = answer.menuAdd?.category?.id;
    assert.ok(id, 'the mutating client got no response by id');

    await Promise.all(
      clients.map(async (client, i) => {
        const push = await client.waitFor((r) => r.sub?.categoryUpdate?.id === id, 5000, `the push on client ${i}`);
        assert.equal(push.id, 0);
        // Anything the server sent before the pong has arrived by now: a second push would be queued.
        await client.roundTrip(5000);
        const duplicates = client.pending.filter((r) => r.sub?.categoryUpdate?.id === id);
        assert.equal(duplicates.length, 0, `client ${i} got the push more than once`);
        assert.equal(client.undecodable, 0);
      }),
    );
  });
});
