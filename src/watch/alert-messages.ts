import { formatDuration } from '../config/duration.js';
import type { Cause } from '../diagnosis/cause.js';
import type { OutboxRow, SlackPayload } from '../store/watch-store.js';
import { redact } from '../report/redact.js';
import { section, slackDate } from '../slack/blocks/mrkdwn.js';
import type { Intent, Tracker } from './incident-policy.js';

export interface Post {
  readonly key: string;
  readonly kind: OutboxRow['kind'];
  readonly message: SlackPayload;
}

const when = (ms: number): string => slackDate(ms);
const oneLine = (text: string, max = 200): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Pure: what one intent puts in the channel and the thread; credentials in evidence are masked. */
export function postsFor(intent: Intent, t: Tracker, now: number): Post[] {
  return rawPosts(intent, t, now).map((p) => ({ ...p, message: redactStrings(p.message) }));
}

/** Every string in the message, masked (not the JSON text: a mask must not break the quoting). */
function redactStrings<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map(redactStrings) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactStrings(v)])) as T;
  return value;
}

function rawPosts(intent: Intent, t: Tracker, now: number): Post[] {
  const key = t.key;
  switch (intent.kind) {
    case 'open':
      return [
        { key, kind: 'post-parent', message: parent(t, intent.flapping ? 'flapping' : 'firing', t.since ?? now) },
        { key, kind: 'reply', message: diagnosis(t.detail, t.affected) },
      ];
    case 'update':
      return [{ key, kind: 'reply', message: reply(`🔁 Changed — ${intent.what}`) }];
    case 'remind':
      return [{ key, kind: 'reply', message: reply(`⏰ Still failing after ${formatDuration(intent.firingMs)}: ${t.cause}${t.detail ? ` — ${oneLine(t.detail.title)}` : ''}`) }];
    case 'flapping':
      return [{ key, kind: 'reply', message: reply(`🟠 Flapping: ${t.cause} keeps failing and recovering; no more open/close messages until it settles.`) }];
    case 'resolve': {
      const since = now - intent.durationMs;
      return [
        { key, kind: 'reply', message: reply(`✅ Resolved after ${formatDuration(intent.durationMs)}${intent.note ? ` (${intent.note})` : ''}.`) },
        { key, kind: 'edit-parent', message: resolvedParent(t, since, now) },
      ];
    }
  }
}

function parent(t: Tracker, state: 'firing' | 'flapping', since: number): SlackPayload {
  const emoji = state === 'flapping' ? '🟠' : t.detail?.severity === 'warning' ? '⚠️' : '🔴';
  const line = `${emoji} *${t.subject}*: ${t.cause}${state === 'flapping' ? ' (flapping)' : ''} — ${oneLine(t.detail?.title ?? '')}`;
  const hosts = t.hosts.length > 1 ? `\nhosts: ${t.hosts.join(', ')}` : '';
  const text = `${emoji} ${t.subject}: ${t.cause} — ${oneLine(t.detail?.title ?? '', 120)}`;
  return {
    text,
    blocks: [
      section(`${line}${hosts}\nsince ${when(since)}`),
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: 'alert_status', text: { type: 'plain_text', text: 'Status' }, value: t.hosts[0] ?? '' },
          { type: 'button', action_id: 'alert_silence', text: { type: 'plain_text', text: 'Silence 1h' }, value: t.hosts.join(' ') },
          // One host's app can be restarted; a shared database cannot be fixed that way.
          ...(t.hosts.length === 1 && t.cause !== 'host-unreachable' ? [{ type: 'button', action_id: 'restart_request', text: { type: 'plain_text', text: 'Restart…' }, value: t.hosts[0] }] : []),
        ],
      },
    ],
  };
}

function resolvedParent(t: Tracker, since: number, now: number): SlackPayload {
  const text = `✅ resolved: ${t.subject} ${t.cause} after ${formatDuration(now - since)}`;
  // No buttons: a resolved incident offers nothing stale to click.
  return { text, blocks: [section(`✅ *${t.subject}*: ${t.cause} — resolved after ${formatDuration(now - since)}\n~${oneLine(t.detail?.title ?? '')}~\n${when(since)} → ${when(now)}`)] };
}

function diagnosis(c: Cause | undefined, affected: readonly string[]): SlackPayload {
  if (!c) return reply('No diagnosis yet.');
  const evidence = c.evidence.slice(0, 5).map((e) => `• ${oneLine(e, 300)}`).join('\n');
  const also = affected.length ? `\n*Affected:*\n${affected.slice(0, 10).map((a) => `• ${oneLine(a, 300)}`).join('\n')}` : '';
  const restart = c.restartHelps ? 'A restart is likely to help for a while.' : 'A restart will not help.';
  return { text: `${c.id}: ${c.title}`, blocks: [section(`*${c.id}* (${c.severity}) — ${c.title}\n${evidence}${also}\n_${c.advice} ${restart}_`)] };
}

function reply(text: string): SlackPayload {
  return { text, blocks: [section(text)] };
}

