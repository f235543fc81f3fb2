import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type BotProcess, spawnBot } from '../support/bot-process.js';
import { writeConfigFile } from '../support/config.js';
import { freePort } from '../support/free-port.js';
import { type PagerDutyDouble, startPagerDutyDouble } from '../support/pagerduty-double.js';
import { waitUntil } from '../support/proc.js';
import { type SlackDouble, startSlackDouble } from '../support/slack-double.js';
import { slackSender } from '../support/slack-requests.js';
import { startTestHost, type TestHost } from '../support/test-host.js';
import { TEST_THRESHOLDS } from '../support/test-thresholds.js';

/*
 * Pages outlive the bot process. The bot runs as `npm start` runs it (HTTP mode, the Web API
 * double as Slack, PAGERDUTY_EVENTS_URL at the PagerDuty double) and watches the real test host
 * every 2 s. The app breaks while PagerDuty answers 500: the trigger is refused and kept. SIGTERM;
 * PagerDuty recovers; a second process on the same store sends the trigger exactly once, then an
 * [Acknowledge] click and the app's recovery page acknowledge and resolve under the same key.
 */
const CHANNEL = 'C0PAGEREST';
const SECRET = 'paging-restart-secret';
const KEY = 'host:prod-1|app-unhealthy';
const ROUTING_KEY = 'R0UTING-KEY-never-logged-0123';

let host: TestHost;
let slack: SlackDouble;
let pd: PagerDutyDouble;
let dir: string;
let configPath: string;
let bot: BotProcess | undefined;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mm-paging-restart-'));
  [host, slack, pd] = await Promise.all([startTestHost(), startSlackDouble(), startPagerDutyDouble()]);
  configPath = writeConfigFile(join(dir, 'moneymind.yml'), {
    hosts: [host.hostConfig('prod-1')],
    thresholds: TEST_THRESHOLDS,
    slack: { alertChannel: CHANNEL },
    watch: { schedule: '*/2 * * * * *', failuresToAlert: 1, successesToResolve: 1, retryInterval: 'off', store: join(dir, 'store.db') },
    pagerduty: { routingKeyEnv: 'MM_TEST_PD_KEY' },
  });
});
after(async () => {
  await bot?.stop();
  await fetch(new URL('/_mode/ok', host.app.healthUrl)).catch(() => undefined);
  await Promise.all([slack?.close(), pd?.close()]);
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const waitOpts = (timeoutMs: number) => ({ timeoutMs, intervalMs: 200, describeFailure: () => bot?.err().slice(-4000) ?? '' });
async function startBot(): Promise<{ url: string }> {
  const port = await freePort();
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: String(port),
    MONEYMIND_CONFIG: configPath,
    MM_TEST_PD_KEY: ROUTING_KEY,
    PAGERDUTY_EVENTS_URL: pd.url,
  };
  bot = spawnBot({ ...env, ...host.env }, { cwd: dir });
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    '/healthz to answer',
    () =>
      fetch(`${url}/healthz`).then(
        () => true,
        () => undefined,
      ),
    waitOpts(30_000),
  );
  return { url };
}
const actions = () => pd.accepted().map((e) => String(e.event_action));

describe('a page outlives the bot process', () => {
  let dedup: string;

  it('PagerDuty answers 500: the trigger is refused, logged and kept; SIGTERM stops the bot cleanly', async () => {
    pd.refuseAll(500);
    await startBot();
    await fetch(new URL('/_mode/broken', host.app.healthUrl));
    const refused = await waitUntil('a refused trigger', async () => pd.received.find((r) => r.status === 500), waitOpts(60_000));
    assert.equal(refused.body.event_action, 'trigger');
    dedup = String(refused.body.dedup_key);
    assert.match(dedup, /^moneymind-\d+-\d+$/);
    await waitUntil('the refusal logged', async () => (/page delivery refused; kept for later/.test(bot!.err()) ? true : undefined), waitOpts(10_000));
    assert.equal(await bot!.stop(), 0, bot!.err().slice(-4000));
    assert.ok(!bot!.err().includes(ROUTING_KEY), 'the routing key is never logged');
    assert.deepEqual(actions(), [], 'nothing accepted');
  });

  it('started again on the same store with PagerDuty back: the trigger arrives exactly once', async () => {
    pd.refuseAll(undefined);
    const { url } = await startBot();
    await pd.waitForAccepted(1, 60_000);
    assert.deepEqual(actions(), ['trigger']);
    assert.equal(pd.accepted()[0]?.dedup_key, dedup, 'the same incident, the same key');

    const r = await slackSender(url, slack, SECRET).click('alert_ack', KEY, 'U0BOB0001');
    assert.match(String(r.body.text), /Acknowledged/);
    await pd.waitForAccepted(2, 30_000);
    await fetch(new URL('/_mode/ok', host.app.healthUrl));
    await pd.waitForAccepted(3, 60_000);
    assert.equal(await bot!.stop(), 0, bot!.err().slice(-4000));
    assert.deepEqual(actions(), ['trigger', 'acknowledge', 'resolve'], 'each once, in order');
    assert.deepEqual(new Set(pd.accepted().map((e) => e.dedup_key)), new Set([dedup]));
  });
});
