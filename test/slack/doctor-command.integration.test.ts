import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/log/create-logger.js';
import { TransportPool } from '../../src/remote/transport-pool.js';
import type { SlackRunner } from '../../src/slack/create-slack-app.js';
import { testConfig } from '../support/config.js';
import { startHttpSlackApp } from '../support/http-slack-app.js';
import { startSlackDouble, type SlackDouble } from '../support/slack-double.js';
import type { SlackSender } from '../support/slack-requests.js';
import { startTestHost, type TestHost } from '../support/test-host.js';
import { TEST_THRESHOLDS } from '../support/test-thresholds.js';

/*
 * `/moneymind doctor prod-1` end to end: a signed request into Bolt's HTTP receiver, the doctor's
 * probe over real SSH to sshd + MariaDB + supervisord, the answer to response_url on the Web API
 * double — only for the asker.
 */
const SECRET = 'integration-signing-secret';
let host: TestHost;
let slack: SlackDouble;
let app: SlackRunner;
let pool: TransportPool;
let send: SlackSender;

before(async () => {
  host = await startTestHost({ withDb: true });
  slack = await startSlackDouble();
  const config = testConfig({ hosts: [host.hostConfig('prod-1')], thresholds: TEST_THRESHOLDS }, host.env);
  pool = new TransportPool(createLogger({ level: 'silent' }));
  ({ app, send } = await startHttpSlackApp({ config, slack, secret: SECRET, transportFor: (h) => pool.get(h) }));
});
after(async () => {
  await app?.stop();
  await pool?.closeAll();
  await slack?.close();
  await host?.stop();
});

describe('/moneymind doctor', () => {
  it('doctor prod-1: acked at once, answered ephemerally with the checklist', async () => {
    const r = await send.command('doctor prod-1');
    assert.equal(r.status, 200);
    assert.match(String(r.json.text), /checking the setup of prod-1…/);
    const res = await slack.waitFor((c) => c.path === `/response/${r.id}`, 20_000);
    assert.equal(res.body.response_type, 'ephemeral');
    const text = JSON.stringify(res.body.blocks);
    assert.match(text, /\*prod-1\* \(\w+@127\.0\.0\.1:\d+\) — /);
    assert.match(text, /✓ SSH \w+@127\.0\.0\.1:\d+: logged in, host key matches SHA256:/);
    assert.match(text, /restart allowed by sudoers: sudo -n supervisorctl -c \S+ restart moneymind/);
    assert.match(text, /✓ MySQL 'monitor'@'127\.0\.0\.1' has PROCESS/);
    // Nothing is posted to the channel.
    assert.equal(slack.calls.filter((c) => c.path === '/api/chat.postMessage').length, 0);
  });

  it('doctor with an unknown host: the error, ephemerally', async () => {
    const r = await send.command('doctor nope');
    assert.equal(r.json.response_type, 'ephemeral');
    assert.match(String(r.json.text), /unknown host "nope"/);
  });
});
