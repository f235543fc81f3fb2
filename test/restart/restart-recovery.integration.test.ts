import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Secret } from '../../src/config/secret.js';
import { botServices } from '../../src/app/bot-services.js';
import { createLogger } from '../../src/log/create-logger.js';
import { TransportPool } from '../../src/remote/transport-pool.js';
import { createSlackApp } from '../../src/slack/create-slack-app.js';
import { Store } from '../../src/store/store.js';
import { testConfig } from '../support/config.js';
import { freePort } from '../support/free-port.js';
import { startSlackDouble, type RecordedCall, type SlackDouble } from '../support/slack-double.js';
import { slackSender, type SlackSender } from '../support/slack-requests.js';
import { startTestHost, type TestHost } from '../support/test-host.js';
import { TEST_THRESHOLDS } from '../support/test-thresholds.js';

/*
 * A restart request outlives the bot that posted it: the request is made through Bolt's real HTTP
 * receiver (checks over real SSH to the supervisord test host), that app is stopped — its expiry
 * timer dies with it — and a new app starts on the same store. The new one must expire the request
 * (message edited, buttons gone, audited), now if its time ran out while the bot was down, else
 * when its time comes.
 */
const ASKER = 'U0ASKER001';
const BOB = 'U0APPROVE1';
let host: TestHost;
let slack: SlackDouble;
let dir: string;
const log = createLogger({ level: 'silent' });

async function rig(storeFile: string): Promise<{ send: SlackSender; store: Store; stop(): Promise<void> }> {
  // confirmTimeout is long: only the test moves a request's expiry (in the store, while no bot runs).
  const config = testConfig(
    {
      hosts: [host.hostConfig('prod-1', { mysql: undefined })],
      thresholds: TEST_THRESHOLDS,
      slack: { approvers: [BOB] },
      restart: { confirmTimeout: '5m' },
      watch: { store: storeFile },
    },
    host.env,
  );
  const store = new Store(storeFile);
  const pool = new TransportPool(log);
  const port = await freePort();
  const app = createSlackApp(
    { mode: 'http', botToken: new Secret('xoxb-test'), signingSecret: new Secret('recover'), port, apiUrl: slack.apiUrl },
    botServices({ config, transportFor: (h) => pool.get(h), clock: Date.now, log, store }),
    log,
  );
  await app.start();
  return {
    send: slackSender(`http://127.0.0.1:${port}`, slack, 'recover'),
    store,
    async stop() {
      await app.stop();
      await pool.closeAll();
      await store.close();
    },
  };
}

const blocksOf = (c: RecordedCall): string => String(c.body.blocks ?? '');

/** Asks for a restart, stops that bot, and returns the request id and where its message is. */
async function requestThenStop(storeFile: string): Promise<{ id: string; ts: string }> {
  const first = await rig(storeFile);
  try {
    const from = slack.calls.length;
    const res = await first.send.command('restart prod-1', { user: ASKER });
    const posted = await slack.waitFor(
      (c) => slack.calls.indexOf(c) >= from && c.path === '/api/chat.postMessage' && blocksOf(c).includes('restart_confirm'),
      20_000,
    );
    const id = /"action_id":"restart_confirm".*?"value":"([A-Za-z0-9_-]+)"/.exec(blocksOf(posted))?.[1];
    assert.ok(id);
    await slack.waitFor((c) => c.path === `/response/${res.id}`, 10_000);
    const row = await first.store.restarts.get(id);
    assert.ok(row?.message_ts, 'the message is recorded, for the next bot to edit');
    return { id, ts: row.message_ts };
  } finally {
    await first.stop();
  }
}

/** What the bot found when it came back: the request's expiry as if the bot had been down until now. */
function setExpiry(storeFile: string, id: string, expiresAt: number): void {
  const db = new Database(storeFile);
  try {
    assert.equal(db.prepare('SELECT state FROM restarts WHERE id = ?').pluck().get(id), 'pending', 'the old bot left it pending');
    db.prepare('UPDATE restarts SET expires_at = ? WHERE id = ?').run(expiresAt, id);
  } finally {
    db.close();
  }
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mm-recover-'));
  host = await startTestHost();
  slack = await startSlackDouble();
});
after(async () => {
  await slack?.close();
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a pending restart request across a restart of the bot', () => {
  it('past its confirmTimeout when the bot comes back: expired at once, message edited without buttons, audited, history says so', async () => {
    const storeFile = join(dir, 'overdue.db');
    const { id, ts } = await requestThenStop(storeFile);
    setExpiry(storeFile, id, Date.now() - 1000);
    const from = slack.calls.length;
    const second = await rig(storeFile);
    try {
      const edit = await slack.waitFor((c) => slack.calls.indexOf(c) >= from && c.path === '/api/chat.update' && c.body.ts === ts, 10_000);
      assert.match(String(edit.body.text), /⌛ Restart request for prod-1 expired unconfirmed/);
      assert.ok(!blocksOf(edit).includes('restart_confirm') && !blocksOf(edit).includes('restart_cancel'), 'buttons gone');
      assert.equal((await second.store.restarts.get(id))?.state, 'expired');
      assert.ok((await second.store.restarts.auditFor('prod-1', 20)).some((e) => e.event === 'expired' && e.actor === 'bot' && e.requestId === id));
      const history = await second.send.command('history prod-1');
      assert.match(JSON.stringify(history.json), /restart — expired; asked by U0ASKER001/);
      const stale = await second.send.click('restart_confirm', id, BOB);
      assert.match(String(stale.body.text), /already expired/);
    } finally {
      await second.stop();
    }
  });

  it('with time left: the new bot expires it when its time comes, not before', async () => {
    const storeFile = join(dir, 'time-left.db');
    const { id, ts } = await requestThenStop(storeFile);
    const expiresAt = Date.now() + 2500;
    setExpiry(storeFile, id, expiresAt);
    const from = slack.calls.length;
    const second = await rig(storeFile);
    try {
      const edit = await slack.waitFor((c) => slack.calls.indexOf(c) >= from && c.path === '/api/chat.update' && c.body.ts === ts, 20_000);
      assert.ok(edit.at >= expiresAt, `edited ${expiresAt - edit.at} ms before its expiry`);
      assert.match(String(edit.body.text), /expired unconfirmed/);
      assert.ok(!blocksOf(edit).includes('restart_confirm'), 'buttons gone');
      assert.equal((await second.store.restarts.get(id))?.state, 'expired');
      assert.equal(slack.calls.slice(from).filter((c) => c.path === '/api/chat.update' && c.body.ts === ts).length, 1, 'edited once');
    } finally {
      await second.stop();
    }
  });
});
