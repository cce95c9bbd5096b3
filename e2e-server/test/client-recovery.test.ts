// CLIENT_RECOVERY, the client's side of missed-push recovery, against a real server in both encodings.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RECOVERY_VALUES } from '../src/client-recovery.js';
import { CLIENT_RECOVERY } from '../src/protocol.js';
import { api, useServer } from './helpers.js';

describe('CLIENT_RECOVERY', () => {
  test('names the values of api.Recovery', () => {
    assert.equal(RECOVERY_VALUES.RECOVERED, api.Recovery.RECOVERED);
    assert.equal(RECOVERY_VALUES.RESYNC, api.Recovery.RESYNC);
  });

  for (const encoding of ['json', 'protobuf'] as const) {
    test(`reads positions and resumes a subscription the server then recovers, over ${encoding}`, async (t) => {
      const env = await useServer(t);
      const { client: viewer } = await env.signIn('viewer', { encoding });
      const { client: manager } = await env.signIn('manager', { encoding });
      const request: api.Request.$Properties = { sub: { kind: api.SubKind.CATEGORIES } };
      const answer = await viewer.request(request);
      assert.equal(CLIENT_RECOVERY.stream(request), String(api.SubKind.CATEGORIES));
      assert.equal(CLIENT_RECOVERY.outcome(answer), undefined, 'a fresh subscription');
      const list = await viewer.nextMessage();
      assert.equal(CLIENT_RECOVERY.position(list), undefined, 'the list has no position');
      const fresh = CLIENT_RECOVERY.position(answer);
      assert.deepEqual(fresh?.stream, String(api.SubKind.CATEGORIES));

      await manager.request({ menuAdd: { name: 'First' } });
      const push = CLIENT_RECOVERY.position(await viewer.nextMessage());
      assert.ok(push && push.position.seq === (fresh?.position.seq ?? 0) + 1, `the push after the answer: ${JSON.stringify(push)}`);
      viewer.terminate();
      await manager.request({ menuAdd: { name: 'Second' } });

      const { client: back } = await env.signIn('viewer', { encoding });
      const resumed = CLIENT_RECOVERY.resume(request, push.position);
      assert.deepEqual(resumed.sub?.since, push.position);
      const recovered = await back.request(resumed);
      assert.equal(CLIENT_RECOVERY.outcome(recovered), 'recovered');
      assert.equal(CLIENT_RECOVERY.replayed(recovered), 1);
      assert.equal((await back.nextMessage()).sub?.categoryUpdate?.name, 'Second');

      const { client: stale } = await env.signIn('viewer', { encoding });
      const resync = await stale.request(CLIENT_RECOVERY.resume(request, { epoch: 'another-epoch', seq: 1 }));
      assert.equal(CLIENT_RECOVERY.outcome(resync), 'resynced');
      assert.equal(CLIENT_RECOVERY.replayed(resync), 0);
    });
  }
});
