import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Config } from '../../src/config/types.js';
import { createLogger } from '../../src/log/create-logger.js';
import { DeliveryPoster } from '../../src/paging/delivery-poster.js';
import { TransportPool } from '../../src/remote/transport-pool.js';
import { slackAlertSender } from '../../src/slack/alert-sender.js';
import type { SlackRunner } from '../../src/slack/create-slack-app.js';
import { Store } from '../../src/store/store.js';
import { OutboxPoster } from '../../src/watch/outbox-poster.js';
import { runCycle, type WatchDeps } from '../../src/watch/watch-cycle.js';
import { testConfig } from '../support/config.js';
import { startHttpSlackApp } from '../support/http-slack-app.js';
import { type PagerDutyDouble, startPagerDutyDouble } from '../support/pagerduty-double.js';
import { waitUntil } from '../support/proc.js';
import { type SlackDouble, startSlackDouble } from '../support/slack-double.js';
import type { SlackSender } from '../support/slack-requests.js';
import { startTestHost, type TestHost } from '../support/test-host.js';
import { TEST_THRESHOLDS } from '../support/test-thresholds.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/*
 * Paging end to end in one process: watcher cycles against the real test host (the stand-in app's
 * /health broken and mended on purpose), Slack through the Web API double, [Acknowledge] as a
 * signed click into Bolt's real HTTP receiver, and the pages to the PagerDuty double (which answers
 * the first event 429 with Retry-After) and a webhook receiver that checks the signature.
 */
const CHANNEL = 'C0PAGING01';
const KEY = 'host:prod-1|app-unhealthy';
const BOB = 'U0BOB0001';
const HOOK_SECRET = 'whsec-paging-0123456789abcdef';
const log = createLogger({ level: 'silent' });

let host: TestHost;
let slack: SlackDouble;
let pd: PagerDutyDouble;
let hook: WebhookReceiver;
let dir: string;
let pool: TransportPool;
let config: Config;
let store: Store;
let app: SlackRunner;
let send: SlackSender;
let poster: OutboxPoster;
let pager: DeliveryPoster;
let deps: WatchDeps;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mm-paging-int-'));
  [host, slack, pd, hook] = await Promise.all([startTestHost(), startSlackDouble(), startPagerDutyDouble(), startWebhookReceiver(HOOK_SECRET)]);
  pool = new TransportPool(log);
  config = testConfig(
    {
      hosts: [host.hostConfig('prod-1')],
      thresholds: TEST_THRESHOLDS,
      slack: { alertChannel: CHANNEL },
      watch: { failuresToAlert: 2, successesToResolve: 2, retryInterval: 'off', store: join(dir, 'store.db') },
      pagerduty: { routingKeyEnv: 'MM_TEST_PD_KEY' },
      webhooks: [{ url: hook.url, secretEnv: 'MM_TEST_HOOK_SECRET' }],
    },
    { ...host.env, MM_TEST_PD_KEY: 'R0UTING-KEY-paging-test', MM_TEST_HOOK_SECRET: HOOK_SECRET, PAGERDUTY_EVENTS_URL: pd.url },
  );
  store = new Store(config.watch.store);
  ({ app, send } = await startHttpSlackApp({ config, slack, secret: 's', transportFor: (h) => pool.get(h), store }));
  poster = new OutboxPoster(store, slackAlertSender('xoxb-test', slack.apiUrl), log, { channel: CHANNEL, minIntervalMs: 20, baseBackoffMs: 300 });
  pager = new DeliveryPoster(store.deliveries, config.paging, log, { baseBackoffMs: 200, maxBackoffMs: 2000 });
  const queued = {
    kick: () => {
      poster.kick();
      pager.kick();
    },
  };
  deps = { config, store, transportFor: (h) => pool.get(h), log, clock: Date.now, poster: queued };
  truncateSync(host.app.logFile, 0);
});
after(async () => {
  await fetch(new URL('/_mode/ok', host.app.healthUrl)).catch(() => undefined);
  await pager?.stop();
  await poster?.stop();
  await app?.stop();
  await store?.close();
  await pool?.closeAll();
  await Promise.all([slack?.close(), pd?.close(), hook?.close()]);
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const intents = async () => (await runCycle(deps)).intents.map((i) => `${i.kind} ${i.key}`);
/** Until Slack's outbox and the pages are empty (each poster also retries on its own timer). */
const flushed = () =>
  waitUntil(
    'Slack posts and pages delivered',
    async () => {
      poster.kick();
      pager.kick();
      await Promise.all([poster.idle(), pager.idle()]);
      return (await store.pendingPosts()) === 0 && (await store.deliveries.pending()) === 0 ? true : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
const threadUrl = async () => {
  const inc = (await store.history(undefined, 5)).find((i) => i.key === KEY)!;
  return `https://slack.com/archives/${inc.channel}/p${inc.thread_ts!.replace('.', '')}`;
};

describe('paging: the PagerDuty double and a webhook follow the incident', () => {
  it('the app breaks: PagerDuty gets a trigger (after a 429 with Retry-After), the webhook a signed trigger', async () => {
    assert.deepEqual(await intents(), [], 'healthy: nothing');
    await fetch(new URL('/_mode/broken', host.app.healthUrl));
    pd.failNext(429, 1, 1);
    assert.deepEqual(await intents(), [], 'first failure: pending');
    assert.deepEqual(await intents(), [`open ${KEY}`]);
    await flushed();
    const [trigger, ...more] = pd.accepted();
    assert.deepEqual(more, [], 'one trigger');
    assert.deepEqual(
      pd.received.map((r) => r.status),
      [429, 202],
      'refused once, then accepted',
    );
    assert.equal(trigger?.event_action, 'trigger');
    assert.equal(trigger?.routing_key, 'R0UTING-KEY-paging-test');
    const payload = trigger?.payload as Record<string, unknown>;
    assert.equal(payload.severity, 'critical');
    assert.equal(payload.source, 'prod-1');
    assert.match(String(payload.summary), /^prod-1: app-unhealthy — /);
    // Sent at least a second after the cycle: by then Slack usually has the thread; if so it is linked.
    if (trigger?.links) assert.deepEqual(trigger.links, [{ href: await threadUrl(), text: 'Slack alert thread' }]);
    const [call] = hook.calls;
    assert.deepEqual([call?.event, call?.verified, call?.body.dedup_key], ['trigger', true, trigger?.dedup_key]);
  });

  it('[Acknowledge] in Slack: PagerDuty gets acknowledge with the same dedup key; the webhook links the thread', async () => {
    const r = await send.click('alert_ack', KEY, BOB);
    assert.match(String(r.body.text), /Acknowledged/);
    await flushed();
    const events = pd.accepted();
    assert.deepEqual(
      events.map((e) => e.event_action),
      ['trigger', 'acknowledge'],
    );
    assert.equal(events[1]?.dedup_key, events[0]?.dedup_key);
    const ack = hook.calls.at(-1)!;
    assert.equal(ack.event, 'acknowledge');
    assert.ok(ack.verified);
    assert.equal((ack.body.incident as Record<string, unknown>).acknowledged_by, BOB);
    assert.equal(ack.body.slack_thread, await threadUrl(), 'posted by now: linked');
  });

  it('the app recovers: resolve with the same key; each event arrived once, in order', async () => {
    await fetch(new URL('/_mode/ok', host.app.healthUrl));
    assert.deepEqual(await intents(), []);
    assert.deepEqual(await intents(), [`resolve ${KEY}`]);
    await flushed();
    const events = pd.accepted();
    assert.deepEqual(
      events.map((e) => e.event_action),
      ['trigger', 'acknowledge', 'resolve'],
    );
    assert.equal(new Set(events.map((e) => e.dedup_key)).size, 1);
    assert.deepEqual(
      hook.calls.map((c) => `${c.event} ${c.verified}`),
      ['trigger true', 'acknowledge true', 'resolve true'],
    );
    assert.equal((await store.deliveries.failures(5)).length, 0);
  });
});
