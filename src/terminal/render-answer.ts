import { renderReports, type Style } from '../cli/render-text.js';
import type { Answer } from '../commands/answer.js';

/** The terminal's rendering of a router answer: the same words Slack shows, as text. */
export function renderAnswer(a: Answer, style: Style): string {
  switch (a.kind) {
    case 'reports':
      return renderReports(a.reports, { ...style, detail: a.detail });
    case 'log-lines':
      return a.lines.length
        ? [`last ${a.lines.length} error line${a.lines.length === 1 ? '' : 's'} on ${a.host}:`, ...a.lines.map((l) => `  ${l}`)].join('\n')
        : `no error lines on ${a.host} in the window (${a.report.checks[0]?.summary ?? 'logs not read'})`;
    case 'file':
      // The terminal adapter saves the content; this is the line that goes with it.
      return a.summary;
    case 'hosts':
      return a.hosts
        .map((h) => `${h.name.padEnd(16)} ${h.address.padEnd(22)} ${h.service.padEnd(24)} ${h.last ? `${h.last.status}${h.last.cause ? ` (${h.last.cause})` : ''} at ${new Date(h.last.at).toISOString().slice(11, 19)}` : 'not checked yet'}`)
        .join('\n');
    case 'help':
      return [...(a.intro ? [`${a.intro}.`] : []), 'commands:', ...a.commands.map((c) => `  ${c.usage.padEnd(24)} ${c.description}`)].join('\n');
    case 'error':
      return `error: ${a.message}${a.fix ? ` — ${a.fix}` : ''}`;
  }
}
