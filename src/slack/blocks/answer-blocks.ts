import { mrkdwn } from '../../boundary/slack-escape.js';
import { type Answer, leaderText, type SilenceLine } from '../../commands/answer.js';
import { formatDuration } from '../../config/duration.js';
import { withFix } from '../../errors.js';
import { DOCTOR_MARK } from '../../render/render-doctor.js';
import { context, fallback, section, type KnownBlock } from '../../slack-format/block-kit.js';
import { ownSentence, slackDate } from '../../slack-format/mrkdwn.js';
import type { SlackMessage } from '../../slack-format/slack-message.js';
import { LIMITS } from '../../slack-format/slack-limits.js';
import { EMOJI } from '../../slack-format/status-emoji.js';
import { Cuts } from './cuts.js';
import { ATTACHED, fitBlocks } from './fit-message.js';
import { reportBlocks, silenceText } from './report-blocks.js';
import { restartConfirmation } from './restart-blocks.js';

/** A message for response_url (or an ack): the message and who sees it. */
export interface AnswerMessage extends SlackMessage {
  readonly response_type: 'in_channel' | 'ephemeral';
  /**
   * Set when Slack's limits made the builder leave something out. A channel answer then says the
   * whole answer is attached as a file (the adapter uploads it); an ephemeral one (hosts, history,
   * help) says what did not fit, since a file would show it to the whole channel.
   */
  readonly overflow: boolean;
}

export { ATTACHED };
export const MAX_BLOCKS = LIMITS.blocks;
const NOT_SHOWN = 'they did not fit in one message';

/** Pure: a router answer → Block Kit a person scans in two seconds, within every Slack limit. */
export function answerBlocks(a: Answer): AnswerMessage {
  const response_type = a.visibility === 'channel' ? 'in_channel' : 'ephemeral';
  const cuts = new Cuts();
  const { text, blocks, keep } = build(a, cuts);
  const fitted = fitBlocks(blocks, keep, response_type === 'in_channel' ? ATTACHED : NOT_SHOWN);
  return { response_type, text: fallback(text), blocks: fitted.blocks, overflow: cuts.count > 0 || fitted.dropped > 0 };
}

/** `keep`: how many blocks at the end (timing, buttons) stay when the message has to shrink. */
function build(a: Answer, c: Cuts): { text: string; blocks: KnownBlock[]; keep: number } {
  switch (a.kind) {
    case 'reports':
      return { ...reportBlocks(a.reports, a.silences ?? new Map<string, SilenceLine>(), c), keep: 2 };
    case 'restart-request':
      return { ...restartConfirmation(a.request), keep: 1 };
    case 'note': {
      const text = ownSentence(a.text);
      return { text, blocks: [section(c.fit(text))], keep: 0 };
    }
    case 'doctor': {
      // One section per host: its verdict, then each item's mark and line, and the fix under a miss.
      const blocks = a.hosts.flatMap((h) => {
        const misses = h.items.filter((i) => i.mark !== 'pass').length;
        const verdict = misses ? `${misses} of ${h.items.length} to fix` : `all ${h.items.length} pass`;
        const head = `${misses ? '🔴' : '✅'} *${mrkdwn(h.name)}* (${mrkdwn(h.address)}) — ${verdict}`;
        const lines = h.items.map((i) => `${DOCTOR_MARK[i.mark]} ${c.host(i.line, 600)}${i.fix ? `\n      _fix:_ ${c.host(i.fix, 900)}` : ''}`);
        return chunkLines([head, ...lines]).map((t) => section(t));
      });
      const fails = a.hosts.filter((h) => h.items.some((i) => i.mark !== 'pass')).map((h) => h.name);
      return {
        text: fails.length ? `doctor: ${fails.join(', ')} need fixes` : `doctor: ${a.hosts.map((h) => h.name).join(', ')} set up as the README says`,
        blocks,
        keep: 0,
      };
    }
    case 'history': {
      const lines = a.incidents.map((i) => {
        const what =
          i.kind === 'restart'
            ? `restart — ${c.host(i.title, 300)}`
            : `${mrkdwn(i.cause)} — ${i.resolvedAt ? `resolved after ${formatDuration(i.resolvedAt - i.openedAt)}` : 'still open'}` +
              `${i.ackMs !== undefined ? ` · acknowledged after ${formatDuration(i.ackMs)}` : ''}`;
        return `${i.kind === 'restart' ? '🔄' : i.resolvedAt ? '✅' : '🔴'} ${slackDate(i.openedAt)} *${mrkdwn(i.subject)}* ${what}`;
      });
      const head = `Last ${a.incidents.length} incident${a.incidents.length === 1 ? '' : 's'}${a.host ? ` on ${mrkdwn(a.host)}` : ''}`;
      return { text: head, blocks: [section(`*${head}*`), ...(lines.length ? chunkLines(lines) : ['none recorded']).map((t) => section(t))], keep: 0 };
    }
    case 'log-lines': {
      const problem = a.problem ? `:warning: ${c.host(a.problem, 1000)}\n` : '';
      const body = a.lines.length
        ? `${problem}${c.code(a.lines.join('\n'), LIMITS.sectionText - problem.length)}`
        : problem || `no error lines in the window — ${c.host(a.report.checks[0]?.summary ?? '', 1000)}`;
      const title = `*${mrkdwn(a.host)}* — last ${a.lines.length} error line${a.lines.length === 1 ? '' : 's'}`;
      return { text: `last ${a.lines.length} error lines on ${mrkdwn(a.host)}`, blocks: [section(title), section(body)], keep: 0 };
    }
    case 'file':
      return { text: `📎 ${mrkdwn(a.summary)}`, blocks: [section(c.host(`📎 ${a.summary}`, LIMITS.sectionText))], keep: 0 };
    case 'hosts': {
      const lines = a.hosts.map((h) => {
        const cause = h.last?.cause ? ` — ${mrkdwn(h.last.cause)}` : '';
        const quiet = h.silence ? ` — ${silenceText(h.name, h.silence)}` : '';
        return c.fit(`${h.last ? EMOJI[h.last.status] : '⚪'} *${mrkdwn(h.name)}* — ${mrkdwn(h.address)}, ${mrkdwn(h.service)}${cause}${quiet}`, 600);
      });
      const leader = a.leader ? [context(mrkdwn(leaderText(a.leader)))] : [];
      return { text: `${a.hosts.length} hosts`, blocks: [...chunkLines(lines).map((t) => section(t)), ...leader], keep: 0 };
    }
    case 'help': {
      const intro = a.intro ? mrkdwn(a.intro) : undefined;
      const list = a.commands.map((x) => `\`/moneymind ${mrkdwn(x.usage)}\` — ${mrkdwn(x.description)}`).join('\n');
      return {
        text: intro ? `${intro}. Try /moneymind help` : 'moneymind commands',
        blocks: [...(intro ? [section(c.fit(`${intro}.`))] : []), section(c.fit(list))],
        keep: 0,
      };
    }
    case 'error': {
      const message = c.host(a.message, 1500);
      const fix = a.fix ? c.host(a.fix, 1400) : undefined;
      return { text: withFix(message, fix), blocks: [section(`:warning: ${message}${fix ? `\n${fix}` : ''}`)], keep: 0 };
    }
  }
}

/** Lines into section texts of at most 3000 characters (each line is already shorter). */
function chunkLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  let cur = '';
  for (const line of lines) {
    if (cur && cur.length + line.length + 1 > LIMITS.sectionText) {
      out.push(cur);
      cur = '';
    }
    cur = cur ? `${cur}\n${line}` : line;
  }
  if (cur) out.push(cur);
  return out;
}
