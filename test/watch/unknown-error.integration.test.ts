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
 * The outage no rule names, made for real: the app's MySQL password is changed under it (as when
 * someone rotates it and forgets the app), its pooled connections are killed, and from then on
 * /health answers 500 with `(1045, "Access denied for user …")`. The watcher must still open one
 * alert thread within failuresToAlert cycles, and the thread must quote the error.
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

describe('an outage no rule names', () => {
  it('/health 500 with an unknown error (a rotated DB password) → one alert thread within failuresToAlert cycles, quoting the error', async () => {
    const config = testConfig(
      {
        hosts: [host.hostConfig('prod-1', { app: { poolRecycle: 300 } })],
        thresholds: TEST_THRESHOLDS,
        slack: { alertChannel: CHANNEL },
        watch: { failuresToAlert: 2, store: join(dir, 's.db') },
      },
      host.env,
    );
    const store = new Store(config.watch.store);
    const poster = new OutboxPoster(store, slackAlertSender('xoxb-test', slack.apiUrl), log, { channel: CHANNEL, minIntervalMs: 20, baseBackoffMs: 300 });
    const deps = { config, store, transportFor: pool.get.bind(pool), log, clock: Date.now, poster };
    const from = slack.calls.length;
    try {
      assert.deepEqual((await runCycle(deps)).intents, [], 'healthy: nothing');
      await rotateAppPassword('rotated-elsewhere');
      // The first request after the kill meets a dead pooled connection (2013); every later one is
      // the 1045. The log is emptied so only what fails now is left to explain it.
      assert.match(await (await fetch(host.app.healthUrl)).text(), /2013|1045/);
      truncateSync(host.app.logFile, 0);
      const body = await (await fetch(host.app.healthUrl)).text();
      assert.match(body, /\(1045, \\"Access denied for user/, 'the app now fails with an error no rule knows');

      const first = await runCycle(deps);
      assert.deepEqual(first.intents, [], 'first failure: pending');
      assert.deepEqual(
        first.reports[0]?.causes.map((c) => c.id),
        ['app-unhealthy'],
      );
      const second = await runCycle(deps);
      assert.deepEqual(
        second.intents.map((i) => `${i.kind} ${i.key}`),
        ['open host:prod-1|app-unhealthy'],
      );
      for (let i = 0; i < 40 && store.pendingPosts() > 0; i++) {
        poster.kick();
        await poster.idle();
        if (store.pendingPosts() > 0) await new Promise((r) => setTimeout(r, 50));
      }
      const posts = slack.calls.slice(from).filter((c) => c.path === '/api/chat.postMessage');
      const parents = posts.filter((c) => !c.body.thread_ts);
      assert.equal(parents.length, 1, 'exactly one thread');
      assert.match(text(parents[0]!), /prod-1: app-unhealthy — \/health answers 500: \(pymysql\.err\.OperationalError\) \(1045/);
      const replies = posts.filter((c) => c.body.thread_ts);
      assert.match(text(replies[0]!), /Access denied for user 'moneymind'/);
      assert.match(text(replies[0]!), /No known cause matched/);
    } finally {
      await rotateAppPassword(host.db!.appPassword);
      await poster.stop();
      store.close();
    }
  });
});
