import { type Answer, leaderText, type SilenceLine } from '../commands/answer.js';
import { formatDuration } from '../config/duration.js';
import { withFix } from '../errors.js';
import { renderDoctor } from './render-doctor.js';
import { renderReports, type Style } from './render-text.js';
import { utcDateTime, utcSeconds } from './utc-time.js';

const silenceLine = (host: string, s: SilenceLine): string => `silenced: ${host} until ${utcDateTime(s.until)} by ${s.by} (${s.reason})`;

/**
 * A router answer as text: the terminal prints it, and Slack attaches it as a file when an answer
 * outgrows a message. The same words Slack shows.
 */
export function renderAnswer(a: Answer, style: Style): string {
  switch (a.kind) {
    case 'reports': {
      const quiet = [...(a.silences ?? new Map<string, SilenceLine>())].filter(([h]) => a.reports.some((r) => r.name === h));
      return [renderReports(a.reports, { ...style, detail: a.detail }), ...quiet.map(([h, s]) => silenceLine(h, s))].join('\n');
    }
    case 'restart-request':
      return `restart of ${a.request.host.name} requested: ${a.request.commandText}`;
    case 'note':
      return a.text;
    case 'doctor':
      return renderDoctor(a.hosts);
    case 'history':
      return a.incidents.length
        ? a.incidents
            .map(
              (i) =>
                `${utcDateTime(i.openedAt)}  ${i.subject.padEnd(16)} ${i.cause.padEnd(26)} ` +
                `${i.kind === 'restart' ? i.title : i.resolvedAt ? `resolved after ${formatDuration(i.resolvedAt - i.openedAt)}` : 'open'}` +
                `${i.ackMs !== undefined ? `, acknowledged after ${formatDuration(i.ackMs)}` : ''}`,
            )
            .join('\n')
        : `no incidents recorded${a.host ? ` on ${a.host}` : ''}`;
    case 'log-lines':
      return [
        ...(a.problem ? [`${a.host}: ${a.problem}`] : []),
        ...(a.lines.length
          ? [`last ${a.lines.length} error line${a.lines.length === 1 ? '' : 's'} on ${a.host}:`, ...a.lines.map((l) => `  ${l}`)]
          : a.problem
            ? []
            : [`no error lines on ${a.host} in the window (${a.report.checks[0]?.summary ?? 'logs not read'})`]),
      ].join('\n');
    case 'file':
      // The terminal adapter saves the content; this is the line that goes with it.
      return a.summary;
    case 'hosts':
      return [
        `${'HOST'.padEnd(16)} ${'ADDRESS'.padEnd(22)} ${'SERVICE'.padEnd(24)} LAST CHECK`,
        ...a.hosts.map(
          (h) =>
            `${h.name.padEnd(16)} ${h.address.padEnd(22)} ${h.service.padEnd(24)} ` +
            `${h.last ? `${h.last.status}${h.last.cause ? ` (${h.last.cause})` : ''} at ${utcSeconds(h.last.at)}` : 'not checked yet'}` +
            `${h.silence ? `  ${silenceLine(h.name, h.silence)}` : ''}`,
        ),
        ...(a.leader ? [leaderText(a.leader)] : []),
      ].join('\n');
    case 'help':
      return [...(a.intro ? [`${a.intro}.`] : []), 'commands:', ...a.commands.map((c) => `  ${c.usage.padEnd(24)} ${c.description}`)].join('\n');
    case 'error':
      return `error: ${withFix(a.message, a.fix)}`;
  }
}
