import { redact } from '../boundary/redact.js';
import { mrkdwn, quote as quoteMrkdwn } from '../boundary/slack-escape.js';
import { formatDuration } from '../config/duration.js';
import type { Cause } from '../diagnosis/cause.js';
import type { IncidentKey } from '../domain/incident-key.js';
import { restartNote } from '../render/labels.js';
import { actions, button, fallback, section } from '../slack-format/block-kit.js';
import { causeMrkdwn } from '../slack-format/cause-mrkdwn.js';
import { ackLine, mention, oncallMention, slackDate } from '../slack-format/mrkdwn.js';
import type { SlackMessage } from '../slack-format/slack-message.js';
import type { OutboxRow } from '../store/watch-store.js';
import type { Ack, Intent, Tracker } from './incident-policy.js';

/** A message for the channel or the thread (a chart is a ChartPost: chart-posts.ts). */
export interface Post {
  readonly key: IncidentKey;
  readonly kind: Exclude<OutboxRow['kind'], 'chart'>;
  readonly message: SlackMessage;
}

const when = (ms: number): string => slackDate(ms);
/** Host text (a cause title, evidence): redacted, escaped, at most `max` characters. */
const quote = (text: string, max: number): string => quoteMrkdwn(redact(text), max);
// A parent names at most this many hosts; the thread and `hosts` have the rest.
const HOSTS_SHOWN = 20;

/**
 * Pure: what one intent puts in the channel and the thread. Host text is redacted, then escaped:
 * a log line can neither ping the channel nor close a code block. Each message stays within
 * Slack's limits by construction (see slack-format/slack-limits.ts): at most 3 blocks of bounded text.
 */
export function postsFor(intent: Intent, t: Tracker, now: number, ack?: Ack): Post[] {
  const key = t.key;
  switch (intent.kind) {
    case 'open':
      return [
        { key, kind: 'post-parent', message: parent(t, intent.flapping ? 'flapping' : 'firing', t.since ?? now) },
        { key, kind: 'reply', message: diagnosis(t.detail, t.affected) },
      ];
    case 'update':
      return [{ key, kind: 'reply', message: reply(`🔁 Changed — ${quote(intent.what, 1000)}${intent.ackBy ? ` (${mention(intent.ackBy)})` : ''}`) }];
    case 'escalate': {
      const who = intent.oncall.length ? intent.oncall.map(oncallMention).join(' ') : 'nobody (slack.oncall is empty)';
      return [
        { key, kind: 'reply', message: reply(`📣 Escalated to ${who}: unacknowledged after ${formatDuration(intent.afterMs)}.`) },
        { key, kind: 'edit-parent', message: alertParent({ ...t, escalated: true }, ack, now) },
      ];
    }
    case 'remind':
      return [
        {
          key,
          kind: 'reply',
          message: reply(`⏰ Still failing after ${formatDuration(intent.firingMs)}: ${t.cause}${t.detail ? ` — ${quote(t.detail.title, 300)}` : ''}`),
        },
      ];
    case 'flapping':
      return [{ key, kind: 'reply', message: reply(`🟠 Flapping: ${t.cause} keeps failing and recovering; no more open/close messages until it settles.`) }];
    case 'resolve': {
      const since = now - intent.durationMs;
      return [
        { key, kind: 'reply', message: reply(`✅ Resolved after ${formatDuration(intent.durationMs)}${intent.note ? ` (${mrkdwn(intent.note)})` : ''}.`) },
        { key, kind: 'edit-parent', message: resolvedParent(t, since, now) },
      ];
    }
  }
}

/** The open alert's parent as it stands: acknowledged or not, escalated or not (edited on each change). */
export function alertParent(t: Tracker, ack: Ack | undefined, now: number): SlackMessage {
  return parent(t, t.flapping ? 'flapping' : 'firing', t.since ?? now, ack);
}

/** The thread's line when someone takes the incident or gives it back. */
export function ackReply(by: string, acknowledged: boolean): SlackMessage {
  return acknowledged
    ? reply(`👀 ${mention(by)} took it: reminders pause until it resolves or is given back.`)
    : reply(`↩️ ${mention(by)} gave it back: it is unacknowledged again and reminders resume.`);
}

function parent(t: Tracker, state: 'firing' | 'flapping', since: number, ack?: Ack): SlackMessage {
  const emoji = state === 'flapping' ? '🟠' : t.detail?.severity === 'warning' ? '⚠️' : '🔴';
  const subject = mrkdwn(t.subject);
  const title = quote(t.detail?.title ?? '', 300);
  const more = t.hosts.length > HOSTS_SHOWN ? ` and ${t.hosts.length - HOSTS_SHOWN} more` : '';
  const hosts = t.hosts.length > 1 ? `\nhosts: ${t.hosts.slice(0, HOSTS_SHOWN).map(mrkdwn).join(', ')}${more}` : '';
  return {
    text: fallback(`${emoji} ${subject}: ${t.cause} — ${title}`),
    blocks: [
      section(
        `${emoji} *${subject}*: ${t.cause}${state === 'flapping' ? ' (flapping)' : ''} — ${title}${hosts}\nsince ${when(since)}` +
          `${t.escalated ? ' · 📣 escalated' : ''}${ack ? `\n${ackLine(ack.by, ack.at)}` : ''}`,
      ),
      actions([
        // The incident key: the listener checks that it is still open (a stale click says so).
        ack ? button('alert_unack', 'Unacknowledge', t.key) : button('alert_ack', 'Acknowledge', t.key),
        button('alert_status', 'Status', t.hosts[0] ?? ''),
        // The incident key (`host:NAME|cause`, `db:NAME|db-unreachable`: names are at most 40
        // characters), never the host list: the listener looks the hosts up in config, and one
        // answer covers them all. 60 joined host names outgrew Slack's 2000 and the post was refused.
        button('alert_silence', 'Silence 1h', t.key),
        // The chart goes into this thread: the listener takes the parent's ts from the click.
        ...(t.hosts.length === 1 && t.cause !== 'bastion-unreachable' ? [button('alert_trend', 'Trend', t.hosts[0]!)] : []),
        // One host's app can be restarted; a shared database cannot be fixed that way.
        ...(t.hosts.length === 1 && t.cause !== 'host-unreachable' && t.cause !== 'bastion-unreachable'
          ? [button('restart_request', 'Restart…', t.hosts[0]!)]
          : []),
      ]),
    ],
  };
}

function resolvedParent(t: Tracker, since: number, now: number): SlackMessage {
  const subject = mrkdwn(t.subject);
  const took = formatDuration(now - since);
  // No buttons: a resolved incident offers nothing stale to click.
  return {
    text: fallback(`✅ resolved: ${subject} ${t.cause} after ${took}`),
    blocks: [section(`✅ *${subject}*: ${t.cause} — resolved after ${took}\n~${quote(t.detail?.title ?? '', 300)}~\n${when(since)} → ${when(now)}`)],
  };
}

/** The diagnosis in the thread: evidence and advice, then the hosts a database outage takes down (a section of its own). */
function diagnosis(c: Cause | undefined, affected: readonly string[]): SlackMessage {
  if (!c) return reply('No diagnosis yet.');
  const layout = {
    head: `*${c.id}* (${c.severity})`,
    evidence: 5,
    max: { title: 300, evidence: 300, advice: 800 },
    restart: restartNote(c, 'always'),
  };
  const main = section(causeMrkdwn(c, layout, quote));
  const also = affected.length
    ? [
        section(
          `*Affected:*\n${affected
            .slice(0, 10)
            .map((a) => `• ${quote(a, 180)}`)
            .join('\n')}${affected.length > 10 ? `\n…and ${affected.length - 10} more` : ''}`,
        ),
      ]
    : [];
  return { text: fallback(`${c.id}: ${quote(c.title, 300)}`), blocks: [main, ...also] };
}

function reply(text: string): SlackMessage {
  return { text: fallback(text), blocks: [section(text)] };
}
