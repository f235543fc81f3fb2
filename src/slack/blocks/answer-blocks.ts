import type { AnyCheckResult, CheckStatus } from '../../checks/check-types.js';
import type { Answer } from '../../commands/answer.js';
import type { HostReport } from '../../engine/host-report.js';

/** A message for chat.postMessage / response_url: always a fallback `text` (notifications, screen readers). */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
  readonly response_type: 'in_channel' | 'ephemeral';
}

// Slack's limits: 50 blocks a message, 3000 characters a section text, 10 fields a section,
// 2000 characters a field.
export const MAX_BLOCKS = 50;
const SECTION_CHARS = 3000;
const FIELD_CHARS = 2000;
const EMOJI: Record<CheckStatus, string> = { ok: '✅', warn: '⚠️', fail: '🔴' };
const LABEL: Record<AnyCheckResult['id'], string> = { health: 'health', service: 'service', port: 'port', resources: 'resources', db: 'database', logs: 'logs' };

/** Pure: a router answer → Block Kit a person scans in two seconds. */
export function answerBlocks(a: Answer): SlackMessage {
  const response_type = a.visibility === 'channel' ? 'in_channel' : 'ephemeral';
  switch (a.kind) {
    case 'reports':
      return { response_type, ...reportBlocks(a.reports) };
    case 'log-lines': {
      const body = a.lines.length ? `\`\`\`${clip(a.lines.join('\n'), SECTION_CHARS - 6)}\`\`\`` : `no error lines in the window — ${a.report.checks[0]?.summary ?? ''}`;
      return { response_type, text: `last ${a.lines.length} error lines on ${a.host}`, blocks: [section(`*${a.host}* — last ${a.lines.length} error line${a.lines.length === 1 ? '' : 's'}`), section(body)] };
    }
    case 'hosts': {
      const lines = a.hosts.map((h) => `${h.last ? EMOJI[h.last.status] : '⚪'} *${h.name}* — ${h.address}, ${h.service}${h.last?.cause ? ` — ${h.last.cause}` : ''}`);
      return { response_type, text: `${a.hosts.length} hosts`, blocks: chunkLines(lines).map(section) };
    }
    case 'help':
      return {
        response_type,
        text: a.intro ? `${a.intro}. Try /moneymind help` : 'moneymind commands',
        blocks: [...(a.intro ? [section(`${a.intro}.`)] : []), section(a.commands.map((c) => `\`/moneymind ${c.usage}\` — ${c.description}`).join('\n'))],
      };
    case 'error':
      return { response_type, text: `${a.message}${a.fix ? ` — ${a.fix}` : ''}`, blocks: [section(`:warning: ${a.message}${a.fix ? `\n${a.fix}` : ''}`)] };
  }
}

export function reportBlocks(reports: readonly HostReport[]): Omit<SlackMessage, 'response_type'> {
  const worst: CheckStatus = reports.some((r) => r.status === 'fail') ? 'fail' : reports.some((r) => r.status === 'warn') ? 'warn' : 'ok';
  const bad = reports.filter((r) => r.status !== 'ok');
  const headline = reports.length === 1 ? `${reports[0]!.name} ${worst === 'ok' ? 'healthy' : worst === 'warn' ? 'degraded' : 'unhealthy'}` : `${reports.length - bad.length}/${reports.length} hosts healthy`;
  const blocks: Record<string, unknown>[] = [{ type: 'header', text: { type: 'plain_text', text: clip(`${EMOJI[worst]} ${headline}`, 150), emoji: true } }];
  // Per host: a section with one field per check, then the likely cause. Healthy hosts collapse
  // to one line when there are many, so 50 hosts still fit in 50 blocks.
  const compact = reports.length > 8;
  for (const r of reports) {
    if (compact && r.status === 'ok') continue;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `${EMOJI[r.status]} *${r.name}*` }, fields: r.checks.slice(0, 10).map((c) => ({ type: 'mrkdwn', text: clip(`${EMOJI[c.status]} *${LABEL[c.id]}*\n${c.summary}`, FIELD_CHARS) })) });
    const cause = r.causes[0];
    if (cause) blocks.push(section(`*Likely cause: ${cause.id}* — ${cause.title}\n${cause.evidence.slice(0, 3).map((e) => `• ${e}`).join('\n')}\n_${cause.advice}${cause.restartHelps ? '' : ' A restart will not help.'}_`));
  }
  if (compact) {
    const healthy = reports.filter((r) => r.status === 'ok').map((r) => r.name);
    if (healthy.length) blocks.push(section(`✅ healthy: ${healthy.join(', ')}`));
  }
  const slowest = Math.max(...reports.map((r) => r.durationMs));
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `checked ${reports.length} host${reports.length === 1 ? '' : 's'} in ${(slowest / 1000).toFixed(1)} s` }] });
  const refreshTarget = reports.length === 1 ? reports[0]!.name : 'all';
  const buttons: Record<string, unknown>[] = [{ type: 'button', action_id: 'refresh', text: { type: 'plain_text', text: 'Refresh' }, value: refreshTarget }];
  if (reports.length === 1) buttons.push({ type: 'button', action_id: 'logs', text: { type: 'plain_text', text: 'Logs' }, value: reports[0]!.name });
  blocks.push({ type: 'actions', elements: buttons });
  const text = `${EMOJI[worst]} ${headline}${bad[0]?.causes[0] ? ` — likely ${bad[0].causes[0].id}` : ''}`;
  return { text, blocks: fit(blocks) };
}

function section(text: string): Record<string, unknown> {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text, SECTION_CHARS) } };
}

/** Keeps a message within 50 blocks: the last slot says how much was left out. */
function fit(blocks: Record<string, unknown>[]): Record<string, unknown>[] {
  if (blocks.length <= MAX_BLOCKS) return blocks;
  const tail = blocks.slice(-2); // context + actions
  const head = blocks.slice(0, MAX_BLOCKS - 3);
  return [...head, section(`…and ${blocks.length - head.length - tail.length} more blocks: use /moneymind status HOST for one host`), ...tail];
}

function chunkLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  let cur = '';
  for (const l of lines) {
    if (cur && cur.length + l.length + 1 > SECTION_CHARS) {
      out.push(cur);
      cur = '';
    }
    cur = cur ? `${cur}\n${l}` : l;
  }
  if (cur) out.push(cur);
  return out.slice(0, MAX_BLOCKS);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
