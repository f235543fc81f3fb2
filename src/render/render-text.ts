import type { CheckStatus } from '../checks/check-types.js';
import type { Config } from '../config/types.js';
import type { HostReport, HostStatus } from '../engine/host-report.js';
import { CHECK_LABEL, checkRowText, HOST_STATE, restartNote } from './labels.js';

export interface Style {
  readonly color: boolean;
  /** One area asked for (`check logs`): show its detail lines too, e.g. the last error lines. */
  readonly detail?: boolean;
}

// `?` for a check that could not run: not ✗, which would say the thing is down.
const MARK: Record<CheckStatus, string> = { ok: '✓', warn: '⚠', fail: '✗', unknown: '?' };
const header = (s: HostStatus): string => `${MARK[s]} ${HOST_STATE[s].toUpperCase()}`;
const COLOR: Record<CheckStatus, string> = { ok: '\x1b[32m', warn: '\x1b[33m', fail: '\x1b[31m', unknown: '\x1b[35m' };

/** The terminal report: one header per host, one line per check, then the likely cause. */
export function renderReports(reports: readonly HostReport[], style: Style): string {
  return reports.map((r) => renderReport(r, style)).join('\n\n');
}

export function renderReport(r: HostReport, style: Style): string {
  const paint = (status: CheckStatus, text: string): string => (style.color ? `${COLOR[status]}${text}\x1b[0m` : text);
  const bold = (text: string): string => (style.color ? `\x1b[1m${text}\x1b[0m` : text);
  const lines = [`${bold(r.name)}  ${paint(r.status, header(r.status))}  (checked in ${(r.durationMs / 1000).toFixed(1)} s)`];
  for (const c of r.checks) {
    lines.push(`  ${CHECK_LABEL[c.id].padEnd(10)} ${paint(c.status, MARK[c.status])}  ${oneLine(checkRowText(r, c))}`);
    if (style.detail && c.id === 'logs' && c.details) for (const e of c.details.lastErrors.slice(-3)) lines.push(`             › ${oneLine(e).slice(0, 200)}`);
  }
  const [first, ...others] = r.causes;
  if (first) {
    const restart = restartNote(first, 'unless-helps');
    lines.push(`${bold('likely cause:')} ${first.id} — ${first.title} ${first.advice}${restart ? ` ${restart}` : ''}`);
    for (const e of first.evidence.slice(0, 4)) lines.push(`  · ${oneLine(e)}`);
    if (others.length) lines.push(`  also: ${others.map((c) => c.id).join(', ')}`);
  }
  return lines.join('\n');
}

export function renderHosts(config: Config): string {
  const rows = [['HOST', 'ADDRESS', 'SERVICE', 'PORT', 'DATABASE']].concat(
    config.hosts.map((h) => [
      h.name,
      h.transport === 'ssh' && h.ssh ? `${h.ssh.username}@${h.ssh.host}:${h.ssh.port}${h.ssh.jump ? ` via ${h.ssh.jump.name}` : ''}` : 'local',
      `${h.app.manager} ${h.app.service}`,
      `:${h.app.port}`,
      h.mysql ? `mysql ${h.mysql.host}:${h.mysql.port}` : 'no mysql',
    ]),
  );
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
