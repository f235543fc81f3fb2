import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Secret } from '../../src/config/secret.js';
import { botServices, type BotServices } from '../../src/app/bot-services.js';
import { createLogger } from '../../src/log/create-logger.js';
import { TransportPool } from '../../src/remote/transport-pool.js';
import { createSlackApp, type SlackRunner } from '../../src/slack/create-slack-app.js';
import { Store } from '../../src/store/store.js';
import { testConfig } from '../support/config.js';
import { freePort } from '../support/free-port.js';
import { startSlackDouble, type RecordedCall, type SlackDouble } from '../support/slack-double.js';
import { slackSender, type SlackSender } from '../support/slack-requests.js';
import { startSystemdTestHost, type SystemdTestHost } from '../support/systemd-host.js';
import { startTestHost, type TestHost } from '../support/test-host.js';
import { TEST_THRESHOLDS } from '../support/test-thresholds.js';

/*
 * Approved restarts end to end: signed requests into Bolt's HTTP receiver, the restart over real SSH
 * with the test user's real sudoers rule for supervisorctl, supervisord really stopping and starting
 * the stand-in app. Restarts are counted on the host: each start writes one "stand-in starting" line.
 */
const ASKER = 'U0ASKER001';
const BOB = 'U0APPROVE1';
const CAROL = 'U0APPROVE2';
let host: TestHost;
let slack: SlackDouble;
let dir: string;
const log = createLogger({ level: 'silent' });

interface Rig {
  send: SlackSender;
  store: Store;
  services: BotServices;
  stop(): Promise<void>;
}

async function rig(
  restart: object = {},
  hostOverrides: object = {},
  storeFile = join(dir, `${Math.random().toString(36).slice(2)}.db`),
  entry = host.hostConfig('prod-1', { mysql: undefined, ...hostOverrides }),
): Promise<Rig> {
  const config = testConfig(
    {
      hosts: [entry],
      thresholds: TEST_THRESHOLDS,
      slack: { approvers: [BOB, CAROL], approverGroups: ['S0OPSTEAM1'] },
      restart: { requireSecondPerson: true, verifyTimeout: '20s', ...restart },
      watch: { store: storeFile },
    },
    host.env,
  );
  const store = new Store(storeFile);
  const pool = new TransportPool(log);
  const services = botServices({ config, transportFor: (h) => pool.get(h), clock: Date.now, log, store });
  const port = await freePort();
  const app: SlackRunner = createSlackApp(
    { mode: 'http', botToken: new Secret('xoxb-test'), signingSecret: new Secret('restart'), port, apiUrl: slack.apiUrl },
    services,
    log,
  );
  await app.start();
  return {
    send: slackSender(`http://127.0.0.1:${port}`, slack, 'restart'),
    store,
    services,
    async stop() {
      await app.stop();
      await pool.closeAll();
      await store.close();
    },
  };
}

const starts = (): number =>
  readFileSync(host.app.logFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes('MoneyMind stand-in starting')).length;
const blocksOf = (c: RecordedCall): string => String(c.body.blocks ?? '');

/** `/moneymind restart prod-1` by ASKER → the confirmation message the bot posted, and the request id. */
async function ask(r: Rig, user = ASKER): Promise<{ id: string; confirmation: RecordedCall; ack: Record<string, unknown> }> {
  const from = slack.calls.length;
  const res = await r.send.command('restart prod-1', { user });
  const confirmation = await slack.waitFor(
    (c) => slack.calls.indexOf(c) >= from && c.path === '/api/chat.postMessage' && blocksOf(c).includes('restart_confirm'),
    20_000,
  );
  const id = /"action_id":"restart_confirm".*?"value":"([A-Za-z0-9_-]+)"/.exec(blocksOf(confirmation))?.[1];
  assert.ok(id, blocksOf(confirmation));
  await slack.waitFor((c) => c.path === `/response/${res.id}`, 10_000);
  return { id, confirmation, ack: res.json };
}
const updatesSince = (from: number): RecordedCall[] => slack.calls.slice(from).filter((c) => c.path === '/api/chat.update');
const outcome = (from: number) =>
  slack.waitFor(
    (c) =>
      slack.calls.indexOf(c) >= from &&
      c.path === '/api/chat.postMessage' &&
      Boolean(c.body.thread_ts) &&
      /healthy|still failing|failed|could not run/.test(String(c.body.text)),
    40_000,
  );

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mm-restart-'));
  host = await startTestHost();
  slack = await startSlackDouble();
});
beforeEach(() => truncateSync(host.app.logFile, 0));
after(async () => {
  await slack?.close();
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('approved restarts on a real host', () => {
  it('an approver confirms → exactly one restart, verified healthy, all audited', async () => {
    const r = await rig();
    try {
      const { id, confirmation } = await ask(r);
      assert.match(String(confirmation.body.text), /Restart prod-1\? asked by <@U0ASKER001>: sudo -n supervisorctl -c \/.*supervisord\.conf restart moneymind/);
      assert.match(blocksOf(confirmation), /"style":"danger"/);
      assert.match(blocksOf(confirmation), /"confirm":\{"title"/, "Slack's confirm dialog");
      const from = slack.calls.length;
      await r.send.press('restart_confirm', id, BOB);
      const done = await outcome(from);
      assert.match(String(done.body.text), /^✅ healthy again [\d.]+ (ms|s) after restart/);
      assert.equal(starts(), 1, 'the app really restarted, once');
      await slack.waitFor((c) => slack.calls.indexOf(c) >= from && c.path === '/api/chat.update' && /✅ healthy again/.test(String(c.body.text)));
      const edits = updatesSince(from).map((c) => String(c.body.text));
      assert.match(edits[0]!, /⏳ Restarting prod-1… approved by <@U0APPROVE1>/);
      assert.match(edits.at(-1)!, /✅ healthy again/);
      assert.ok(
        updatesSince(from).every((c) => !blocksOf(c).includes('restart_confirm')),
        'no live buttons after confirming',
      );
      const events = (await r.store.restarts.auditFor('prod-1', 20)).map((e) => `${e.event}:${e.actor}`).reverse();
      assert.deepEqual(events, ['requested:U0ASKER001', 'confirmed:U0APPROVE1', 'executed:bot', 'verified:bot']);
      const executed = (await r.store.restarts.auditFor('prod-1', 20)).find((e) => e.event === 'executed')!;
      assert.equal(executed.detail.exitCode, 0);
      assert.ok(typeof executed.detail.durationMs === 'number');
      const history = await r.send.command('history prod-1');
      assert.match(JSON.stringify(history.json), /🔄 .*\*prod-1\* restart — done: healthy; asked by U0ASKER001, approved by U0APPROVE1/);
    } finally {
      await r.stop();
    }
  });

  it('a non-approver and the requester himself (two-person rule) are refused and audited; nothing restarts', async () => {
    const r = await rig();
    try {
      const { id } = await ask(r, BOB);
      const stranger = await r.send.click('restart_confirm', id, 'U0STRANGE1');
      assert.match(String(stranger.body.text), /only approvers \(slack.approvers or slack.approverGroups\) may confirm a restart/);
      assert.equal(stranger.body.response_type, 'ephemeral');
      const self = await r.send.click('restart_confirm', id, BOB);
      assert.match(String(self.body.text), /two-person rule/);
      const cancelByStranger = await r.send.click('restart_cancel', id, 'U0STRANGE1');
      assert.match(String(cancelByStranger.body.text), /only the requester or an approver \(slack.approvers or slack.approverGroups\) may cancel/);
      const from = slack.calls.length;
      await r.send.press('restart_cancel', id, BOB);
      await slack.waitFor((c) => slack.calls.indexOf(c) >= from && c.path === '/api/chat.update' && /cancelled by <@U0APPROVE1>/.test(String(c.body.text)));
      const late = await r.send.click('restart_confirm', id, CAROL);
      assert.match(String(late.body.text), /already cancelled/);
      assert.equal(starts(), 0);
      assert.deepEqual((await r.store.restarts.auditFor('prod-1', 20)).filter((e) => e.event === 'refused').length, 4);
    } finally {
      await r.stop();
    }
  });

  it('with an open incident thread, the confirmation goes into that thread', async () => {
    const r = await rig();
    try {
      // An incident whose parent was posted, as the watcher leaves it.
      const now = Date.now();
      await r.store.commitCycle({
        now,
        trackers: [],
        opened: [{ key: 'host:prod-1|service-down', subject: 'prod-1', cause: 'service-down', hosts: ['prod-1'], title: 'down', at: now }],
        posts: [{ key: 'host:prod-1|service-down', kind: 'post-parent', message: { text: 'x', blocks: [] } }],
        closed: [],
        samples: [],
        keepSamplesMs: 1,
      });
      const [row] = await r.store.duePosts(now, 1);
      await r.store.posted(row!, { channel: 'C0ALERTS1', ts: '1795000000.000100' });
      const { confirmation } = await ask(r);
      assert.equal(confirmation.body.channel, 'C0ALERTS1');
      assert.equal(confirmation.body.thread_ts, '1795000000.000100');
    } finally {
      await r.stop();
    }
  });

  it('a member of an approver group (usergroups.users.list) may confirm', async () => {
    slack.groups.set('S0OPSTEAM1', ['U0DAVE0001']);
    const r = await rig();
    try {
      const { id } = await ask(r);
      const from = slack.calls.length;
      await r.send.press('restart_confirm', id, 'U0DAVE0001');
      assert.match(String((await outcome(from)).body.text), /^✅ healthy again/);
      assert.equal(starts(), 1);
      assert.ok(slack.calls.some((c) => c.path === '/api/usergroups.users.list' && c.body.usergroup === 'S0OPSTEAM1'));
    } finally {
      await r.stop();
    }
  });

  it('a member of an approver group may cancel, as they may confirm', async () => {
    slack.groups.set('S0OPSTEAM1', ['U0ERIN0001']);
    const r = await rig();
    try {
      const { id } = await ask(r);
      const from = slack.calls.length;
      await r.send.press('restart_cancel', id, 'U0ERIN0001');
      const edit = await slack.waitFor(
        (c) => slack.calls.indexOf(c) >= from && c.path === '/api/chat.update' && /cancelled by <@U0ERIN0001>/.test(String(c.body.text)),
      );
      assert.ok(!blocksOf(edit).includes('restart_confirm'), 'buttons gone');
      assert.equal((await r.store.restarts.get(id))?.state, 'cancelled');
      assert.ok((await r.store.restarts.auditFor('prod-1', 20)).some((e) => e.event === 'cancelled' && e.actor === 'U0ERIN0001'));
      assert.equal(starts(), 0);
    } finally {
      slack.groups.delete('S0OPSTEAM1');
      await r.stop();
    }
  });

  it('a double click and two approvers clicking together → one restart', async () => {
    const r = await rig();
    try {
      const { id } = await ask(r);
      const from = slack.calls.length;
      const clicks = await Promise.all([
        r.send.press('restart_confirm', id, BOB),
        r.send.press('restart_confirm', id, BOB),
        r.send.press('restart_confirm', id, CAROL),
      ]);
      await outcome(from);
      const refusals = await Promise.all(
        clicks.map((c) =>
          slack
            .waitFor((x) => x.path === `/response/${c}`, 3000)
            .then(
              () => 1,
              () => 0,
            ),
        ),
      );
      assert.equal(
        refusals.reduce((a: number, b: number) => a + b, 0),
        2,
        'two of three clicks refused',
      );
      assert.equal(starts(), 1, 'one restart on the host');
    } finally {
      await r.stop();
    }
  });

  it('an expired request is edited to "expired", and a stale click is refused', async () => {
    const r = await rig({ confirmTimeout: '1s' });
    try {
      const from = slack.calls.length;
      const { id } = await ask(r);
      await slack.waitFor((c) => slack.calls.indexOf(c) >= from && c.path === '/api/chat.update' && /expired unconfirmed/.test(String(c.body.text)), 5000);
      const stale = await r.send.click('restart_confirm', id, BOB);
      assert.match(String(stale.body.text), /already expired/);
      assert.equal(starts(), 0);
    } finally {
      await r.stop();
    }
  });

  it('dry run does everything but the command; then the hourly limit refuses with the time to retry', async () => {
    const r = await rig({ dryRun: true, maxPerHour: 1 });
    try {
      const { id, confirmation } = await ask(r);
      assert.match(blocksOf(confirmation), /dry run/);
      const from = slack.calls.length;
      await r.send.press('restart_confirm', id, BOB);
      assert.match(String((await outcome(from)).body.text), /^✅ \(dry run: nothing was restarted\) healthy now/);
      assert.equal(starts(), 0, 'nothing restarted');
      const again = await r.send.command('restart prod-1');
      const refused = await slack.waitFor((c) => c.path === `/response/${again.id}`, 20_000);
      assert.match(String(refused.body.text), /restarted 1 times in the last hour \(restart.maxPerHour\); try again after \d\d:\d\d UTC/);
    } finally {
      await r.stop();
    }
  });

  it('sudo not permitted: a clear message naming the sudoers line, nothing left pending', async () => {
    const r = await rig({}, { app: { supervisorConfig: '/etc/supervisor/other.conf' } });
    try {
      const { id } = await ask(r);
      const from = slack.calls.length;
      await r.send.press('restart_confirm', id, BOB);
      const out = await outcome(from);
      assert.match(
        String(out.body.text),
        new RegExp(
          /❌ the restart command failed \(exit 1\): sudo is not permitted: /.source +
            /add a sudoers rule like "mmtest ALL=\(root\) NOPASSWD: \/usr\/bin\/supervisorctl -c \/etc\/supervisor\/other.conf restart moneymind"/.source,
        ),
      );
      assert.equal((await r.store.restarts.get(id))?.state, 'done');
      assert.equal(starts(), 0);
    } finally {
      await r.stop();
    }
  });

  it('verification times out: the restart ran, the outcome says it is still failing, with a diagnosis', async () => {
    const closed = await freePort();
    const r = await rig({ verifyTimeout: '3s' }, { app: { healthUrl: `http://127.0.0.1:${closed}/health` } });
    try {
      const { id } = await ask(r);
      const from = slack.calls.length;
      await r.send.press('restart_confirm', id, BOB);
      const out = await outcome(from);
      assert.match(String(out.body.text), /^❌ still failing 3 s after restart: .*refused/);
      assert.equal(starts(), 1);
    } finally {
      await r.stop();
    }
  });

  it('shutdown lets a running restart finish and record its outcome', async () => {
    const storeFile = join(dir, 'shutdown.db');
    const r = await rig({}, {}, storeFile);
    const { id } = await ask(r);
    const from = slack.calls.length;
    await r.send.press('restart_confirm', id, BOB);
    await slack.waitFor((c) => slack.calls.indexOf(c) >= from && c.path === '/api/chat.update' && /Restarting prod-1/.test(String(c.body.text)), 10_000);
    await r.stop(); // while the restart is being verified
    assert.ok(
      slack.calls.slice(from).some((c) => /healthy again/.test(String(c.body.text))),
      'the outcome went out before shutdown finished',
    );
    const reopened = new Store(storeFile);
    try {
      assert.equal((await reopened.restarts.get(id))?.state, 'done');
    } finally {
      await reopened.close();
    }
    assert.equal(starts(), 1);
  });

  it('the bot restarted between confirmation and execution: never run again, reported in the thread', async () => {
    const storeFile = join(dir, 'crash.db');
    const first = await rig({}, {}, storeFile);
    const { id } = await ask(first);
    // What a crash right after the store's gate leaves behind: the row is running, nothing ran.
    const gate = await first.services.restartService!.confirm(id, BOB);
    assert.ok(gate.ok);
    await first.stop();
    const from = slack.calls.length;
    const second = await rig({}, {}, storeFile);
    try {
      await slack.waitFor((c) => slack.calls.indexOf(c) >= from && c.path === '/api/chat.update' && /not run again/.test(String(c.body.text)), 5000);
      const stale = await second.send.click('restart_confirm', id, CAROL);
      assert.match(String(stale.body.text), /already abandoned/);
      assert.equal(starts(), 0, 'no restart at all');
      assert.ok((await second.store.restarts.auditFor('prod-1', 20)).some((e) => e.event === 'abandoned'));
    } finally {
      await second.stop();
    }
  });
});

describe('an approved restart on a host run by a real systemd', () => {
  let sd: SystemdTestHost;
  before(async () => {
    sd = await startSystemdTestHost();
  });
  after(async () => {
    await sd?.stop();
  });
  const show = async (prop: string) => (await sd.systemd.systemctl('show', 'moneymind', `--property=${prop}`, '--value')).stdout.trim();

  it('confirm → `sudo -n systemctl restart moneymind` once, a new main process, verified healthy, audited', async () => {
    const r = await rig({}, {}, undefined, sd.hostConfig('prod-1'));
    try {
      const pidBefore = await show('MainPID');
      const { id, confirmation } = await ask(r);
      assert.match(String(confirmation.body.text), /Restart prod-1\? asked by <@U0ASKER001>: sudo -n systemctl restart moneymind/);
      const from = slack.calls.length;
      await r.send.press('restart_confirm', id, BOB);
      const done = await outcome(from);
      assert.match(String(done.body.text), /^✅ healthy again [\d.]+ (ms|s) after restart/);
      assert.notEqual(await show('MainPID'), pidBefore, 'systemd started a new main process');
      assert.equal(await show('ActiveState'), 'active');
      assert.equal(await show('NRestarts'), '0', 'a requested restart, not a crash: systemd does not count it');
      const events = (await r.store.restarts.auditFor('prod-1', 20)).map((e) => `${e.event}:${e.actor}`).reverse();
      assert.deepEqual(events, ['requested:U0ASKER001', 'confirmed:U0APPROVE1', 'executed:bot', 'verified:bot']);
    } finally {
      await r.stop();
    }
  });
});
