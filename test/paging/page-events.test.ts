import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Secret } from '../../src/config/secret.js';
import type { PageTarget } from '../../src/config/types.js';
import type { IncidentKey } from '../../src/domain/incident-key.js';
import { parseRetryAfter } from '../../src/paging/page-http.js';
import { pagerdutyEvent } from '../../src/paging/pagerduty-event.js';
import { signWebhook, webhookBody, webhookHeaders } from '../../src/paging/webhook-event.js';
import type { DeliveryRow, PageRequest } from '../../src/store/deliveries.js';
import type { Tracker } from '../../src/watch/incident-policy.js';
import { ackPages, pagesFor } from '../../src/watch/page-requests.js';
import { cause, firingTracker } from '../support/builders.js';
import { verifySignature } from '../support/webhook-receiver.js';

// The pure half of paging: intents → page requests, and a stored request → what each target gets.
const KEY: IncidentKey = 'host:prod-1|app-unresponsive';
const T0 = Date.UTC(2026, 0, 15, 9, 0);
const PD: PageTarget = { kind: 'pagerduty', id: 'pagerduty', label: 'pagerduty', url: 'http://pd.test/v2/enqueue', routingKey: new Secret('R0UTINGKEY') };
const HOOK: PageTarget = {
  kind: 'webhook',
  id: 'webhook:abc',
  label: 'webhooks[0] (hook.test)',
  url: 'http://hook.test/x',
  secret: new Secret('s'.repeat(32)),
};
const tracker = (over: Partial<Tracker> = {}): Tracker =>
  firingTracker({
    key: KEY,
    fails: 3,
    history: [true, true, true],
    since: T0,
    lastReminder: T0,
    detail: cause('app-unresponsive', { title: 'GET /health timed out after 5s', evidence: ['curl: (28) timeout'], advice: 'restart it' }),
    ...over,
  });
const row = (p: PageRequest, over: Partial<DeliveryRow> = {}): DeliveryRow => ({
  id: 7,
  incident_id: 42,
  target: p.target,
  event: p.event,
  notice: JSON.stringify(p.notice),
  attempts: 0,
  key: p.key,
  opened_at: T0,
  resolved_at: null,
  channel: null,
  thread_ts: null,
  ...over,
});
const only = (pages: PageRequest[], target: string): PageRequest => {
  const hit = pages.filter((p) => p.target === target);
  assert.equal(hit.length, 1, JSON.stringify(pages));
  return hit[0]!;
};

describe('which intents page which targets', () => {
  it('open → trigger, escalate → the webhook only, resolve → resolve; updates, reminders and flapping notices stay in Slack', () => {
    const t = tracker();
    const kinds = (pages: PageRequest[]) => pages.map((p) => `${p.target} ${p.event}`);
    assert.deepEqual(kinds(pagesFor({ kind: 'open', key: KEY, flapping: false }, t, T0, [PD, HOOK])), ['pagerduty trigger', 'webhook:abc trigger']);
    assert.deepEqual(kinds(pagesFor({ kind: 'escalate', key: KEY, oncall: ['U0ONCALL1'], afterMs: 600_000 }, t, T0, [PD, HOOK])), ['webhook:abc escalate']);
    assert.deepEqual(kinds(pagesFor({ kind: 'resolve', key: KEY, durationMs: 60_000 }, t, T0, [PD, HOOK])), ['pagerduty resolve', 'webhook:abc resolve']);
    assert.deepEqual(pagesFor({ kind: 'update', key: KEY, what: 'x' }, t, T0, [PD, HOOK]), []);
    assert.deepEqual(pagesFor({ kind: 'remind', key: KEY, firingMs: 1 }, t, T0, [PD, HOOK]), []);
    assert.deepEqual(pagesFor({ kind: 'flapping', key: KEY }, t, T0, [PD, HOOK]), []);
    assert.deepEqual(pagesFor({ kind: 'open', key: KEY, flapping: false }, t, T0, []), [], 'no targets: nothing queued');
  });

  it('an acknowledgement pages both; giving it back only the webhook (PagerDuty has no unacknowledge)', () => {
    const t = tracker();
    assert.deepEqual(
      ackPages(t, 'U0BOB0001', true, T0, [PD, HOOK]).map((p) => `${p.target} ${p.event} ${p.notice.by}`),
      ['pagerduty acknowledge U0BOB0001', 'webhook:abc acknowledge U0BOB0001'],
    );
    assert.deepEqual(
      ackPages(t, 'U0BOB0001', false, T0, [PD, HOOK]).map((p) => `${p.target} ${p.event}`),
      ['webhook:abc unacknowledge'],
    );
  });
});

describe('PagerDuty events', () => {
  const trigger = (t: Tracker, over: Partial<DeliveryRow> = {}) =>
    pagerdutyEvent(row(only(pagesFor({ kind: 'open', key: KEY, flapping: false }, t, T0, [PD]), 'pagerduty'), over), 'R0UTINGKEY')!;

  it('a trigger: severity from the cause, the dedup key, summary, source = the host, evidence in custom_details', () => {
    const e = trigger(tracker());
    assert.equal(e.event_action, 'trigger');
    assert.equal(e.routing_key, 'R0UTINGKEY');
    assert.equal(e.dedup_key, `moneymind-42-${T0}`);
    assert.equal(e.payload?.severity, 'critical');
    assert.equal(e.payload?.summary, 'prod-1: app-unresponsive — GET /health timed out after 5s');
    assert.equal(e.payload?.source, 'prod-1');
    assert.equal(e.payload?.timestamp, '2026-01-15T09:00:00.000Z');
    assert.deepEqual(e.payload?.custom_details.evidence, ['curl: (28) timeout']);
    assert.equal(e.payload?.custom_details.advice, 'restart it');
    const warn = trigger(tracker({ detail: cause('disk-full', { severity: 'warning', title: 'disk 95% full' }) }));
    assert.equal(warn.payload?.severity, 'warning');
  });

  it('the Slack thread is linked only once its parent was posted', () => {
    assert.equal(trigger(tracker()).links, undefined);
    assert.equal(trigger(tracker()).client_url, undefined);
    const linked = trigger(tracker(), { channel: 'C0ALERTS1', thread_ts: '1768467600.000100' });
    assert.deepEqual(linked.links, [{ href: 'https://slack.com/archives/C0ALERTS1/p1768467600000100', text: 'Slack alert thread' }]);
  });

  it('the summary stays within 1024 characters, whatever the host wrote; a secret in the evidence is masked', () => {
    const long = tracker({
      detail: cause('app-unhealthy', { title: `boom ${'x'.repeat(5000)}`, evidence: ['mysql -pHunter2Secret -h db', 'token xoxb-1234-abcdefghijkl'] }),
    });
    const e = trigger(long);
    assert.ok(e.payload!.summary.length <= 1024, String(e.payload!.summary.length));
    const details = JSON.stringify(e.payload?.custom_details);
    assert.doesNotMatch(details, /Hunter2Secret|abcdefghijkl/);
    assert.ok(details.length < 8000, 'custom_details bounded');
  });

  it('acknowledge and resolve carry the same dedup key and no payload; an event PagerDuty has no action for makes none', () => {
    const t = tracker();
    const ack = pagerdutyEvent(row(only(ackPages(t, 'U0BOB0001', true, T0, [PD]), 'pagerduty')), 'K')!;
    const res = pagerdutyEvent(row(only(pagesFor({ kind: 'resolve', key: KEY, durationMs: 5 }, t, T0, [PD]), 'pagerduty')), 'K')!;
    assert.deepEqual([ack.event_action, ack.dedup_key, ack.payload], ['acknowledge', `moneymind-42-${T0}`, undefined]);
    assert.deepEqual([res.event_action, res.dedup_key], ['resolve', `moneymind-42-${T0}`]);
    const unack = only(ackPages(t, 'U0BOB0001', false, T0, [HOOK]), 'webhook:abc');
    assert.equal(pagerdutyEvent(row({ ...unack, target: 'pagerduty' }), 'K'), undefined);
  });
});

describe('webhook events', () => {
  it('the body: version, event, dedup key, the incident, the thread once known, the evidence', () => {
    const p = only(ackPages(tracker(), 'U0BOB0001', true, T0 + 60_000, [HOOK]), 'webhook:abc');
    const body = JSON.parse(webhookBody(row(p, { channel: 'C0ALERTS1', thread_ts: '1768467600.000100' }))) as Record<string, unknown>;
    assert.equal(body.version, 1);
    assert.equal(body.event, 'acknowledge');
    assert.equal(body.dedup_key, `moneymind-42-${T0}`);
    assert.deepEqual(body.incident, {
      id: 42,
      key: KEY,
      cause: 'app-unresponsive',
      severity: 'critical',
      subject: 'prod-1',
      hosts: ['prod-1'],
      title: 'GET /health timed out after 5s',
      opened_at: '2026-01-15T09:00:00.000Z',
      acknowledged_by: 'U0BOB0001',
    });
    assert.equal(body.slack_thread, 'https://slack.com/archives/C0ALERTS1/p1768467600000100');
    assert.deepEqual(body.evidence, ['curl: (28) timeout']);
    const resolved = only(pagesFor({ kind: 'resolve', key: KEY, durationMs: 120_000 }, tracker(), T0 + 120_000, [HOOK]), 'webhook:abc');
    const r = JSON.parse(webhookBody(row(resolved, { resolved_at: T0 + 120_000 }))) as { incident: Record<string, unknown>; slack_thread?: string };
    assert.equal(r.incident.resolved_at, '2026-01-15T09:02:00.000Z');
    assert.equal(r.slack_thread, undefined, 'no thread yet: no link');
  });

  it('the signature verifies with the secret (as the README shows) and fails with another, or another body', () => {
    const p = only(pagesFor({ kind: 'open', key: KEY, flapping: false }, tracker(), T0, [HOOK]), 'webhook:abc');
    const body = webhookBody(row(p));
    const h = webhookHeaders('s'.repeat(32), body, { id: 7, event: 'trigger' }, Date.now());
    assert.equal(h['x-moneymind-event'], 'trigger');
    assert.match(h['x-moneymind-signature']!, /^sha256=[0-9a-f]{64}$/);
    assert.equal(h['x-moneymind-signature'], signWebhook('s'.repeat(32), Number(h['x-moneymind-timestamp']), body));
    assert.ok(verifySignature('s'.repeat(32), h['x-moneymind-timestamp']!, body, h['x-moneymind-signature']!));
    assert.ok(!verifySignature('t'.repeat(32), h['x-moneymind-timestamp']!, body, h['x-moneymind-signature']!), 'another secret');
    assert.ok(!verifySignature('s'.repeat(32), h['x-moneymind-timestamp']!, `${body} `, h['x-moneymind-signature']!), 'another body');
    const old = webhookHeaders('s'.repeat(32), body, { id: 7, event: 'trigger' }, Date.now() - 3_600_000);
    assert.ok(!verifySignature('s'.repeat(32), old['x-moneymind-timestamp']!, body, old['x-moneymind-signature']!), 'an hour-old replay');
  });
});

describe('Retry-After', () => {
  it('seconds or an HTTP date; nothing readable is no hint', () => {
    assert.equal(parseRetryAfter('3', T0), 3000);
    assert.equal(parseRetryAfter(new Date(T0 + 10_000).toUTCString(), T0), 10_000);
    assert.equal(parseRetryAfter('soon', T0), undefined);
    assert.equal(parseRetryAfter(null, T0), undefined);
  });
});
