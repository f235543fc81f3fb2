import { quote } from '../boundary/slack-escape.js';
import { redact } from '../boundary/redact.js';
import type { OutboxPost } from '../store/watch-store.js';
import type { Intent, Tracker } from './incident-policy.js';

/**
 * Pure: the chart an opening incident's thread carries, after its diagnosis. A leak is a line
 * going up: a memory-growth thread gets the app's RSS over the window the rule fitted, with the
 * trend, MemAvailable and the projection (the cause's first evidence line, in the text too).
 * Drawn when sent (see ChartPost): only what to draw is queued here.
 */
export function chartPostsFor(intent: Intent, t: Tracker, now: number, memoryWindowMs: number): OutboxPost[] {
  if (intent.kind !== 'open' || t.cause !== 'memory-growth' || t.hosts.length !== 1) return [];
  const host = t.hosts[0]!;
  const projection = t.detail?.evidence.find((e) => e.startsWith('at this slope '));
  const comment = `📈 ${quote(redact(t.detail?.title ?? 'The app memory grows.'), 300)}${projection ? `\n*${quote(redact(projection), 300)}*` : ''}`;
  return [
    {
      key: t.key,
      kind: 'chart',
      chart: {
        host,
        windowMs: memoryWindowMs,
        at: now,
        title: `${host}: app memory, last ${Math.round(memoryWindowMs / 60_000)} min`,
        comment,
        ...(projection ? { headline: redact(projection.replace(/^at this slope /, '')) } : {}),
      },
    },
  ];
}
