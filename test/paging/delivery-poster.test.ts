import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../../src/config/secret.js';
import type { PageTarget } from '../../src/config/types.js';
import type { IncidentKey } from '../../src/domain/incident-key.js';
import { silentLog } from '../../src/log/run-log.js';
import { PromTelemetry } from '../../src/ops/prom-telemetry.js';
import { DeliveryPoster } from '../../src/paging/delivery-poster.js';
import { Store } from '../../src/store/store.js';
import type { Tracker } from '../../src/watch/incident-policy.js';
import { ackPages, pagesFor } from '../../src/watch/page-requests.js';
import { cause, firingTracker } from '../support/builders.js';
import { type PagerDutyDouble, startPagerDutyDouble } from '../support/pagerduty-double.js';
import { waitUntil } from '../support/proc.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/*
 * The page poster over the real store, sending with Node's fetch to the PagerDuty double and a
 * webhook receiver on loopback: order per incident and target, 429 with Retry-After, 5xx, a
 * permanent 400, a restart in the middle, and targets that do not hold each other up.
 */
const SECRET = 'whsec-0123456789abcdef0123';
let dir: string;
let pd: PagerDutyDouble;
let hook: WebhookReceiver;
let seq = 0;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mm-paging-'));
  pd = await startPagerDutyDouble();
  hook = await startWebhookReceiver(SECRET);
});
after(async () => {
  await pd?.close();
  await hook?.close();
  rmSync(dir, { recursive: true, force: true });
});

const pdTarget = (): PageTarget => ({ kind: 'pagerduty', id: 'pagerduty', label: 'pagerduty', url: pd.url, routingKey: new Secret('R0UTINGKEY') });
const hookTarget = (url: string, secret = SECRET): PageTarget => ({
  kind: 'webhook',
  id: `webhook:${url}`,
  label: 'webhooks[0]',
  url,
  secret: new Secret(secret),
});
const tracker = (key: IncidentKey): Tracker =>
  firingTracker({ key, since: Date.now(), detail: cause('app-unresponsive', { title: 'GET /health timed out', evidence: ['curl: (28)'] }) });

/** A store with one open incident whose trigger is queued for `targets`; `ack` and `resolve` queue the rest. */
function incident(targets: readonly PageTarget[], path = join(dir, `s${++seq}.db`)) {
  const key: IncidentKey = `host:prod-${++seq}|app-unresponsive`;
  const store = new Store(path);
  const t = tracker(key);
  const now = Date.now();
  const cycle = { trackers: [], posts: [], samples: [], keepSamplesMs: 60_000 };
  store.commitCycle({
    ...cycle,
    now,
    opened: [{ key, subject: 'prod-1', cause: 'app-unresponsive', hosts: ['prod-1'], title: 'x', at: now }],
    pages: pagesFor({ kind: 'open', key, flapping: false }, t, now, targets),
    closed: [],
  });
  return {
    key,
    path,
    store,
    ack: () => store.enqueue(key, [], Date.now(), ackPages(t, 'U0BOB0001', true, Date.now(), targets)),
    resolve: () =>
      store.commitCycle({
        ...cycle,
        now: Date.now(),
        opened: [],
        pages: pagesFor({ kind: 'resolve', key, durationMs: 1 }, t, Date.now(), targets),
        closed: [{ key }],
      }),
  };
}
const poster = (store: Store, targets: readonly PageTarget[], telemetry?: PromTelemetry) =>
  new DeliveryPoster(store.deliveries, targets, silentLog, { baseBackoffMs: 50, maxBackoffMs: 400, ...(telemetry ? { telemetry } : {}) });
const forKey = (dedup: string) => pd.accepted().filter((e) => e.dedup_key === dedup);
const drained = (store: Store, p: DeliveryPoster) =>
  waitUntil(
    'the deliveries to drain',
    async () => {
      p.kick();
      await p.idle();
      return (await store.deliveries.pending()) === 0 ? true : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 50 },
  );

describe('the page poster', () => {
  it('trigger → acknowledge → resolve arrive once each, in order, with one dedup key, through a 429 with Retry-After', async () => {
    const targets = [pdTarget()];
    const inc = incident(targets);
    await inc.ack();
    await inc.resolve();
    const from = pd.received.length;
    pd.failNext(429, 2, 1);
    const telemetry = new PromTelemetry();
    const p = poster(inc.store, targets, telemetry);
    try {
      await drained(inc.store, p);
      const got = pd.received.slice(from);
      assert.deepEqual(
        got.map((r) => `${r.status} ${String(r.body.event_action)}`),
        ['429 trigger', '429 trigger', '202 trigger', '202 acknowledge', '202 resolve'],
        'nothing overtakes the refused trigger',
      );
      assert.ok(got[1]!.at - got[0]!.at >= 900, `Retry-After: 1 honoured (${got[1]!.at - got[0]!.at} ms)`);
      const keys = new Set(got.map((r) => r.body.dedup_key));
      assert.equal(keys.size, 1);
      assert.match(String([...keys][0]), /^moneymind-1-\d+$/);
      // /metrics counts every attempt by kind, event and outcome.
      const metrics = await telemetry.registry.metrics();
      assert.match(metrics, /moneymind_pages_total\{kind="pagerduty",event="trigger",outcome="retry"\} 2/);
      for (const event of ['trigger', 'acknowledge', 'resolve'])
        assert.match(metrics, new RegExp(`moneymind_pages_total\\{kind="pagerduty",event="${event}",outcome="delivered"\\} 1`));
    } finally {
      await p.stop();
      await inc.store.close();
    }
  });

  it('stopped while PagerDuty answers 500 and started again on the same store: the trigger arrives exactly once', async () => {
    const targets = [pdTarget()];
    const inc = incident(targets);
    pd.refuseAll(500);
    const first = poster(inc.store, targets);
    const from = pd.received.length;
    try {
      first.kick();
      await waitUntil('two refused attempts', async () => (pd.received.length - from >= 2 ? true : undefined), { timeoutMs: 20_000 });
      await first.stop();
      await inc.store.close();
    } finally {
      pd.refuseAll(undefined);
    }
    const dedup = String(pd.received.at(-1)!.body.dedup_key);
    assert.equal(forKey(dedup).length, 0, 'nothing accepted before the restart');
    const store = new Store(inc.path);
    const second = poster(store, targets);
    try {
      await drained(store, second);
      // Later kicks find nothing more to send.
      second.kick();
      await second.idle();
      assert.deepEqual(
        forKey(dedup).map((e) => e.event_action),
        ['trigger'],
      );
    } finally {
      await second.stop();
      await store.close();
    }
  });

  it('a 400 is refused for good: kept as failed with the reason, not retried; the incident’s later events still go', async () => {
    const targets = [pdTarget()];
    const inc = incident(targets);
    await inc.ack();
    pd.failNext(400);
    const from = pd.received.length;
    const p = poster(inc.store, targets);
    try {
      await drained(inc.store, p);
      assert.deepEqual(
        pd.received.slice(from).map((r) => `${r.status} ${String(r.body.event_action)}`),
        ['400 trigger', '202 acknowledge'],
      );
      const [failed] = await inc.store.deliveries.failures(5);
      assert.equal(failed?.event, 'trigger');
      assert.match(failed?.last_error ?? '', /^HTTP 400: .*test 400/);
    } finally {
      await p.stop();
      await inc.store.close();
    }
  });

  it('a webhook gets the same lifecycle, signed; a receiver with another secret refuses and the delivery is kept', async () => {
    const good = hookTarget(hook.url);
    const wrong = await startWebhookReceiver('another-secret-0123456789');
    const bad = hookTarget(wrong.url);
    const inc = incident([good, bad]);
    await inc.ack();
    await inc.resolve();
    const from = hook.calls.length;
    const p = poster(inc.store, [good, bad]);
    try {
      const goodDone = async () => {
        p.kick();
        return (await inc.store.deliveries.pending(good.id)) === 0 ? true : undefined;
      };
      await waitUntil('the good receiver to get all three', goodDone, { timeoutMs: 20_000 });
      const calls = hook.calls.slice(from);
      assert.deepEqual(
        calls.map((c) => `${c.event} ${c.verified}`),
        ['trigger true', 'acknowledge true', 'resolve true'],
      );
      assert.equal(new Set(calls.map((c) => c.body.dedup_key)).size, 1);
      await wrong.waitFor(2);
      assert.ok(
        wrong.calls.every((c) => !c.verified),
        'the signature does not verify with another secret',
      );
      assert.equal(await inc.store.deliveries.pending(bad.id), 3, 'refused (401): kept, in order, for later');
    } finally {
      await p.stop();
      await wrong.close();
      await inc.store.close();
    }
  });

  it('PagerDuty failing does not hold up the webhook', async () => {
    const targets = [pdTarget(), hookTarget(hook.url)];
    const inc = incident(targets);
    pd.refuseAll(503);
    const from = hook.calls.length;
    const p = poster(inc.store, targets);
    try {
      p.kick();
      await hook.waitFor(from + 1, 20_000);
      assert.equal(hook.calls[from]?.event, 'trigger');
      assert.equal(await inc.store.deliveries.pending('pagerduty'), 1, 'the PagerDuty trigger is still queued');
    } finally {
      pd.refuseAll(undefined);
      await p.stop();
      await inc.store.close();
    }
  });
});
