import type { AnyCheckResult, CheckStatus } from '../../checks/check-types.js';
import type { Answer, SilenceLine } from '../../commands/answer.js';
import { formatDuration } from '../../config/duration.js';
import { slackDate } from './mrkdwn.js';
import { restartConfirmation } from './restart-blocks.js';
import type { HostReport, HostStatus } from '../../engine/host-report.js';

/** A message for chat.postMessage / response_url: always a fallback `text` (notifications, screen readers). */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
  readonly response_type: 'in_channel' | 'ephemeral';
  /**
   * Set when Slack's limits made the builder leave something out: the adapter then attaches the
   * whole answer as a file, and the message says so, so nothing is cut silently.
   */
  readonly overflow: boolean;
}

// Slack's limits: 50 blocks a message, 3000 characters a section text, 10 fields a section,
// 2000 characters a field, 150 a header.
export const MAX_BLOCKS = 50;
const SECTION_CHARS = 3000;
const FIELD_CHARS = 2000;
const EMOJI: Record<CheckStatus, string> = { ok: '✅', warn: '⚠️', fail: '🔴', unknown: '❔' };
const LABEL: Record<AnyCheckResult['id'], string> = { health: 'health', service: 'service', port: 'port', resources: 'resources', db: 'database', logs: 'logs' };
export const ATTACHED = 'the full answer is attached as a file';

/** Counts what one message build had to shorten. */
class Limits {
  cut = 0;
  clip(text: string, max: number): string {
    if (text.length <= max) return text;
    this.cut++;
    return `${text.slice(0, max - 1)}…`;
  }
  section(text: string): Record<string, unknown> {
    return { type: 'section', text: { type: 'mrkdwn', text: this.clip(text, SECTION_CHARS) } };
  }
}

/** Pure: a router answer → Block Kit a person scans in two seconds. */
export function answerBlocks(a: Answer): SlackMessage {
  const response_type = a.visibility === 'channel' ? 'in_channel' : 'ephemeral';
  const l = new Limits();
  const msg = build(a, l);
  return { response_type, ...msg, overflow: l.cut > 0 };
}

function build(a: Answer, l: Limits): { text: string; blocks: Record<string, unknown>[] } {
  switch (a.kind) {
    case 'reports': {
      const m = reportBlocks(a.reports, l);
      const quiet = [...(a.silences ?? new Map<string, SilenceLine>())].filter(([h]) => a.reports.some((r) => r.name === h));
      // Silences sit just above the timing line, so nobody reads a quiet channel as a healthy fleet.
      if (quiet.length) m.blocks.splice(-2, 0, { type: 'context', elements: [{ type: 'mrkdwn', text: quiet.map(([h, s]) => silenceText(h, s)).join('\n').slice(0, 3000) }] });
      return { text: m.text, blocks: fit(m.blocks, l, 2) };
    }
    case 'restart-request':
      return restartConfirmation(a.request);
    case 'note':
      return { text: a.text, blocks: [l.section(a.text)] };
    case 'history': {
      const lines = a.incidents.map((i) =>
        i.kind === 'restart' ? `🔄 ${when(i.openedAt)} *${i.subject}* restart — ${i.title}` : `${i.resolvedAt ? '✅' : '🔴'} ${when(i.openedAt)} *${i.subject}* ${i.cause} — ${i.resolvedAt ? `${formatDuration(i.resolvedAt - i.openedAt)}` : 'still open'}`,
      );
      const head = `Last ${a.incidents.length} incident${a.incidents.length === 1 ? '' : 's'}${a.host ? ` on ${a.host}` : ''}`;
      return { text: head, blocks: [l.section(`*${head}*`), ...(lines.length ? chunkLines(lines).map((c) => l.section(c)) : [l.section('none recorded')])].slice(0, MAX_BLOCKS) };
    }
    case 'log-lines': {
      const problem = a.problem ? `:warning: ${l.clip(a.problem, 1000)}\n` : '';
      const body = a.lines.length ? `${problem}\`\`\`${l.clip(a.lines.join('\n'), SECTION_CHARS - 6 - problem.length)}\`\`\`` : a.problem ? problem : `no error lines in the window — ${a.report.checks[0]?.summary ?? ''}`;
      return { text: `last ${a.lines.length} error lines on ${a.host}`, blocks: [l.section(`*${a.host}* — last ${a.lines.length} error line${a.lines.length === 1 ? '' : 's'}`), l.section(body)] };
    }
    case 'file':
      return { text: `📎 ${a.summary}`, blocks: [l.section(`📎 ${a.summary}`)] };
    case 'hosts': {
      const lines = a.hosts.map((h) => `${h.last ? EMOJI[h.last.status] : '⚪'} *${h.name}* — ${h.address}, ${h.service}${h.last?.cause ? ` — ${h.last.cause}` : ''}${h.silence ? ` — ${silenceText(h.name, h.silence)}` : ''}`);
      return { text: `${a.hosts.length} hosts`, blocks: fit(chunkLines(lines).map((c) => l.section(c)), l, 0) };
    }
    case 'help':
      return {
        text: a.intro ? `${a.intro}. Try /moneymind help` : 'moneymind commands',
        blocks: [...(a.intro ? [l.section(`${a.intro}.`)] : []), l.section(a.commands.map((c) => `\`/moneymind ${c.usage}\` — ${c.description}`).join('\n'))],
      };
    case 'error':
      return { text: `${a.message}${a.fix ? ` — ${a.fix}` : ''}`, blocks: [l.section(`:warning: ${a.message}${a.fix ? `\n${a.fix}` : ''}`)] };
  }
}

const when = (ms: number): string => slackDate(ms);
const silenceText = (host: string, s: SilenceLine): string => `🔕 ${host} silenced until ${when(s.until)} by ${s.by} (${s.reason})`;

function reportBlocks(reports: readonly HostReport[], l: Limits): { text: string; blocks: Record<string, unknown>[] } {
  const worst: HostStatus = reports.some((r) => r.status === 'fail') ? 'fail' : reports.some((r) => r.status === 'warn') ? 'warn' : 'ok';
  const bad = reports.filter((r) => r.status !== 'ok');
  const headline = reports.length === 1 ? `${reports[0]!.name} ${worst === 'ok' ? 'healthy' : worst === 'warn' ? 'degraded' : 'unhealthy'}` : `${reports.length - bad.length}/${reports.length} hosts healthy`;
  const blocks: Record<string, unknown>[] = [{ type: 'header', text: { type: 'plain_text', text: l.clip(`${EMOJI[worst]} ${headline}`, 150), emoji: true } }];
  // Per host: a section with one field per check, then the likely cause. Healthy hosts collapse
  // to one line when there are many, so 50 hosts still fit in 50 blocks.
  const compact = reports.length > 8;
  for (const r of reports) {
    if (compact && r.status === 'ok') continue;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `${EMOJI[r.status]} *${r.name}*` }, fields: r.checks.slice(0, 10).map((c) => ({ type: 'mrkdwn', text: l.clip(`${EMOJI[c.status]} *${LABEL[c.id]}*\n${c.summary}`, FIELD_CHARS) })) });
    const cause = r.causes[0];
    if (cause) blocks.push(l.section(`*Likely cause: ${cause.id}* — ${cause.title}\n${cause.evidence.slice(0, 3).map((e) => `• ${e}`).join('\n')}\n_${cause.advice}${cause.restartHelps ? '' : ' A restart will not help.'}_`));
  }
  if (compact) {
    const healthy = reports.filter((r) => r.status === 'ok').map((r) => r.name);
    if (healthy.length) blocks.push(l.section(`✅ healthy: ${healthy.join(', ')}`));
  }
  const slowest = Math.max(...reports.map((r) => r.durationMs));
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `checked ${reports.length} host${reports.length === 1 ? '' : 's'} in ${(slowest / 1000).toFixed(1)} s` }] });
  const refreshTarget = reports.length === 1 ? reports[0]!.name : 'all';
  const buttons: Record<string, unknown>[] = [{ type: 'button', action_id: 'refresh', text: { type: 'plain_text', text: 'Refresh' }, value: refreshTarget }];
  if (reports.length === 1) {
    buttons.push({ type: 'button', action_id: 'logs', text: { type: 'plain_text', text: 'Logs' }, value: reports[0]!.name });
    // Asks for a restart (an approver still confirms); offered only when something is wrong.
    if (reports[0]!.status !== 'ok') buttons.push({ type: 'button', action_id: 'restart_request', text: { type: 'plain_text', text: 'Restart…' }, value: reports[0]!.name });
  }
  blocks.push({ type: 'actions', elements: buttons });
  const text = `${EMOJI[worst]} ${headline}${bad[0]?.causes[0] ? ` — likely ${bad[0].causes[0].id}` : ''}`;
  return { text, blocks };
}

/** Keeps a message within 50 blocks (the last `keep` stay: context, actions); one slot says what moved to the file. */
function fit(blocks: Record<string, unknown>[], l: Limits, keep: number): Record<string, unknown>[] {
  if (blocks.length <= MAX_BLOCKS) return blocks;
  const tail = keep ? blocks.slice(-keep) : [];
  const head = blocks.slice(0, MAX_BLOCKS - 1 - keep);
  l.cut++;
  return [...head, l.section(`…and ${blocks.length - head.length - tail.length} more blocks: ${ATTACHED}`), ...tail];
}

function chunkLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  let cur = '';
  for (const line of lines) {
    if (cur && cur.length + line.length + 1 > SECTION_CHARS) {
      out.push(cur);
      cur = '';
    }
    cur = cur ? `${cur}\n${line}` : line;
  }
  if (cur) out.push(cur);
  return out;
}
