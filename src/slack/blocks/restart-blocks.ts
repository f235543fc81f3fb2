import type { RestartRequest } from '../../restart/restart-service.js';
import type { RestartRow } from '../../store/restart-types.js';
import { section, slackDate } from './mrkdwn.js';

type Msg = { text: string; blocks: Record<string, unknown>[] };
const when = (ms: number): string => slackDate(ms, '{time}');

/** Pure: the confirmation message — exactly what will run where, the state now, and loud warnings. */
export function restartConfirmation(req: RestartRequest): Msg {
  const { row, host } = req;
  const state = req.report ? `${req.report.status === 'ok' ? '✅' : req.report.status === 'warn' ? '⚠️' : '🔴'} ${req.report.checks.map((c) => `${c.id} ${c.status}`).join(' · ')}` : 'state unknown';
  const cause = req.report?.causes[0];
  const blocks: Record<string, unknown>[] = [
    section(`🔄 *Restart ${host.name}?* asked by <@${row.requested_by}>${req.dryRun ? ' — *dry run*: the command will not be run' : ''}\nWill run \`${req.commandText}\` on ${host.name} (${req.address}).`),
    section(`*Now:* ${state}${cause ? `\n*Likely cause:* ${cause.id} — ${cause.title}` : ''}`),
  ];
  if (req.warnings.length) blocks.push(section(`:rotating_light: *A restart is unlikely to help:*\n${req.warnings.map((w) => `• ${w}`).join('\n')}`));
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Only approvers may confirm. Expires at ${when(row.expires_at)}.` }] });
  blocks.push({
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: 'restart_confirm',
        style: 'danger',
        text: { type: 'plain_text', text: 'Confirm restart' },
        // The request id is all a button carries; the command comes from config.
        value: row.id,
        confirm: { title: { type: 'plain_text', text: `Restart ${host.name}?` }, text: { type: 'mrkdwn', text: `This runs \`${req.commandText}\` on ${host.name}.` }, confirm: { type: 'plain_text', text: 'Restart' }, deny: { type: 'plain_text', text: 'Back' } },
      },
      { type: 'button', action_id: 'restart_cancel', text: { type: 'plain_text', text: 'Cancel' }, value: row.id },
    ],
  });
  return { text: `Restart ${host.name}? asked by <@${row.requested_by}>: ${req.commandText}`, blocks };
}

/** Pure: the same message once decided; never with buttons. */
export function restartState(row: RestartRow, state: 'restarting' | 'expired' | 'cancelled' | 'finished' | 'abandoned', summary?: string): Msg {
  const line =
    state === 'restarting' ? `⏳ Restarting ${row.host}… approved by <@${row.decided_by}>`
    : state === 'expired' ? `⌛ Restart request for ${row.host} expired unconfirmed`
    : state === 'cancelled' ? `✖️ Restart of ${row.host} cancelled by <@${row.decided_by}>`
    : state === 'abandoned' ? `⚠️ Restart of ${row.host}: the bot restarted before the outcome was recorded; it was not run again. Check \`/moneymind status ${row.host}\`.`
    : `${summary ?? 'done'} — ${row.host}, approved by <@${row.decided_by}>`;
  return { text: line, blocks: [section(`${line}\n\`${row.command}\``)] };
}
