import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { IncidentKey } from '../../src/domain/incident-key.js';
import type { BotStore } from '../../src/store/bot-store.js';
import type { PageRequest } from '../../src/store/deliveries.js';
import type { CycleCommit } from '../../src/store/watch-store.js';
import type { Tracker } from '../../src/watch/incident-policy.js';
import { rssOnly } from '../support/rss-leak.js';
import { leaseContract } from './lease-contract.js';

/**
 * What every store backend must do, as one suite: `sqlite-store.test.ts` runs it on a temp file,
 * `mysql-store.integration.test.ts` on a real MariaDB. A backend passes these or it is not a store.
 */
export interface StoreRig {
  /** A new, empty store of its own; `another()` opens a second one on the same data (another replica). */
  fresh(): Promise<Fresh>;
  /** Marks the fresh store's data as written by a newer bot (schema version `v`). */
  setSchemaVersion(f: Fresh, v: number): Promise<void>;
  /** Two stores opened at once on one new, never-migrated database. */
  openTwiceAtOnce(): Promise<[BotStore, BotStore]>;
  /**
   * Resolves once every replica can read what any of them wrote before the call. One server needs
   * none. Galera applies another node's writes asynchronously (wsrep_sync_wait=0, its default): a read
   * through one node right after a write through the other may miss it. The contract calls this where
   * one replica reads what the other just wrote, never inside a race.
   */
  settle?(): Promise<void>;
}

export interface Fresh {
  readonly store: BotStore;
  another(): Promise<BotStore>;
  /** Where its data is, for the rig (a file, a database name). */
  readonly ref: string;
}

export const MIN = 60_000;
export const KEY: IncidentKey = 'host:prod-1|service-down';
export const KEY2: IncidentKey = 'host:prod-2|disk-full';

export function cycle(now: number, over: Partial<CycleCommit> = {}): CycleCommit {
  return { now, trackers: [], opened: [], posts: [], closed: [], samples: [], keepSamplesMs: 60 * MIN, ...over };
}
export const opening = (key: IncidentKey, at: number, host = 'prod-1') => ({
  key,
  subject: host,
  cause: 'service-down' as const,
  hosts: [host],
  title: 'down',
  at,
});
export const reply = (key: IncidentKey, text: string) => ({ key, kind: 'reply' as const, message: { text, blocks: [] } });
export const parent = (key: IncidentKey, text: string) => ({ key, kind: 'post-parent' as const, message: { text, blocks: [] } });
const tracker = (key: IncidentKey, fails: number) => ({ key, subject: 'prod-1', phase: 'firing', fails, oks: 0, history: [] }) as unknown as Tracker;
const page = (key: IncidentKey, target: string, event: PageRequest['event']): PageRequest => ({
  key,
  target,
  event,
  notice: { at: 1, severity: 'critical', subject: 'prod-1', cause: 'service-down', hosts: ['prod-1'], title: 'down', evidence: [] },
});

/** Opens stores through `rig` and closes every one of them after the suite. */
export function opener(rig: StoreRig) {
  const open: BotStore[] = [];
  after(async () => {
    for (const s of open) await s.close().catch(() => undefined);
  });
  return {
    async fresh(): Promise<Fresh> {
      const f = await rig.fresh();
      open.push(f.store);
      return {
        store: f.store,
        ref: f.ref,
        another: async () => {
          const s = await f.another();
          open.push(s);
          return s;
        },
      };
    },
    track(s: BotStore): BotStore {
      open.push(s);
      return s;
    },
  };
}

export function storeContract(backend: string, rig: StoreRig): void {
  describe(`store contract: ${backend}`, () => {
    const stores = opener(rig);

    it('a cycle commit keeps trackers, opens an incident once, queues posts in order, closes, keeps samples within retention', async () => {
      const { store } = await stores.fresh();
      await store.commitCycle(cycle(MIN, { trackers: [tracker(KEY, 1)], opened: [opening(KEY, MIN)], posts: [parent(KEY, 'p'), reply(KEY, 'r1')] }));
      await store.commitCycle(
        cycle(2 * MIN, { trackers: [tracker(KEY, 2)], opened: [opening(KEY, 2 * MIN)], posts: [reply(KEY, 'r2')], samples: [rssOnly('prod-1', 2 * MIN, 100)] }),
      );
      assert.deepEqual(
        (await store.loadTrackers()).map((t) => [t.key, t.fails]),
        [[KEY, 2]],
        'replaced, not added to',
      );
      assert.equal((await store.history(undefined, 10)).length, 1, 'opened once');
      assert.equal((await store.openIncident(KEY))?.opened_at, MIN);
      assert.equal(await store.pendingPosts(), 3);
      await store.commitCycle(cycle(90 * MIN, { closed: [{ key: KEY }], samples: [rssOnly('prod-1', 90 * MIN, 300)] }));
      assert.equal(await store.openIncident(KEY), undefined);
      assert.equal((await store.history('prod-1', 10))[0]?.resolved_at, 90 * MIN);
      assert.deepEqual((await store.history('prod-9', 10)).length, 0);
      assert.deepEqual(
        (await store.rssHistory('prod-1', 0)).map((s) => s.rssKb),
        [300],
        'the 2-minute sample fell out of the 60-minute retention',
      );
      const [s] = await store.samples('prod-1', 0);
      assert.deepEqual(s, rssOnly('prod-1', 90 * MIN, 300));
    });

    it('the outbox: parent first, its replies after it is out, a failed post backs off, retryPostsNow', async () => {
      const { store } = await stores.fresh();
      await store.commitCycle(cycle(MIN, { opened: [opening(KEY, MIN)], posts: [parent(KEY, 'p'), reply(KEY, 'r1'), reply(KEY, 'r2')] }));
      let due = await store.duePosts(MIN, 10);
      assert.deepEqual(
        due.map((r) => [r.kind, JSON.parse(r.payload).text]),
        [['post-parent', 'p']],
      );
      await store.postFailed(due[0]!, 5 * MIN, 'slack down');
      assert.deepEqual(await store.duePosts(2 * MIN, 10), [], 'backing off; the replies wait behind it');
      assert.equal(await store.nextPostAt(), 5 * MIN);
      await store.retryPostsNow(2 * MIN);
      due = await store.duePosts(2 * MIN, 10);
      assert.equal(due[0]?.attempts, 1);
      await store.posted(due[0]!, { channel: 'C1', ts: '1.1' });
      due = await store.duePosts(2 * MIN, 10);
      assert.deepEqual(
        due.map((r) => [JSON.parse(r.payload).text, r.thread_ts, r.channel]),
        [['r1', '1.1', 'C1']],
        'one at a time per thread, in order',
      );
      await store.posted(due[0]!, undefined);
      assert.deepEqual(
        (await store.duePosts(2 * MIN, 10)).map((r) => JSON.parse(r.payload).text),
        ['r2'],
      );
      assert.deepEqual(await store.openThreadFor('prod-1'), { channel: 'C1', ts: '1.1' });
      await store.enqueue(KEY, [{ key: KEY, kind: 'chart', chart: { host: 'prod-1', windowMs: MIN, at: 1, title: 't', comment: 'c' } }], 3 * MIN);
      assert.equal(await store.pendingPosts(), 2);
    });

    it('acknowledgements: of two clicks at once (one store, or two replicas) one wins; give back; stale once resolved', async () => {
      const f = await stores.fresh();
      const { store } = f;
      const other = await f.another();
      await store.commitCycle(cycle(0, { opened: [opening(KEY, 0), opening(KEY2, 0, 'prod-2')] }));
      await rig.settle?.();
      const same = await Promise.all([store.acks.set(KEY, 'U0BOB0001', MIN, true), store.acks.set(KEY, 'U0ALICE01', MIN, true)]);
      assert.deepEqual(same.map((r) => r.ok).sort(), [false, true]);
      const two = await Promise.all([store.acks.set(KEY2, 'U0BOB0001', MIN, true), other.acks.set(KEY2, 'U0ALICE01', MIN, true)]);
      assert.deepEqual(two.map((r) => r.ok).sort(), [false, true], 'two replicas');
      const lost = two.find((r) => !r.ok);
      assert.ok(lost && !lost.ok && lost.why === 'already' && lost.ack?.at === MIN, JSON.stringify(lost));
      await rig.settle?.();
      assert.equal((await other.acks.open()).size, 2);
      const holder = (await store.acks.open()).get(KEY)!.by;
      assert.deepEqual(await store.acks.set(KEY, holder, 2 * MIN, false), { ok: true, first: false });
      await rig.settle?.();
      assert.deepEqual(await other.acks.set(KEY, 'U0CAROL01', 3 * MIN, true), { ok: true, first: false }, 'taken again: not the first');
      await store.commitCycle(cycle(4 * MIN, { closed: [{ key: KEY }] }));
      assert.deepEqual(await store.acks.set(KEY, 'U0BOB0001', 5 * MIN, true), { ok: false, why: 'stale', ack: undefined });
      assert.equal((await store.history('prod-1', 1))[0]?.acked_at, MIN, 'the first time kept for time to acknowledge');
    });

    it('deliveries: ordered per incident and target, retried, refused, delivered; orphans', async () => {
      const { store } = await stores.fresh();
      const pages = [page(KEY, 'pd', 'trigger'), page(KEY, 'pd', 'acknowledge'), page(KEY, 'hook', 'trigger')];
      await store.commitCycle(cycle(MIN, { opened: [opening(KEY, MIN)], pages }));
      assert.equal(await store.deliveries.pending(), 3);
      let due = await store.deliveries.due('pd', MIN, 10);
      assert.deepEqual(
        due.map((d) => [d.event, d.key]),
        [['trigger', KEY]],
        'the acknowledge waits for the trigger',
      );
      await store.deliveries.retryLater(due[0]!, 3 * MIN, 'HTTP 503');
      assert.deepEqual(await store.deliveries.due('pd', 2 * MIN, 10), []);
      assert.equal(await store.deliveries.nextAt(), MIN, "the hook's trigger is due");
      await store.deliveries.delivered((await store.deliveries.due('pd', 3 * MIN, 10))[0]!);
      due = await store.deliveries.due('pd', 3 * MIN, 10);
      assert.deepEqual(
        due.map((d) => d.event),
        ['acknowledge'],
      );
      await store.deliveries.refused(due[0]!, 4 * MIN, 'HTTP 400');
      assert.deepEqual(
        (await store.deliveries.failures(5)).map((f) => [f.event, f.last_error, f.failed_at]),
        [['acknowledge', 'HTTP 400', 4 * MIN]],
      );
      assert.deepEqual(
        (await store.deliveries.orphans(['pd'])).map((d) => d.target),
        ['hook'],
      );
      await store.enqueue(KEY, [], 5 * MIN, [page(KEY, 'pd', 'resolve')]);
      assert.equal(await store.deliveries.pending('pd'), 1);
    });

    it('silences: set, replaced, listed while active, removed', async () => {
      const { store } = await stores.fresh();
      await store.setSilence({ host: 'prod-1', until: 10 * MIN, reason: 'deploy', by: 'U0BOB0001', createdAt: MIN });
      await store.setSilence({ host: 'prod-1', until: 20 * MIN, reason: 'longer', by: 'U0ALICE01', createdAt: 2 * MIN });
      await store.setSilence({ host: 'prod-2', until: 3 * MIN, reason: 'short', by: 'U0BOB0001', createdAt: MIN });
      assert.deepEqual(await store.activeSilences(5 * MIN), [{ host: 'prod-1', until: 20 * MIN, reason: 'longer', by: 'U0ALICE01', createdAt: 2 * MIN }]);
      assert.equal(await store.removeSilence('prod-1'), true);
      assert.equal(await store.removeSilence('prod-1'), false);
      assert.deepEqual(await store.activeSilences(0), [{ host: 'prod-2', until: 3 * MIN, reason: 'short', by: 'U0BOB0001', createdAt: MIN }]);
    });

    leaseContract(stores, rig);
  });
}
