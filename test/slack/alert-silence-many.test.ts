import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Config } from '../../src/config/types.js';
import { LocalTransport } from '../../src/remote/local-transport.js';
import type { SlackRunner } from '../../src/slack/create-slack-app.js';
import { Store } from '../../src/store/store.js';
import { postsFor } from '../../src/watch/alert-messages.js';
import type { Tracker } from '../../src/watch/incident-policy.js';
import { dbKey } from '../../src/watch/observe.js';
import { startSlackDouble, type SlackDouble } from '../support/slack-double.js';
import type { SlackSender } from '../support/slack-requests.js';
import { APPROVER, extremeConfig, HOSTS } from '../support/slack-messages.js';
import { startHttpSlackApp } from '../support/http-slack-app.js';

// [Silence 1h] on a database alert covering 60 hosts with 40-character names, clicked through
// Bolt's HTTP receiver with signed requests: one answer on the click's response_url, not 60.
let slack: SlackDouble;
let app: SlackRunner;
let send: SlackSender;
let store: Store;
let dir: string;
let config: Config;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mm-silence-many-'));
  config = extremeConfig(HOSTS);
  store = new Store(join(dir, 'store.db'));
  slack = await startSlackDouble();
  ({ app, send } = await startHttpSlackApp({ config, slack, secret: 's', transportFor: () => new LocalTransport(), store }));
});
after(async () => {
  await app?.stop();
  await slack?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The button value the real alert builder puts on the parent of the 60-host database incident. */
function silenceValue(): string {
  const hosts = config.hosts.map((h) => h.name);
  const key = dbKey(config.hosts[0]!.dbName!);
  const t: Tracker = {
    key,
    subject: `db ${config.hosts[0]!.dbName}`,
    cause: 'db-unreachable',
    hosts,
    phase: 'firing',
    fails: 2,
    oks: 0,
    history: [],
    flapping: false,
    since: Date.now(),
    posted: true,
    lastReminder: undefined,
    signature: undefined,
    detail: undefined,
    affected: [],
  };
  const [parent] = postsFor({ kind: 'open', key, flapping: false }, t, Date.now());
  for (const b of parent!.message.blocks) {
    if (b.type !== 'actions') continue;
    for (const e of b.elements) if (e.type === 'button' && e.action_id === 'alert_silence') return e.value ?? '';
  }
  throw new Error('no [Silence 1h] on the alert');
}

/** Waits for the click's answer, then long enough for any second one to arrive (bounded). */
async function answersTo(id: number): Promise<number> {
  await slack.waitFor((c) => c.path === `/response/${id}`, 20_000);
  await new Promise((r) => setTimeout(r, 500));
  return send.responses(id).length;
}

describe('[Silence 1h] on an alert covering 60 hosts', () => {
  it("carries the incident key, far inside Slack's 2000 characters", () => {
    const value = silenceValue();
    assert.match(value, /^db:[a-z0-9-]+\|db-unreachable$/);
    assert.ok(value.length < 100, `${value.length} characters`);
  });

  it('silences every host of the database and answers the click exactly once', async () => {
    const id = await send.press('alert_silence', silenceValue(), APPROVER);
    assert.equal(await answersTo(id), 1);
    const [answer] = send.responses(id);
    assert.equal(answer!.body.response_type, 'in_channel');
    assert.equal(answer!.body.replace_original, false, 'the alert itself stays');
    assert.match(String(answer!.body.text), new RegExp(`🔕 ${HOSTS} hosts silenced for 1 h by <@${APPROVER}> \\(from the alert button\\)`));
    assert.deepEqual((await store.activeSilences(Date.now())).map((s) => s.host).sort(), config.hosts.map((h) => h.name).sort());
  });

  it('an alert from before keys (the host names joined) still works, with one answer', async () => {
    const names = config.hosts
      .slice(0, 40)
      .map((h) => h.name)
      .join(' ');
    const id = await send.press('alert_silence', names, APPROVER);
    assert.equal(await answersTo(id), 1);
    assert.match(String(send.responses(id)[0]!.body.text), /🔕 40 hosts silenced/);
  });

  it('someone who is not an approver gets one refusal, not 60', async () => {
    const id = await send.press('alert_silence', silenceValue(), 'U0SOMEONE1');
    assert.equal(await answersTo(id), 1);
    assert.match(String(send.responses(id)[0]!.body.text), /you may not run silence/);
  });
});
