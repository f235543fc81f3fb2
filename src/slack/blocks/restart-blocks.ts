import { mrkdwn, quote } from '../../boundary/slack-escape.js';
import type { Outcome, RestartRequest } from '../../restart/restart-service.js';
import type { RestartRow } from '../../store/restart-types.js';
import { actions, button, confirmDialog, context, fallback, section, type KnownBlock } from '../../slack-format/block-kit.js';
import { causeMrkdwn } from '../../slack-format/cause-mrkdwn.js';
import { mention, slackDate } from '../../slack-format/mrkdwn.js';
import type { SlackMessage } from '../../slack-format/slack-message.js';
import { EMOJI } from '../../slack-format/status-emoji.js';

const when = (ms: number): string => slackDate(ms, '{time}');
// The command comes from config (a supervisorConfig path may be 1024 characters); still escaped.
const commandText = (text: string): string => quote(text, 1500);
const command = (text: string): string => `\`${commandText(text)}\``;

/** Pure: the confirmation message — exactly what will run where, the state now, and loud warnings. */
export function restartConfirmation(req: RestartRequest): SlackMessage {
  const { row } = req;
  const name = mrkdwn(req.host.name);
  const report = req.report;
  const state = report ? `${EMOJI[report.status]} ${report.checks.map((c) => `${c.id} ${c.status}`).join(' · ')}` : 'state unknown';
  const cause = report?.causes[0];
  const blocks: KnownBlock[] = [
    section(
      `🔄 *Restart ${name}?* asked by ${mention(row.requested_by)}${req.dryRun ? ' — *dry run*: the command will not be run' : ''}` +
        `\nWill run ${command(req.commandText)} on ${name} (${quote(req.address, 300)}).`,
    ),
    section(`*Now:* ${state}${cause ? `\n*Likely cause:* ${cause.id} — ${quote(cause.title, 500)}` : ''}`),
  ];
  if (req.warnings.length)
    blocks.push(
      section(
        `:rotating_light: *A restart is unlikely to help:*\n${req.warnings
          .slice(0, 5)
          .map((w) => `• ${quote(w, 500)}`)
          .join('\n')}`,
      ),
    );
  blocks.push(context(`Only approvers may confirm. Expires at ${when(row.expires_at)}.`));
  // The dialog is plain_text and short (Slack allows 300 characters); the command is in the message above.
  const dialog = confirmDialog(
    `Restart ${req.host.name}?`,
    `This runs the restart command shown in the message on ${req.host.name} (${req.address}).`,
    'Restart',
    'Back',
  );
  // The request id is all a button carries; the command comes from config.
  blocks.push(
    actions([button('restart_confirm', 'Confirm restart', row.id, { style: 'danger', confirm: dialog }), button('restart_cancel', 'Cancel', row.id)]),
  );
  return { text: fallback(`Restart ${name}? asked by ${mention(row.requested_by)}: ${commandText(req.commandText)}`), blocks };
}

export type RestartState = 'restarting' | 'expired' | 'cancelled' | 'finished' | 'abandoned';

/** Pure: the same message once decided; never with buttons. `summary` (finished) quotes the host. */
export function restartState(row: RestartRow, state: RestartState, summary?: string): SlackMessage {
  const h = mrkdwn(row.host);
  const line =
    state === 'restarting'
      ? `⏳ Restarting ${h}… approved by ${mention(row.decided_by ?? '')}`
      : state === 'expired'
        ? `⌛ Restart request for ${h} expired unconfirmed`
        : state === 'cancelled'
          ? `✖️ Restart of ${h} cancelled by ${mention(row.decided_by ?? '')}`
          : state === 'abandoned'
            ? `⚠️ Restart of ${h}: the bot restarted before the outcome was recorded; it was not run again. Check \`/moneymind status ${h}\`.`
            : `${summary === undefined ? 'done' : quote(summary, 1200)} — ${h}, approved by ${mention(row.decided_by ?? '')}`;
  return { text: fallback(line), blocks: [section(`${line}\n${command(row.command)}`)] };
}

/** Pure: the outcome in the thread — the summary (it may quote the command's output) and the new diagnosis. */
export function restartOutcome(outcome: Pick<Outcome, 'summary' | 'report'>): SlackMessage {
  const summary = quote(outcome.summary, 1000);
  const cause = outcome.report?.causes[0];
  const detail = cause
    ? `\n${causeMrkdwn(cause, { head: `*${cause.id}*`, evidence: 3, max: { title: 300, evidence: 300, advice: 500 }, restart: '' }, quote)}`
    : '';
  return { text: fallback(summary), blocks: [section(`${summary}${detail}`)] };
}
