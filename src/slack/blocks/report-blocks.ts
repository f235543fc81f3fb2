import { mrkdwn } from '../../boundary/slack-escape.js';
import type { SilenceLine } from '../../commands/answer.js';
import { type HostReport, worstStatus } from '../../engine/host-report.js';
import { CHECK_LABEL, checkRowText, HOST_STATE, restartNote } from '../../render/labels.js';
import { actions, button, context, fieldsSection, header, section, type KnownBlock } from '../../slack-format/block-kit.js';
import { causeMrkdwn } from '../../slack-format/cause-mrkdwn.js';
import { ownSentence, slackDate } from '../../slack-format/mrkdwn.js';
import { EMOJI } from '../../slack-format/status-emoji.js';
import type { Cuts } from './cuts.js';

// Budgets for host text, so a host's section and its cause stay well inside one message; the
// attached file has every word.
const SUMMARY = 700;
const CAUSE = { title: 300, evidence: 500, advice: 800 };

/** Pure: status reports → header, a section per host (a field per check), its likely cause, silences, timing, buttons. */
export function reportBlocks(reports: readonly HostReport[], silences: ReadonlyMap<string, SilenceLine>, c: Cuts): { text: string; blocks: KnownBlock[] } {
  const worst = worstStatus(reports);
  const bad = reports.filter((r) => r.status !== 'ok');
  const headline = reports.length === 1 ? `${reports[0]!.name} ${HOST_STATE[worst]}` : `${reports.length - bad.length}/${reports.length} hosts healthy`;
  // plain_text: shown as written, so only clipped.
  const blocks: KnownBlock[] = [header(`${EMOJI[worst]} ${headline}`)];
  // Healthy hosts collapse to one line when there are many, so 50 hosts still fit.
  const compact = reports.length > 8;
  for (const r of reports) {
    if (compact && r.status === 'ok') continue;
    blocks.push(
      fieldsSection(
        `${EMOJI[r.status]} *${mrkdwn(r.name)}*`,
        r.checks.map((ch) => `${EMOJI[ch.status]} *${CHECK_LABEL[ch.id]}*\n${c.host(checkRowText(r, ch), SUMMARY)}`),
      ),
    );
    const cause = r.causes[0];
    if (cause) {
      const layout = { head: `*Likely cause: ${cause.id}*`, evidence: 3, max: CAUSE, restart: restartNote(cause, 'unless-helps') };
      blocks.push(section(c.fit(causeMrkdwn(cause, layout, (text, max) => c.host(text, max)))));
    }
  }
  const healthy = compact ? reports.filter((r) => r.status === 'ok').map((r) => mrkdwn(r.name)) : [];
  if (healthy.length) blocks.push(section(c.fit(`✅ healthy: ${healthy.join(', ')}`)));
  // Silences sit just above the timing line, so nobody reads a quiet channel as a healthy fleet.
  const quiet = reports.flatMap((r) => (silences.has(r.name) ? [silenceText(r.name, silences.get(r.name)!)] : []));
  if (quiet.length) blocks.push(context(c.fit(quiet.join('\n'))));
  const slowest = Math.max(...reports.map((r) => r.durationMs));
  blocks.push(context(`checked ${reports.length} host${reports.length === 1 ? '' : 's'} in ${(slowest / 1000).toFixed(1)} s`));
  const one = reports.length === 1 ? reports[0]! : undefined;
  blocks.push(
    actions([
      button('refresh', 'Refresh', one?.name ?? 'all'),
      ...(one ? [button('logs', 'Logs', one.name), button('trend', 'Trend', one.name)] : []),
      // Asks for a restart (an approver still confirms); offered only when something is wrong.
      ...(one && one.status !== 'ok' ? [button('restart_request', 'Restart…', one.name)] : []),
    ]),
  );
  const likely = bad[0]?.causes[0];
  return { text: `${EMOJI[worst]} ${mrkdwn(headline)}${likely ? ` — likely ${likely.id}` : ''}`, blocks };
}

export const silenceText = (host: string, s: SilenceLine): string =>
  `🔕 ${mrkdwn(host)} silenced until ${slackDate(s.until)} by ${ownSentence(s.by)} (${mrkdwn(s.reason)})`;
