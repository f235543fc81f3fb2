import { formatDuration } from '../config/duration.js';
import type { AppTarget, Thresholds } from '../config/types.js';
import { shq } from '../remote/shell-quote.js';
import type { Check, CheckOutcome, CheckStatus, Signal, Signals } from './check.js';
import { countOomKills, logCounts, parseAppLog, parseJournal, type LogCounts } from './parse-app-log.js';
import { splitSections } from './sections.js';

/** What the logs say, by signal: the runbook's MySQL errors, Waitress queueing, the OOM killer. */
export type LogSignalId = 'gone-away' | 'lost-connection' | 'cant-connect' | 'too-many-connections' | 'queue-depth' | 'oom-kill';

export interface LogsDetails extends LogCounts {
  readonly windowMs: number;
  readonly since: string;
  readonly file: string;
  /** Null when the file was read; else why not (missing, permission). */
  readonly fileError: string | null;
  readonly journalEntries: number | null;
  readonly oomKills: number | null;
  /** Each signal found in the window, with the evidence line that reports it. */
  readonly signals: Signals<LogSignalId>;
}

/**
 * The app log's tail (bounded by lines), the host's own clock (log times are host-local), and with
 * systemd the unit's journal and the kernel's OOM lines, where the bot's user may read them.
 */
export function logsProbeCommand(app: AppTarget, t: Pick<Thresholds, 'logTailLines' | 'logWindow'>): string {
  const mins = Math.max(1, Math.ceil(t.logWindow / 60_000));
  const parts = ["echo @@now; date '+%Y-%m-%d %H:%M:%S'", `echo @@log; tail -n ${t.logTailLines} -- ${shq(app.logFile)} 2>&1 || echo @@log-failed`];
  if (app.manager === 'systemd') {
    parts.push(
      `echo @@journal; journalctl -u ${shq(app.service)} --since ${shq(`-${mins}min`)} --no-pager -q -o short-iso 2>/dev/null | tail -n ${t.logTailLines}`,
      `echo @@kernel; journalctl -k --since ${shq(`-${mins}min`)} --no-pager -q 2>/dev/null | grep -i 'killed process' | tail -n 50`,
    );
  }
  return parts.join('; ');
}

export const logsCheck: Check<'logs', LogsDetails> = {
  id: 'logs',
  applies: () => true,
  async run({ host, thresholds, transport }) {
    const res = await transport.exec(logsProbeCommand(host.app, thresholds), { timeoutMs: thresholds.commandTimeout, maxBytes: thresholds.maxOutputBytes });
    return evaluateLogs(res.stdout, host.app, thresholds);
  },
};

/** Pure: sections → signals in the window. */
export function evaluateLogs(output: string, app: Pick<AppTarget, 'logFile'>, t: Pick<Thresholds, 'logWindow'>): CheckOutcome<LogsDetails> {
  const s = splitSections(output);
  const now = (s.get('now') ?? '').trim();
  const since = windowStart(now, t.logWindow);
  const failed = s.has('log-failed');
  const fileText = s.get('log') ?? '';
  const fileError = failed ? fileText.trim().split('\n').pop()?.trim() || 'cannot read the log file' : null;
  const fileEntries = failed ? [] : parseAppLog(fileText, since);
  const journal = s.has('journal') ? parseJournal(s.get('journal') ?? '') : null;
  // The app often logs each line to both the file and the journal: take the richer source, don't add.
  const entries = journal && journal.length > fileEntries.length ? journal : fileEntries;
  const sig = logCounts(entries);
  const oomKills = s.has('kernel') ? countOomKills(s.get('kernel') ?? '') : null;
  const win = formatDuration(t.logWindow);
  const signals = logSignalsIn(sig, oomKills, win);
  const details: LogsDetails = {
    ...sig,
    windowMs: t.logWindow,
    since,
    file: app.logFile,
    fileError,
    journalEntries: journal ? journal.length : null,
    oomKills,
    signals,
  };

  // The evidence lines are the signals' own: a rule quoting a signal quotes this check.
  const evidence = Object.values(signals).flatMap((x) => (x ? [x.evidence] : []));
  const dbErrors = sig.goneAway + sig.lostConnection + sig.cantConnect + sig.tooManyConnections;
  const top = topSignature(sig);

  let status: CheckStatus = 'ok';
  if (sig.errors > 0 || sig.queueDepthWarnings > 0 || fileError) status = 'warn';
  if (dbErrors > 0 || (oomKills ?? 0) > 0 || sig.errors >= 10 || sig.maxQueueDepth >= 10) status = 'fail';

  let summary =
    sig.errors === 0 && sig.queueDepthWarnings === 0
      ? `no errors in ${win}`
      : `${sig.errors} error${sig.errors === 1 ? '' : 's'} in ${win}${top ? `, ${top}` : ''}`;
  // An unreadable log never reads as "no errors": say so first, with the fix; the journal's
  // lines, when there are any, follow.
  if (fileError) {
    const cannot = `cannot read ${app.logFile}: ${fileError} — ${unreadableFix(fileError, app.logFile)}`;
    summary = entries.length ? `${cannot}; journal: ${summary}` : cannot;
    evidence.unshift(cannot);
  }
  return { status, summary, details, evidence };
}

/** The signals found, in the order their evidence lines are reported. */
function logSignalsIn(sig: LogCounts, oomKills: number | null, win: string): Signals<LogSignalId> {
  const found: [LogSignalId, Signal][] = [];
  const add = (id: LogSignalId, count: number, evidence: string): void => {
    if (count) found.push([id, { count, evidence }]);
  };
  add('gone-away', sig.goneAway, `${sig.goneAway}× "MySQL server has gone away" (2006) in ${win}`);
  add('lost-connection', sig.lostConnection, `${sig.lostConnection}× "Lost connection to MySQL server" (2013) in ${win}`);
  add('cant-connect', sig.cantConnect, `${sig.cantConnect}× "Can't connect to MySQL server" (2003) in ${win}`);
  add('too-many-connections', sig.tooManyConnections, `${sig.tooManyConnections}× "Too many connections" (1040) in ${win}`);
  add('queue-depth', sig.queueDepthWarnings, `${sig.queueDepthWarnings}× Waitress "Task queue depth is N" in ${win}, up to ${sig.maxQueueDepth}`);
  add('oom-kill', oomKills ?? 0, `${oomKills} OOM kill${oomKills === 1 ? '' : 's'} in the kernel log in ${win}`);
  return Object.fromEntries(found);
}

function unreadableFix(error: string, file: string): string {
  if (/no such file/i.test(error)) return `check app.logFile in the config (the app may log elsewhere, or not have started yet)`;
  return `make it readable by the bot's user (e.g. chgrp adm ${file}; chmod 0640 ${file}; usermod -aG adm USER)`;
}

function topSignature(sig: LogCounts): string | undefined {
  const ranked: [number, string][] = [
    [sig.goneAway, '"MySQL server has gone away"'],
    [sig.lostConnection, '"Lost connection to MySQL server"'],
    [sig.cantConnect, `"Can't connect to MySQL server"`],
    [sig.tooManyConnections, '"Too many connections"'],
    [sig.queueDepthWarnings, `"Task queue depth" (max ${sig.maxQueueDepth})`],
  ];
  const best = ranked.filter(([n]) => n > 0).sort((a, b) => b[0] - a[0])[0];
  return best ? `${best[0]}× ${best[1]}` : undefined;
}

/** "2024-01-15 10:23:45" minus a window, in the same naive host-local format. */
export function windowStart(now: string, windowMs: number): string {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)$/.exec(now);
  if (!m) return '0000-00-00 00:00:00'; // host gave no clock: keep every line of the tail
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) - windowMs;
  return new Date(t).toISOString().slice(0, 19).replace('T', ' ');
}
