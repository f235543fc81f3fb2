import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLogger } from '../../src/log/create-logger.js';
import { FencedOut, type LeaseStore } from '../../src/store/lease.js';
import { Store } from '../../src/store/store.js';
import { Leadership } from '../../src/watch/leadership.js';
import { waitUntil } from '../support/proc.js';

/*
 * Two replicas' leaderships on one real store (SQLite: the lease row and its fencing token), with
 * a short TTL. A replica's "pause" is SIGSTOP's: no progress while stopped, and its monotonic clock
 * past its lease when it runs again: it stops trusting its lease at once, and the store refuses its
 * old token once the other took over.
 */
const dir = mkdtempSync(join(tmpdir(), 'mm-lead-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const log = createLogger({ level: 'silent' });
const TTL = 3000;

function replica(store: Store, holder: string) {
  let offset = 0;
  const gained: number[] = [];
  // A frozen process makes no progress: while frozen, its calls to the store wait (the store and
  // the other replica go on); its monotonic clock jumps by the time it was stopped.
  let thaw: (() => void) | undefined;
  let frozen: Promise<void> | undefined;
  const gate = async <T>(call: () => Promise<T>): Promise<T> => {
    await frozen;
    return call();
  };
  const lease: LeaseStore = {
    acquire: (h, ttl) => gate(() => store.lease.acquire(h, ttl)),
    renew: (f, ttl) => gate(() => store.lease.renew(f, ttl)),
    current: () => gate(() => store.lease.current()),
    release: (f) => gate(() => store.lease.release(f)),
    check: (f) => gate(() => store.lease.check(f)),
  };
  const l = new Leadership({
    lease,
    holder,
    ttlMs: TTL,
    log,
    monotonic: () => performance.now() + offset,
    onLead: (lease) => gained.push(lease.token),
  });
  return {
    l,
    gained,
    freeze: () => {
      frozen = new Promise((r) => (thaw = r));
    },
    resume: (stoppedMs: number) => {
      offset += stoppedMs;
      thaw?.();
      frozen = undefined;
    },
  };
}

type Replica = ReturnType<typeof replica>;

/** Two replicas on one store file, a started first (it leads), then b; both stopped and closed after. */
async function pair(file: string, test: (a: Replica, b: Replica, sa: Store, sb: Store) => Promise<void>): Promise<void> {
  const path = join(dir, file);
  const [sa, sb] = [new Store(path), new Store(path)];
  const a = replica(sa, 'bot-a');
  const b = replica(sb, 'bot-b');
  try {
    await a.l.start();
    await b.l.start();
    await test(a, b, sa, sb);
  } finally {
    await a.l.stop();
    await b.l.stop();
    await sa.close();
    await sb.close();
  }
}

describe('leadership over the store lease', () => {
  it('one leads, the other stands by; a paused leader stops trusting its lease and is fenced out after the takeover', () =>
    pair('a.db', async (a, b, sa, sb) => {
      const first = a.l.fence();
      assert.ok(first, 'a leads');
      assert.equal(b.l.fence(), undefined, 'b stands by');
      assert.deepEqual(b.l.view(), { self: 'bot-b', leading: false, holder: 'bot-a', token: first.token, since: undefined });
      assert.deepEqual(a.gained, [first.token]);

      // a freezes (SIGSTOP): its lease runs out in the store and b takes over with a new token.
      a.freeze();
      const frozenAt = performance.now();
      const taken = await waitUntil('b to take over', async () => b.l.fence(), { timeoutMs: 4 * TTL, intervalMs: 100 });
      assert.ok(taken.token > first.token, `token ${first.token} → ${taken.token}`);
      // a runs again: its own clock says it was stopped past its lease, before any round trip.
      a.resume(performance.now() - frozenAt);
      assert.equal(a.l.fence(), undefined, 'a no longer trusts its lease');
      // Whatever a wrote with its old token is refused, and changes nothing.
      await assert.rejects(sa.lease.check(first), FencedOut);
      await assert.rejects(sa.commitCycle({ now: 1, trackers: [], opened: [], posts: [], closed: [], samples: [], keepSamplesMs: 0 }, first), FencedOut);
      await sb.lease.check(taken);
      assert.equal(a.l.view().leading, false);
    }));

  it('stop() gives the lease back: the other leads at its next attempt, not a TTL later', () =>
    pair('b.db', async (a, b) => {
      assert.ok(a.l.fence() && !b.l.fence());
      const stopped = Date.now();
      await a.l.stop();
      await waitUntil('b to lead', async () => b.l.fence(), { timeoutMs: 2 * TTL, intervalMs: 50 });
      assert.ok(Date.now() - stopped < TTL, `b led ${Date.now() - stopped} ms after a stopped`);
    }));
});
