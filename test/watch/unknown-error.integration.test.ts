import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/log/create-logger.js';
import { TransportPool } from '../../src/remote/transport-pool.js';
import { slackAlertSender } from '../../src/slack/alert-sender.js';
import { Store } from '../../src/store/store.js';
import { OutboxPoster } from '../../src/watch/outbox-poster.js';
import { runCycle } from '../../src/watch/watch-cycle.js';
import { testConfig } from '../support/config.js';
import { startSlackDouble, type RecordedCall, type SlackDouble } from '../support/slack-double.js';
import { startTestHost, type TestHost } from '../support/test-host.js';
import { TEST_THRESHOLDS } from '../support/test-thresholds.js';

/*
 * Two outages made for real. The app's MySQL password is changed under it (as when someone rotates
 * it and forgets the app), its pooled connections are killed, and from then on /health answers 500
 * with `(1045, "Access denied for user …")`: db-access-denied. And an error no rule names (the
 * stand-in's /health raising a KeyError): app-unhealthy. Either way the watcher opens one alert
 * thread within failuresToAlert cycles, and the thread quotes the error.
 */
const CHANNEL = 'C0ALERTS9';
let host: TestHost;
let slack: SlackDouble;
let dir: string;
let pool: TransportPool;
const log = createLogger({ level: 'silent' });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mm-unknown-'));
  host = await startTestHost({ withDb: true });
  slack = await startSlackDouble();
  pool = new TransportPool(log);
});
after(async () => {
  await pool?.closeAll();
  await slack?.close();
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const text = (c: RecordedCall): string => `${String(c.body.text)} ${typeof c.body.blocks === 'string' ? c.body.blocks : JSON.stringify(c.body.blocks ?? '')}`;

async function rotateAppPassword(to: string): Promise<void> {
  const { appUser } = host.db!;
  for (const from of ['localhost', '127.0.0.1', '%']) await host.db!.sql(`ALTER USER IF EXISTS '${appUser}'@'${from}' IDENTIFIED BY '${to}'`);
  const ids = (await host.db!.sql(`SELECT id FROM information_schema.PROCESSLIST WHERE user = '${appUser}'`)).split('\n').filter((l) => /^\d+$/.test(l.trim()));
  for (const id of ids) await host.db!.sql(`KILL ${id.trim()}`);
}

/** A watcher over the test host with its outbox posting to the Web API double; `drain` sends what it queued. */
function rig(hostOver: object, storeName: string) {
  const config = testConfig(
    {
      hosts: [host.hostConfig('prod-1', hostOver)],
      thresholds: TEST_THRESHOLDS,
      slack: { alertChannel: CHANNEL },
      watch: { failuresToAlert: 2, store: join(dir, storeName) },
    },
    host.env,
  );
  const store = new Store(config.watch.store);
  const poster = new OutboxPoster(store, slackAlertSender('xoxb-test', slack.apiUrl), log, { channel: CHANNEL, minIntervalMs: 20, baseBackoffMs: 300 });
  const deps = { config, store, transportFor: pool.get.bind(pool), log, clock: Date.now, poster };
  const drain = async (): Promise<void> => {
    for (let i = 0; i < 40 && (await store.pendingPosts()) > 0; i++) {
      poster.kick();
      await poster.idle();
      if ((await store.pendingPosts()) > 0) await new Promise((r) => setTimeout(r, 50));
    }
  };
  const close = async (): Promise<void> => {
    await poster.stop();
    await store.close();
  };
  return { deps, drain, close };
}

describe('a rotated DB password, and an outage no rule names', () => {
  it('/health 500 with 1045 (a rotated DB password) → one db-access-denied thread within failuresToAlert cycles, quoting the error', async () => {
    const { deps, drain, close } = rig({ app: { poolRecycle: 300 } }, 's.db');
    const from = slack.calls.length;
    try {
      assert.deepEqual((await runCycle(deps)).intents, [], 'healthy: nothing');
      await rotateAppPassword('rotated-elsewhere');
      // The first request after the kill meets a dead pooled connection (2013); every later one is
      // the 1045. The log is emptied so only what fails now is left to explain it.
      assert.match(await (await fetch(host.app.healthUrl)).text(), /2013|1045/);
      truncateSync(host.app.logFile, 0);
      const body = await (await fetch(host.app.healthUrl)).text();
      assert.match(body, /\(1045, \\"Access denied for user/, 'the app now fails with 1045');

      const first = await runCycle(deps);
      assert.deepEqual(first.intents, [], 'first failure: pending');
      assert.deepEqual(
        first.reports[0]?.causes.map((c) => c.id),
        ['db-access-denied'],
      );
      const second = await runCycle(deps);
      assert.deepEqual(
        second.intents.map((i) => `${i.kind} ${i.key}`),
        ['open host:prod-1|db-access-denied'],
      );
      await drain();
      const posts = slack.calls.slice(from).filter((c) => c.path === '/api/chat.postMessage');
      const parents = posts.filter((c) => !c.body.thread_ts);
      assert.equal(parents.length, 1, 'exactly one thread');
      assert.match(text(parents[0]!), /prod-1: db-access-denied — MySQL refuses the app's database account \(1045\)/);
      const replies = posts.filter((c) => c.body.thread_ts);
      assert.match(text(replies[0]!), /Access denied for user 'moneymind'/);
      assert.match(text(replies[0]!), /A restart does not help until the credentials match/);
    } finally {
      await rotateAppPassword(host.db!.appPassword);
      await close();
    }
  });

  it('/health 500 with an error no rule names → one app-unhealthy thread, quoting the error', async () => {
    const { deps, drain, close } = rig({}, 'u.db');
    const from = slack.calls.length;
    try {
      await fetch(new URL('/_mode/broken', host.app.healthUrl));
      truncateSync(host.app.logFile, 0);
      assert.match(await (await fetch(host.app.healthUrl)).text(), /KeyError|MONEYMIND_SETTINGS/);
      const first = (await runCycle(deps)).reports[0]?.causes ?? [];
      assert.deepEqual([first[0]?.id, first[0]?.severity], ['app-unhealthy', 'critical']);
      assert.ok(!first.slice(1).some((c) => c.severity === 'critical'), 'no other cause alerts');
      assert.deepEqual(
        (await runCycle(deps)).intents.map((i) => `${i.kind} ${i.key}`),
        ['open host:prod-1|app-unhealthy'],
      );
      await drain();
      const posts = slack.calls.slice(from).filter((c) => c.path === '/api/chat.postMessage');
      const parents = posts.filter((c) => !c.body.thread_ts);
      assert.equal(parents.length, 1, 'exactly one thread');
      assert.match(text(parents[0]!), /prod-1: app-unhealthy — \/health answers 500: 'MONEYMIND_SETTINGS'/);
      assert.match(text(posts.filter((c) => c.body.thread_ts)[0]!), /No known cause matched/);
    } finally {
      await fetch(new URL('/_mode/ok', host.app.healthUrl));
      await close();
    }
  });
});
