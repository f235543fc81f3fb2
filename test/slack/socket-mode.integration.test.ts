import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadSlackSettings } from '../../src/config/slack-settings.js';
import { botServices } from '../../src/app/bot-services.js';
import { createLogger } from '../../src/log/create-logger.js';
import { TransportPool } from '../../src/remote/transport-pool.js';
import { createSlackApp, type SlackRunner } from '../../src/slack/create-slack-app.js';
import { testConfig } from '../support/config.js';
import { startSlackDouble, type SlackDouble } from '../support/slack-double.js';
import { freePort } from '../support/free-port.js';
import { TEST_THRESHOLDS } from '../support/test-thresholds.js';

/*
 * Socket Mode, the default: the app opens apps.connections.open on the double (through
 * SLACK_API_URL, with the app token), connects to the WebSocket it is handed, and acks each
 * envelope over it. The `local` host's app port is a free port with nothing on it, so checks fail fast.
 */
let slack: SlackDouble;
let app: SlackRunner;
let pool: TransportPool;

before(async () => {
  slack = await startSlackDouble();
  const settings = loadSlackSettings({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: slack.apiUrl });
  assert.equal(settings.mode, 'socket');
  if (settings.mode !== 'socket') return;
  // The built-in `local` host, but its app port is a free one: whatever else listens on 5070 on
  // this machine must not answer for the app.
  const appPort = await freePort();
  const config = testConfig({
    hosts: [{ name: 'local', transport: 'local', app: { healthUrl: `http://127.0.0.1:${appPort}/health`, port: appPort } }],
    thresholds: TEST_THRESHOLDS,
  });
  const log = createLogger({ level: 'silent' });
  pool = new TransportPool(log);
  app = createSlackApp(settings, botServices({ config, transportFor: (h) => pool.get(h), clock: Date.now, log }), log);
  await app.start();
});
after(async () => {
  await app?.stop();
  await pool?.closeAll();
  await slack?.close();
});

const slash = (text: string, responseId: number) => ({
  command: '/moneymind',
  text,
  user_id: 'U123',
  user_name: 'alice',
  channel_id: 'C123',
  team_id: 'T1',
  api_app_id: 'A1',
  response_url: `${slack.url}/response/sock-${responseId}`,
  trigger_id: 't',
  token: 'legacy',
});

describe('Socket Mode', () => {
  it('connects with the app token through SLACK_API_URL', async () => {
    const open = await slack.waitFor((c) => c.path === '/api/apps.connections.open');
    assert.equal(open.body.authorization, 'Bearer xapp-test');
  });

  it('help is answered in the envelope ack, ephemerally', async () => {
    const ack = await slack.envelope('slash_commands', slash('help', 1));
    assert.equal(ack.response_type, 'ephemeral');
    assert.match(JSON.stringify(ack.blocks), /\/moneymind status \[HOST\|all\]/);
  });

  it('health local: acked at once over the socket, the answer replaces it through response_url', async () => {
    const started = Date.now();
    const ack = await slack.envelope('slash_commands', slash('health local', 2));
    assert.ok(Date.now() - started < 1000, `ack took ${Date.now() - started} ms`);
    assert.equal(ack.response_type, 'in_channel');
    assert.match(String(ack.text), /checking local…/);
    const answer = await slack.waitFor((c) => c.path === '/response/sock-2', 15_000);
    assert.equal(answer.body.replace_original, true);
    assert.match(String(answer.body.text), /^🔴 local unhealthy/);
  });

  it("an unknown action id is acked at once (not left to Slack's 3 s timeout) and runs nothing", async () => {
    const click = {
      type: 'block_actions',
      user: { id: 'U123' },
      channel: { id: 'C123' },
      response_url: `${slack.url}/response/sock-4`,
      actions: [{ type: 'button', action_id: 'dance', value: 'local' }],
    };
    // The double rejects when no ack comes within the timeout; Slack gives up after 3 s.
    assert.deepEqual(await slack.envelope('interactive', click, 2500), {});
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(slack.calls.filter((c) => c.path === '/response/sock-4').length, 0);
  });

  it('an envelope whose payload is null is acked, and the app goes on', async () => {
    assert.deepEqual(await slack.envelope('interactive', null as unknown as Record<string, unknown>, 2500), {});
    const ack = await slack.envelope('slash_commands', slash('help', 5));
    assert.equal(ack.response_type, 'ephemeral');
  });

  it("hostile text gets the router's error in the ack", async () => {
    const ack = await slack.envelope('slash_commands', slash('status `reboot`', 3));
    assert.equal(ack.response_type, 'ephemeral');
    assert.match(String(ack.text), /unexpected character "`"/);
  });
});
