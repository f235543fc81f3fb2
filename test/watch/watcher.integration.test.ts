import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Config } from '../../src/config/types.js';
import { createLogger } from '../../src/log/create-logger.js';
import { TransportPool } from '../../src/remote/transport-pool.js';
import { slackAlertSender } from '../../src/slack/alert-sender.js';
import { Store } from '../../src/store/store.js';
import { OutboxPoster } from '../../src/watch/outbox-poster.js';
import { runCycle, type WatchDeps } from '../../src/watch/watch-cycle.js';
import { startWatcher } from '../../src/watch/watcher.js';
import { testConfig } from '../support/config.js';
import { startSlackDouble, type RecordedCall, type SlackDouble } from '../support/slack-double.js';
import { startTestHost, type TestHost } from '../support/test-host.js';
import { TEST_THRESHOLDS } from '../support/test-thresholds.js';
import { rssOnly } from '../support/rss-leak.js';

/*
 * The watcher against the real test host (sshd + MariaDB + supervisord running the stand-in app),
 * posting through the real Web API client into the Slack double. Cycles are driven one by one
 * (runCycle) so each story reads as a sequence; one test runs the node-cron schedule itself.
 */
const CHANNEL = 'C0ALERTS1';
let host: TestHost;
let slack: SlackDouble;
let dir: string;
let pool: TransportPool;
const log = createLogger({ level: 'silent' });

interface Rig {
  config: Config;
  store: Store;
  poster: OutboxPoster;
  deps: WatchDeps;
  cycle(): Promise<Awaited<ReturnType<typeof runCycle>>>;
  /** Waits until every pending post went out. */
  flushed(): Promise<void>;
  close(): Promise<void>;
}

function rig(hosts: object[], watch: object = {}, thresholds: object = {}): Rig {
  const config = testConfig(
    {
      hosts,
      thresholds: { ...TEST_THRESHOLDS, ...thresholds },
      slack: { alertChannel: CHANNEL },
      watch: { store: join(dir, `${Math.random().toString(36).slice(2)}.db`), ...watch },
    },
    host.env,
  );
  const store = new Store(config.watch.store);
  const poster = new OutboxPoster(store, slackAlertSender('xoxb-test', slack.apiUrl), log, { channel: CHANNEL, minIntervalMs: 20, baseBackoffMs: 300 });
  const deps: WatchDeps = { config, store, transportFor: (h) => pool.get(h), log, clock: Date.now, poster };
  return {
    config,
    store,
    poster,
    deps,
    cycle: () => runCycle(deps),
    async flushed() {
      for (let i = 0; i < 200 && (await store.pendingPosts()) > 0; i++) {
        poster.kick();
        await poster.idle();
        if ((await store.pendingPosts()) > 0) await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(await store.pendingPosts(), 0, 'all posts delivered');
    },
    async close() {
      await poster.stop();
      await store.close();
    },
  };
}

const posts = (from: number): RecordedCall[] => slack.calls.slice(from).filter((c) => c.path === '/api/chat.postMessage');
const parents = (from: number): RecordedCall[] => posts(from).filter((c) => !c.body.thread_ts);
const updates = (from: number): RecordedCall[] => slack.calls.slice(from).filter((c) => c.path === '/api/chat.update');
// The Web API client sends blocks form-encoded, as a JSON string.
const text = (c: RecordedCall): string => `${String(c.body.text)} ${typeof c.body.blocks === 'string' ? c.body.blocks : JSON.stringify(c.body.blocks ?? '')}`;
const prod = (name: string, over: object = {}) => host.hostConfig(name, { app: { poolRecycle: 300 }, ...over });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mm-watch-'));
  host = await startTestHost({ withDb: true });
  slack = await startSlackDouble();
  pool = new TransportPool(log);
});
beforeEach(() => truncateSync(host.app.logFile, 0));
after(async () => {
  await pool?.closeAll();
  await slack?.close();
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('watcher on a real host', () => {
  it('app stopped → one thread after failuresToAlert cycles; restored → resolved in the thread, parent edited', async () => {
    const r = rig([prod('prod-1')]);
    const from = slack.calls.length;
    try {
      assert.deepEqual((await r.cycle()).intents, [], 'healthy: nothing');
      await host.app.supervisorctl('stop', 'moneymind');
      try {
        assert.deepEqual((await r.cycle()).intents, [], 'first failure: pending only');
        const second = await r.cycle();
        assert.deepEqual(
          second.intents.map((i) => `${i.kind} ${i.key}`),
          ['open host:prod-1|service-down'],
        );
        await r.flushed();
        for (let i = 0; i < 3; i++) assert.deepEqual((await r.cycle()).intents, [], 'still down: nothing new');
      } finally {
        await host.app.supervisorctl('start', 'moneymind');
      }
      await r.cycle();
      const resolved = await r.cycle();
      assert.deepEqual(
        resolved.intents.map((i) => i.kind),
        ['resolve'],
      );
      await r.flushed();

      const [parent, ...more] = parents(from);
      assert.equal(more.length, 0, 'exactly one thread');
      assert.equal(parent!.body.channel, CHANNEL);
      assert.match(text(parent!), /🔴 prod-1: service-down — /);
      assert.match(text(parent!), /"action_id":"alert_status".*"action_id":"alert_silence"/);
      const replies = posts(from).filter((c) => c.body.thread_ts);
      assert.ok(replies.length >= 2);
      const threadTs = replies[0]!.body.thread_ts;
      assert.ok(
        replies.every((c) => c.body.thread_ts === threadTs),
        'every reply in the one thread',
      );
      assert.match(text(replies[0]!), /service-down\* \(critical\)/);
      assert.match(text(replies.at(-1)!), /✅ Resolved after \d+/);
      const [edit] = updates(from);
      assert.equal(edit?.body.ts, threadTs, 'the parent is edited in place');
      assert.match(text(edit!), /✅ \*prod-1\*: service-down — resolved after/);
      assert.doesNotMatch(text(edit!), /"actions"/, 'no stale buttons');
      assert.equal((await r.store.history('prod-1', 5))[0]?.resolved_at !== null, true);
    } finally {
      await r.close();
    }
  });

  it('database down with two hosts sharing it → one database thread, app failures folded in', async () => {
    const shared = { mysql: { name: 'main' } };
    const r = rig([prod('prod-1', shared), prod('prod-2', shared)]);
    const from = slack.calls.length;
    try {
      await host.db!.stop();
      try {
        await r.cycle();
        const opened = await r.cycle();
        assert.deepEqual(
          opened.intents.map((i) => `${i.kind} ${i.key}`),
          ['open db:main|db-unreachable'],
        );
        await r.flushed();
      } finally {
        await host.db!.start();
      }
      await r.cycle();
      await r.cycle();
      await r.flushed();
      const [parent, ...more] = parents(from);
      assert.equal(more.length, 0, 'one thread for the database, not one per host');
      assert.match(text(parent!), /db main\*: db-unreachable/);
      assert.match(text(parent!), /hosts: prod-1, prod-2/);
      assert.equal(updates(from).length, 1, 'resolved once');
    } finally {
      await r.close();
    }
  });

  it('silenced: tracked, nothing posted; when the silence ends a still-failing incident is posted', async () => {
    const r = rig([prod('prod-1')]);
    const from = slack.calls.length;
    try {
      // Long enough for any machine; its end is made below by moving `until` to the past, as time would.
      const silence = { host: 'prod-1', until: Date.now() + 600_000, reason: 'maintenance', by: 'test', createdAt: Date.now() };
      await r.store.setSilence(silence);
      await host.app.supervisorctl('stop', 'moneymind');
      try {
        await r.cycle();
        const silent = await r.cycle();
        assert.deepEqual(silent.intents, []);
        assert.equal((await r.store.openIncident('host:prod-1|service-down'))?.subject, 'prod-1', 'tracked as an incident');
        await r.flushed();
        assert.equal(parents(from).length, 0, 'nothing posted while silenced');
        await r.store.setSilence({ ...silence, until: Date.now() - 1 });
        const later = await r.cycle();
        assert.deepEqual(
          later.intents.map((i) => i.kind),
          ['open'],
        );
        await r.flushed();
        assert.equal(parents(from).length, 1);
      } finally {
        await host.app.supervisorctl('start', 'moneymind');
      }
      await r.cycle();
      await r.cycle();
      await r.flushed();
    } finally {
      await r.close();
    }
  });

  it('flapping /health → one notice, no open/close spam', async () => {
    const r = rig([prod('prod-1')], {}, { healthTimeout: '400ms' });
    const from = slack.calls.length;
    try {
      for (let i = 0; i < 14; i++) {
        await host.app.setMode(i % 2 === 0 ? 'hang' : 'ok');
        await r.cycle();
      }
      await host.app.setMode('ok');
      await r.flushed();
      const all = posts(from).map(text);
      assert.equal(parents(from).length, 1, all.join('\n'));
      assert.match(text(parents(from)[0]!), /\(flapping\)/);
      assert.equal(all.filter((t) => /Resolved/.test(t)).length, 0, 'no resolve while flapping');
    } finally {
      await host.app.setMode('ok');
      await r.close();
    }
  });

  it('Slack answering 429 then 500: the alert arrives once, later, and the cycles never wait', async () => {
    const r = rig([prod('prod-1')]);
    const from = slack.calls.length;
    try {
      await host.app.supervisorctl('stop', 'moneymind');
      try {
        await r.cycle();
        slack.failNext(429);
        slack.failNext(500);
        const started = Date.now();
        await r.cycle(); // opens: the post is refused twice in the background
        assert.ok(Date.now() - started < 3000, 'the cycle did not wait on Slack');
        await r.flushed();
      } finally {
        await host.app.supervisorctl('start', 'moneymind');
      }
      const attempts = slack.calls.slice(from).filter((c) => c.path === '/api/chat.postMessage' && !c.body.thread_ts);
      assert.equal(attempts.length, 3, 'refused, refused, delivered');
      assert.ok(attempts[2]!.at - attempts[0]!.at >= 250, 'retried with backoff');
      await r.cycle();
      await r.cycle();
      await r.flushed();
      assert.equal(updates(from).length, 1);
    } finally {
      await r.close();
    }
  });

  it('memory-growth: RSS samples are kept each cycle, and a sustained rise fires before memory runs out', async () => {
    const r = rig([prod('prod-1')], {}, { memoryGrowthMbPerHour: 50, memoryGrowthWindow: '30m' });
    try {
      await r.cycle();
      assert.equal((await r.store.rssHistory('prod-1', 0)).length, 1, 'one sample per cycle');
      // 30 minutes of history rising 100 MB/h, as a leaking app would leave it.
      const now = Date.now();
      const samples = Array.from({ length: 30 }, (_, i) => rssOnly('prod-1', now - (30 - i) * 60_000, 20_000 + i * 1707));
      await r.store.commitCycle({ now, trackers: await r.store.loadTrackers(), opened: [], posts: [], closed: [], samples, keepSamplesMs: 3_600_000 });
      await r.cycle();
      const fired = await r.cycle();
      assert.deepEqual(
        fired.intents.map((i) => `${i.kind} ${i.key}`),
        ['open host:prod-1|memory-growth'],
      );
    } finally {
      await r.close();
    }
  });

  // Once a year: the schedule never fires during these tests, so every check after runNow() is a retry.
  const never = { schedule: '0 0 1 1 *' };
  async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await cond())) {
      if (Date.now() > deadline) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  }

  it('retryInterval: app stopped → alerted after one cycle plus failuresToAlert − 1 retries, not after three intervals', async () => {
    const r = rig([prod('prod-1')], { ...never, retryInterval: '1s', failuresToAlert: 3 });
    const w = startWatcher(r.deps);
    const from = slack.calls.length;
    try {
      await host.app.supervisorctl('stop', 'moneymind');
      const stopped = Date.now();
      const first = await w.runNow();
      assert.deepEqual(first?.retryHosts, ['prod-1'], 'the first failure asks for a retry');
      await until('the alert', () => parents(from).length > 0);
      const alertMs = parents(from)[0]!.at - stopped;
      assert.match(text(parents(from)[0]!), /prod-1: service-down/);
      assert.equal(w.stats.cycles, 1, 'the schedule never ran: the retries alone reached failuresToAlert');
      assert.ok(w.stats.retries >= 2, `${w.stats.retries} retries`);
      // Two retries, each retryInterval after the cycle before it ended: paced, not back to back.
      assert.ok(alertMs >= 2000, `alerted ${alertMs} ms after the stop`);
      assert.ok(alertMs < 30_000, `alerted ${alertMs} ms after the stop`);
      assert.equal(parents(from).length, 1, 'one thread');
    } finally {
      await w.stop();
      await host.app.supervisorctl('start', 'moneymind');
      await r.close();
    }
  });

  it('retryInterval: a host that recovers while pending stops being re-checked, and nothing is posted', async () => {
    const r = rig([prod('prod-1')], { ...never, retryInterval: '1s', failuresToAlert: 100 }, { healthTimeout: '400ms' });
    const w = startWatcher(r.deps);
    const from = slack.calls.length;
    const pending = async () => (await r.store.loadTrackers()).some((t) => t.phase === 'pending');
    try {
      await host.app.setMode('hang');
      await w.runNow();
      assert.ok(await pending(), 'the hung /health is pending');
      await until('a retry', () => w.stats.retries >= 1);
      await host.app.setMode('ok');
      await until('a retry that sees it healthy', async () => !(await pending()));
      const retries = w.stats.retries;
      await new Promise((res) => setTimeout(res, 3500));
      assert.equal(w.stats.retries, retries, 'no retry after the recovery');
      assert.equal(w.stats.cycles, 1);
      assert.equal(parents(from).length, 0, 'nothing posted');
    } finally {
      await host.app.setMode('ok');
      await w.stop();
      await r.close();
    }
  });

  it('the node-cron schedule runs cycles by itself and never two at once', async () => {
    const r = rig([prod('prod-1')], { schedule: '* * * * * *' });
    const w = startWatcher({ ...r.deps });
    try {
      const until = Date.now() + 10_000;
      while (w.stats.cycles < 3 && Date.now() < until) await new Promise((res) => setTimeout(res, 100));
      assert.ok(w.stats.cycles >= 3, `${w.stats.cycles} cycles`);
      // A hung /health makes a cycle last longer than the 1 s schedule: the next ticks are skipped.
      await host.app.setMode('hang');
      const overlaps = w.stats.overlaps;
      const until2 = Date.now() + 10_000;
      while (w.stats.overlaps === overlaps && Date.now() < until2) await new Promise((res) => setTimeout(res, 100));
      assert.ok(w.stats.overlaps > overlaps, 'a tick during a slow cycle was skipped');
      assert.equal(w.stats.failures, 0);
    } finally {
      await host.app.setMode('ok');
      await w.stop();
      await r.close();
    }
  });
});
