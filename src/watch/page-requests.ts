import { clip } from '../boundary/clip.js';
import { redact } from '../boundary/redact.js';
import type { PageTarget } from '../config/types.js';
import type { PageEvent, PageNotice, PageRequest } from '../store/deliveries.js';
import type { Intent, Tracker } from './incident-policy.js';

/**
 * What each kind of target takes. PagerDuty's Events API v2 knows trigger, acknowledge and
 * resolve only: it has no "unacknowledge" (an incident given back in Slack stays acknowledged there
 * until PagerDuty's own ack timeout re-triggers it) and runs its own escalation policies.
 */
const TAKES: Record<PageTarget['kind'], readonly PageEvent[]> = {
  pagerduty: ['trigger', 'acknowledge', 'resolve'],
  webhook: ['trigger', 'acknowledge', 'unacknowledge', 'escalate', 'resolve'],
};

// Bounds by construction: a page is read on a phone; the evidence's full text is in the Slack thread.
const MAX = { subject: 200, title: 300, evidence: 300, evidenceLines: 10, advice: 800, hosts: 50 } as const;

/**
 * Pure: the pages one intent implies, one per target that takes its event. An incident opens as a
 * trigger (a flapping one too, once, as Slack gets one message), an escalation and a resolve follow
 * it; updates and reminders stay in Slack. Nothing when no target is configured.
 */
export function pagesFor(intent: Intent, t: Tracker, now: number, targets: readonly PageTarget[]): PageRequest[] {
  switch (intent.kind) {
    case 'open':
      return requests('trigger', t, targets, notice(t, now, intent.flapping ? { flapping: true } : {}));
    case 'escalate':
      return requests('escalate', t, targets, notice(t, now, { oncall: intent.oncall, afterMs: intent.afterMs }));
    case 'resolve':
      return requests('resolve', t, targets, notice(t, now, { durationMs: intent.durationMs }));
    default:
      return [];
  }
}

/** Pure: an [Acknowledge] / [Unacknowledge] click's pages. */
export function ackPages(t: Tracker, by: string, acknowledged: boolean, now: number, targets: readonly PageTarget[]): PageRequest[] {
  return requests(acknowledged ? 'acknowledge' : 'unacknowledge', t, targets, notice(t, now, { by }));
}

function requests(event: PageEvent, t: Tracker, targets: readonly PageTarget[], n: PageNotice): PageRequest[] {
  return targets.filter((x) => TAKES[x.kind].includes(event)).map((x) => ({ key: t.key, target: x.id, event, notice: n }));
}

/** What the incident is, as of now: host text redacted (it leaves the bot) and clipped. */
function notice(t: Tracker, now: number, extra: Partial<PageNotice>): PageNotice {
  const c = t.detail;
  const text = (s: string, max: number) => clip(redact(s), max);
  return {
    at: now,
    // An alert opens on every critical cause and on the warnings watch.alertWarnings names.
    severity: c?.severity ?? 'critical',
    subject: clip(t.subject, MAX.subject),
    cause: t.cause,
    hosts: t.hosts.slice(0, MAX.hosts),
    title: text(c?.title ?? t.cause, MAX.title),
    evidence: (c?.evidence ?? []).slice(0, MAX.evidenceLines).map((e) => text(e, MAX.evidence)),
    ...(c?.advice ? { advice: text(c.advice, MAX.advice) } : {}),
    ...extra,
  };
}
