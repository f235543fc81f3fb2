import { mrkdwn } from '../../src/boundary/slack-escape.js';
import { CHECK_IDS } from '../../src/checks/check-types.js';
import type { Answer } from '../../src/commands/answer.js';
import type { CommandServices } from '../../src/commands/command.js';
import type { Config } from '../../src/config/types.js';
import type { Cause } from '../../src/diagnosis/cause.js';
import type { HostReport } from '../../src/engine/host-report.js';
import { hostAddress, restartShellCommandText, restartWarnings } from '../../src/restart/restart-policy.js';
import type { RestartRequest } from '../../src/restart/restart-service.js';
import type { RestartRow } from '../../src/store/restart-types.js';
import { answerBlocks } from '../../src/slack/blocks/answer-blocks.js';
import type { KnownBlock } from '../../src/slack-format/block-kit.js';
import { withNotice } from '../../src/slack/blocks/fit-message.js';
import { restartOutcome, restartState } from '../../src/slack/blocks/restart-blocks.js';
import { silenceFromAlert } from '../../src/slack/listeners/silence-from-alert.js';
import { ackReply, alertParent, postsFor } from '../../src/watch/alert-messages.js';
import type { Intent, Tracker } from '../../src/watch/incident-policy.js';
import type { IncidentKey } from '../../src/domain/incident-key.js';
import { dbKey, hostKey } from '../../src/watch/observe.js';
import { cause, check, report } from './builders.js';
import { testConfig } from './config.js';

/**
 * Every kind of message the bot sends to Slack, built by the real builders from inputs as large
 * as config and hosts allow: 60 hosts with 40-character names sharing one database, a 1024-character
 * supervisor config path, and `hostText(i)` wherever a host's words go (summaries, evidence, log
 * lines, cause titles, command output). The conformance and injection tests walk these.
 */
export interface BuiltMessage {
  readonly name: string;
  readonly text: string;
  readonly blocks: readonly KnownBlock[];
}

export const HOSTS = 60;
export const REQUESTER = 'U0REQUEST1';
export const APPROVER = 'U0APPROVE1';
/** slack.oncall's user group: an escalation mentions it as `<!subteam^…>`. */
export const ONCALL_GROUP = 'S0OPSTEAM1';
const NOW = Date.UTC(2026, 0, 15, 12);
export const hostName = (i: number): string => `${String(i).padStart(2, '0')}-${'a'.repeat(37)}`;
const DB = `${'d'.repeat(38)}-1`;

/** 60 hosts (local: no SSH key needed), supervisor with a 1024-character config path, one shared database. */
export function extremeConfig(hosts = HOSTS): Config {
  const path = `/${'p'.repeat(1023)}`;
  const doc = {
    hosts: Array.from({ length: hosts }, (_, i) => ({
      name: hostName(i),
      transport: 'local',
      app: { manager: 'supervisor', supervisorConfig: path, service: 's'.repeat(128) },
      mysql: { user: 'mm', passwordEnv: 'MM_DB_PASSWORD', name: DB },
    })),
    slack: { approvers: [APPROVER] },
  };
  return testConfig(doc, { MM_DB_PASSWORD: 'x' });
}

export async function everyMessage(config: Config, hostText: (i: number) => string): Promise<BuiltMessage[]> {
  const names = config.hosts.map((h) => h.name);
  // A host's words wherever they can go: cause titles, evidence, advice, check summaries.
  const hostCause = (i: number, restartHelps = true): Cause =>
    cause('db-connection-dropped', {
      title: hostText(i),
      evidence: Array.from({ length: 8 }, (_, j) => hostText(i + j)),
      advice: hostText(i + 9),
      restartHelps,
    });
  const hostReport = (name: string, status: HostReport['status'], i: number): HostReport =>
    report(name, {
      status,
      durationMs: 420,
      checks: CHECK_IDS.map((id, j) => check(id, status === 'ok' ? 'ok' : j % 2 ? 'fail' : 'unknown', hostText(i + j))),
      causes: status === 'ok' ? [] : [hostCause(i, i % 2 === 0), hostCause(i + 1)],
    });
  const failing = names.map((n, i) => hostReport(n, 'fail', i));
  const silence = { until: NOW + 3_600_000, reason: hostText(99), by: `<@${APPROVER}>` };
  const silences = new Map(names.map((n) => [n, silence]));
  const host = config.hosts[0]!;
  const row: RestartRow = {
    id: 'r'.repeat(16),
    host: host.name,
    command: restartShellCommandText(host.app),
    requested_by: REQUESTER,
    requested_at: NOW,
    expires_at: NOW + 300_000,
    state: 'pending',
    decided_by: APPROVER,
    channel: 'C0ALERTS1',
    message_ts: '1.2',
    thread_ts: null,
    started_at: null,
    finished_at: null,
    exit_code: null,
    outcome: null,
  };
  const request: RestartRequest = {
    row,
    host,
    address: `${hostAddress(host)} ${'a'.repeat(1000)}`,
    commandText: row.command,
    report: failing[0]!,
    warnings: restartWarnings({ ...failing[0]!, causes: Array.from({ length: 13 }, (_, i) => hostCause(i, false)) }),
    dryRun: true,
  };

  const answers: [string, Answer][] = [
    ['status of one failing host', { kind: 'reports', visibility: 'channel', reports: [failing[0]!], detail: true, silences }],
    ['status of 60 failing hosts', { kind: 'reports', visibility: 'channel', reports: failing, detail: false, silences }],
    [
      'status of 60 hosts, a few failing, all silenced',
      { kind: 'reports', visibility: 'channel', reports: names.map((n, i) => hostReport(n, i % 7 ? 'ok' : 'warn', i)), detail: false, silences },
    ],
    [
      '50 log lines of 5000 characters',
      {
        kind: 'log-lines',
        visibility: 'channel',
        host: host.name,
        lines: Array.from({ length: 50 }, (_, i) => hostText(i)),
        report: failing[0]!,
        problem: undefined,
      },
    ],
    ['an unreadable log', { kind: 'log-lines', visibility: 'channel', host: host.name, lines: [], report: failing[0]!, problem: hostText(3) }],
    ['no error lines', { kind: 'log-lines', visibility: 'channel', host: host.name, lines: [], report: failing[0]!, problem: undefined }],
    ['a support bundle', { kind: 'file', visibility: 'channel', filename: 'b.txt', title: hostText(1), content: hostText(2), summary: hostText(3) }],
    [
      '60 hosts listed',
      {
        kind: 'hosts',
        visibility: 'ephemeral',
        hosts: config.hosts.map((h, i) => ({
          name: h.name,
          address: `${h.name}.example:22`,
          service: `supervisor ${h.app.service}`,
          last: { status: 'fail', at: NOW, cause: 'db-connection-dropped' },
          silence: i % 2 ? silence : undefined,
        })),
      },
    ],
    [
      'help with an unknown command',
      {
        kind: 'help',
        visibility: 'ephemeral',
        intro: `unknown command "${hostText(4)}"`,
        commands: Array.from({ length: 14 }, (_, i) => ({ usage: `cmd${i} HOST [ARGS]`, description: hostText(i).slice(0, 200) })),
      },
    ],
    ['a long note', { kind: 'note', visibility: 'channel', text: `🔕 ${host.name} silenced by <@${APPROVER}> (${hostText(5)})` }],
    [
      '2000 history entries',
      {
        kind: 'history',
        visibility: 'ephemeral',
        host: undefined,
        incidents: Array.from({ length: 2000 }, (_, i) => ({
          kind: i % 3 ? 'incident' : 'restart',
          subject: names[i % names.length]!,
          cause: 'db-connection-dropped',
          title: hostText(i),
          openedAt: NOW - i * 60_000,
          resolvedAt: i % 2 ? NOW : undefined,
        })),
      },
    ],
    ['a restart request', { kind: 'restart-request', visibility: 'channel', request }],
    ['an error', { kind: 'error', visibility: 'ephemeral', message: hostText(6), fix: hostText(7) }],
  ];
  const out: BuiltMessage[] = [];
  for (const [name, a] of answers) {
    const m = answerBlocks(a);
    out.push({ name, text: m.text, blocks: m.blocks });
    // What the adapter sends when the attached file could not be uploaded.
    if (m.overflow)
      out.push({
        name: `${name}, attachment failed`,
        text: m.text,
        blocks: withNotice(m.blocks, `:warning: the full answer could not be attached: ${mrkdwn(hostText(8))}`),
      });
  }

  // [Silence 1h] on the 60-host database alert: one answer for every host.
  const services = {
    config,
    incidents: { silence: (h: string, ms: number, reason: string, by: string) => ({ host: h, until: NOW + ms, reason, by, createdAt: NOW }) },
  } as unknown as CommandServices;
  const silenced = answerBlocks(await silenceFromAlert(dbKey(DB), { userId: APPROVER, source: 'slack' }, services));
  out.push({ name: 'silence of 60 hosts', text: silenced.text, blocks: silenced.blocks });

  const detail = hostCause(0, false);
  const tracker = (key: IncidentKey, hosts: readonly string[]): Tracker => ({
    key,
    subject: hosts.length > 1 ? `db ${DB}` : hosts[0]!,
    cause: 'db-connection-dropped',
    hosts,
    phase: 'firing',
    fails: 3,
    oks: 0,
    history: [],
    flapping: false,
    since: NOW - 600_000,
    posted: true,
    lastReminder: undefined,
    signature: undefined,
    detail,
    affected: names.map((n, i) => `${n}: app-unhealthy — ${hostText(i)}`),
  });
  const intents: Intent[] = [
    { kind: 'open', key: dbKey(DB), flapping: false },
    { kind: 'open', key: dbKey(DB), flapping: true },
    { kind: 'update', key: dbKey(DB), what: hostText(11) },
    { kind: 'remind', key: dbKey(DB), firingMs: 3_600_000 },
    { kind: 'flapping', key: dbKey(DB) },
    { kind: 'resolve', key: dbKey(DB), durationMs: 720_000, note: 'stopped flapping' },
    { kind: 'update', key: dbKey(DB), what: hostText(14), ackBy: APPROVER },
    { kind: 'escalate', key: dbKey(DB), oncall: [APPROVER, ONCALL_GROUP], afterMs: 900_000 },
  ];
  for (const t of [tracker(dbKey(DB), names), tracker(hostKey(host.name, 'db-connection-dropped'), [host.name])]) {
    for (const intent of intents) {
      for (const p of postsFor({ ...intent, key: t.key }, t, NOW))
        out.push({ name: `alert ${intent.kind} (${t.hosts.length} hosts) ${p.kind}`, text: p.message.text, blocks: p.message.blocks });
    }
    // The parent once acknowledged (and escalated), and the thread's lines for taking it and giving it back.
    const acked = alertParent({ ...t, escalated: true }, { by: APPROVER, at: NOW }, NOW);
    out.push({ name: `alert acknowledged (${t.hosts.length} hosts) edit-parent`, text: acked.text, blocks: acked.blocks });
    for (const taken of [true, false]) {
      const m = ackReply(APPROVER, taken);
      out.push({ name: `alert ${taken ? 'acknowledge' : 'unacknowledge'} reply`, text: m.text, blocks: m.blocks });
    }
  }

  for (const state of ['restarting', 'expired', 'cancelled', 'finished', 'abandoned'] as const) {
    const m = restartState(row, state, hostText(12));
    out.push({ name: `restart ${state}`, text: m.text, blocks: m.blocks });
  }
  const outcome = restartOutcome({ summary: `❌ the restart command failed (exit 1): ${hostText(13)}`, report: failing[0]! });
  out.push({ name: 'restart outcome', text: outcome.text, blocks: outcome.blocks });
  return out;
}
