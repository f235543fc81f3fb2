import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { IncidentKey } from '../../src/domain/incident-key.js';
import { Store } from '../../src/store/store.js';

// Acknowledgements in the real SQLite store: one per click race, kept across a reopen.
const dir = mkdtempSync(join(tmpdir(), 'mm-acks-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const KEY: IncidentKey = 'host:prod-1|service-down';
const MIN = 60_000;

function open(store: Store, key: IncidentKey, at: number): Promise<void> {
  const opened = [{ key, subject: 'prod-1', cause: 'service-down' as const, hosts: ['prod-1'], title: 'down', at }];
  return store.commitCycle({ now: at, trackers: [], opened, posts: [], closed: [], samples: [], keepSamplesMs: MIN });
}

describe('incident acknowledgements in the store', () => {
  it('two clicks make one acknowledgement; it survives a reopen; history keeps the first time', async () => {
    const path = join(dir, 'a.db');
    const first = new Store(path);
    await open(first, KEY, 0);
    assert.deepEqual(await first.acks.set(KEY, 'U0BOB0001', 4 * MIN, true), { ok: true, first: true });
    const second = await first.acks.set(KEY, 'U0ALICE01', 5 * MIN, true);
    assert.deepEqual(second, { ok: false, why: 'already', ack: { by: 'U0BOB0001', at: 4 * MIN } });
    await first.close();

    const reopened = new Store(path);
    try {
      assert.deepEqual([...(await reopened.acks.open())], [[KEY, { by: 'U0BOB0001', at: 4 * MIN }]]);
      assert.deepEqual(await reopened.acks.set(KEY, 'U0BOB0001', 6 * MIN, false), { ok: true, first: false });
      assert.equal((await reopened.acks.open()).size, 0);
      assert.equal((await reopened.acks.set(KEY, 'U0BOB0001', 6 * MIN, false)).ok, false, 'giving back twice changes nothing');
      // Taken again by someone else: not the first (no second time-to-acknowledge); the first still counts.
      assert.deepEqual(await reopened.acks.set(KEY, 'U0ALICE01', 8 * MIN, true), { ok: true, first: false });
      assert.equal((await reopened.history(undefined, 5))[0]?.acked_at, 4 * MIN);
    } finally {
      await reopened.close();
    }
  });

  it('a resolved incident cannot be acknowledged (stale), and its acknowledgement is no longer open', async () => {
    const store = new Store(join(dir, 'b.db'));
    try {
      await open(store, KEY, 0);
      await store.acks.set(KEY, 'U0BOB0001', MIN, true);
      await store.commitCycle({ now: 2 * MIN, trackers: [], opened: [], posts: [], closed: [{ key: KEY }], samples: [], keepSamplesMs: MIN });
      assert.equal((await store.acks.open()).size, 0);
      assert.deepEqual(await store.acks.set(KEY, 'U0BOB0001', 3 * MIN, true), { ok: false, why: 'stale', ack: undefined });
      assert.equal((await store.history(undefined, 5))[0]?.acked_at, MIN);
    } finally {
      await store.close();
    }
  });

  it('an incident never acknowledged has no time to acknowledge', async () => {
    const store = new Store(join(dir, 'c.db'));
    try {
      await open(store, KEY, 0);
      assert.equal((await store.history(undefined, 5))[0]?.acked_at, null);
    } finally {
      await store.close();
    }
  });
});
