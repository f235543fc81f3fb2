import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LocalTransport } from '../../src/remote/local-transport.js';
import type { SlackRunner } from '../../src/slack/create-slack-app.js';
import { Store } from '../../src/store/store.js';
import { testConfig } from '../support/config.js';
import { startSlackDouble, type SlackDouble } from '../support/slack-double.js';
import type { SlackSender } from '../support/slack-requests.js';
import { startHttpSlackApp } from '../support/http-slack-app.js';

// The buttons on an alert's parent, clicked through Bolt's HTTP receiver with signed payloads.
let slack: SlackDouble;
let app: SlackRunner;
let send: SlackSender;
let store: Store;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mm-alert-buttons-'));
  const config = testConfig({ hosts: [{ name: 'prod-1', transport: 'local' }], slack: { approvers: ['U0APPROVE1'] } });
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

describe('alert buttons', () => {
  it('[Silence 1h] from someone who is not an approver is refused, and nothing is silenced', async () => {
    const r = await send.click('alert_silence', 'prod-1', 'U0SOMEONE1');
    assert.equal(r.body.response_type, 'ephemeral');
    assert.match(String(r.body.text), /you may not run silence/);
    assert.equal((await store.activeSilences(Date.now())).length, 0);
  });

  it('[Silence 1h] from an approver silences the host and says so in the channel', async () => {
    const r = await send.click('alert_silence', 'prod-1', 'U0APPROVE1');
    assert.equal(r.body.response_type, 'in_channel');
    assert.equal(r.body.replace_original, false, 'the alert itself stays');
    assert.match(String(r.body.text), /🔕 prod-1 silenced for 1 h 0 min by <@U0APPROVE1> \(from the alert button\)/);
    assert.deepEqual(
      (await store.activeSilences(Date.now())).map((s) => s.host),
      ['prod-1'],
    );
  });

  it("[Status] shows the host's status to the one who clicked, without replacing the alert", async () => {
    const r = await send.click('alert_status', 'prod-1');
    assert.equal(r.body.response_type, 'ephemeral');
    assert.equal(r.body.replace_original, false);
    assert.match(String(r.body.text), /prod-1 (healthy|degraded|unhealthy)/);
    assert.match(JSON.stringify(r.body.blocks), /🔕 prod-1 silenced until/);
  });

  it('a crafted value goes through the router like typed text', async () => {
    const r = await send.click('alert_status', 'prod-1;reboot');
    assert.match(String(r.body.text), /unexpected character ";"/);
  });
});
