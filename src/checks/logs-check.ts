import { formatDuration } from '../config/duration.js';
import type { AppTarget, Thresholds } from '../config/types.js';
import { shq } from '../remote/shell-quote.js';
import type { Check, CheckOutcome, Signals } from './check.js';
import { hungQueue, type HungQueue, type LogSignalId, logSignals, logsStatus, type OomVictim, topSignature, type VictimKill } from './log-findings.js';
import { formatLabel, type LogFormatId } from './log-formats.js';
import { groupRecords, type LogRecord } from './log-records.js';
import { countSignals, type LogCounts } from './log-signals.js';
import { type HostClock, parseHostClock, parseLogTime, parseSyslogTime } from './log-time.js';
import { type CrashEvents, supervisordCrashEvents, systemdCrashEvents, type TimedLine } from './parse-crash-events.js';
import { isManagerEntry, type JournalEntry, parseJournalJson } from './parse-journal-json.js';
import { type OomKill, parseOomKills } from './parse-kernel-oom.js';
import { readAppLog } from './read-app-log.js';
import { splitSections } from './sections.js';

export type { LogSignalId } from './log-findings.js';

export interface LogsDetails extends LogCounts {
  readonly windowMs: number;
  /** The window's start in the host's local time, "2024-05-01 10:00:00". */
  readonly since: string;
  readonly file: string;
  /** Null when the file was read; else why not (missing, permission). */
  readonly fileError: string | null;
  /** The file's record format, detected from its first lines (null: none known). */
  readonly format: LogFormatId | null;
  readonly containerPrefix: boolean;
  /** Lines in the window that fit no known format (still searched for the signals). */
  readonly unknownLines: number;
  /** With systemd: the unit's journal entries read (null: not read). */
  readonly journalEntries: number | null;
  /** OOM kills in the window (null: the kernel's log could not be read; kernelError says why). */
  readonly oomKills: readonly VictimKill[] | null;
  readonly kernelError: string | null;
  /** What the process manager said about exits and restarts (null: not read). */
  readonly crashes: CrashEvents | null;
  readonly hung: HungQueue | null;
  /** Each signal found in the window, with the evidence line that reports it. */
  readonly signals: Signals<LogSignalId>;
}

type LogsApp = Pick<AppTarget, 'logFile'> & Partial<Pick<AppTarget, 'service' | 'manager' | 'supervisorConfig'>>;
type LogsThresholds = Pick<Thresholds, 'logWindow'> & Partial<Pick<Thresholds, 'logTailLines' | 'workersHungAfter'>>;

// Kernel and systemd-oomd lines that name a kill (and journalctl's own word when it may not read them).
const KERNEL_GREP = "grep -aiE 'killed process|kill process|oom-kill:|out of memory|due to memory (pressure|used)|not seeing messages|permission'";
const SUPERVISOR_CONFS = ['/etc/supervisor/supervisord.conf', '/etc/supervisord.conf'];
const JOURNAL_FIELDS = 'MESSAGE,PRIORITY,SYSLOG_IDENTIFIER,_PID';
// The [supervisord] section's logfile= value, without an inline "; comment".
const LOGFILE_AWK = '/^[[]/{s=($0 ~ /^[[]supervisord[]]/)} s && /^[ \\t]*logfile[ \\t]*=/{sub(/^[^=]*=[ \\t]*/,""); sub(/[ \\t]*;.*$/,""); print; exit}';

/**
 * One exec, sections marked @@name: the host's clock (with its UTC offset), the app log's tail
 * (bounded by lines) and its mtime, the process manager's own words about the app (the unit's
 * journal as JSON, or supervisord's log, whose path its config names), and the kernel's OOM lines
 * (the journal, else /var/log/kern.log) where the bot's user may read them.
 */
export function logsProbeCommand(app: AppTarget, t: Pick<Thresholds, 'logTailLines' | 'logWindow'>): string {
  const mins = Math.max(1, Math.ceil(t.logWindow / 60_000));
  const since = shq(`-${mins}min`);
  const parts = [
    "echo @@now; date '+%Y-%m-%d %H:%M:%S %z'",
    `echo @@log-mtime; stat -c %Y -- ${shq(app.logFile)} 2>/dev/null`,
    `echo @@log; tail -n ${t.logTailLines} -- ${shq(app.logFile)} 2>&1 || echo @@log-failed`,
  ];
  if (app.manager === 'systemd') {
    parts.push(
      `echo @@journal; journalctl -u ${shq(app.service)} --since ${since} --no-pager -o json --output-fields=${JOURNAL_FIELDS} 2>&1 ` +
        `| tail -n ${t.logTailLines}`,
    );
  } else {
    // The log path is the config's [supervisord] logfile= (%(here)s is the config's directory).
    const confs = (app.supervisorConfig ? [app.supervisorConfig] : SUPERVISOR_CONFS).map(shq).join(' ');
    parts.push(
      `echo @@supervisord; for c in ${confs}; do [ -r "$c" ] && break; done; ` +
        `l=$(awk ${shq(LOGFILE_AWK)} "$c" 2>/dev/null); ` +
        `l=$(printf '%s' "$l" | sed "s|%(here)s|$(dirname "$c")|"); echo "@@supervisord-log $l"; ` +
        `tail -n ${t.logTailLines} -- "$l" 2>&1 | grep -aE 'spawned:|exited:|gave up:|tail: ' | tail -n 500`,
    );
  }
  parts.push(
    `echo @@kernel; if command -v journalctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then ` +
      `journalctl --since ${since} --no-pager -o json --output-fields=${JOURNAL_FIELDS} _TRANSPORT=kernel + SYSLOG_IDENTIFIER=systemd-oomd 2>&1 ` +
      `| ${KERNEL_GREP} | tail -n 200; ` +
      `elif [ -r /var/log/kern.log ]; then echo @@kern-log; tail -n 20000 /var/log/kern.log | ${KERNEL_GREP} | tail -n 200; ` +
      `else echo @@kernel-unreadable; fi`,
  );
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
export function evaluateLogs(output: string, app: LogsApp, t: LogsThresholds): CheckOutcome<LogsDetails> {
  const s = splitSections(output);
  const clock = parseHostClock(s.get('now') ?? '');
  const win = formatDuration(t.logWindow);
  const service = app.service ?? 'the app';

  const failed = s.has('log-failed');
  const fileText = s.get('log') ?? '';
  const fileError = failed ? fileText.trim().split('\n').pop()?.trim() || 'cannot read the log file' : null;
  const mtime = Number((s.get('log-mtime') ?? '').trim());
  const file = readAppLog(failed ? '' : fileText, clock.nowMs, clock.offsetMin, t.logWindow, Number.isFinite(mtime) && mtime > 0 ? mtime * 1000 : null);

  // The unit's journal: the app's own lines (stderr/stdout) and systemd's about the unit.
  const journal = s.has('journal') ? parseJournalJson(s.get('journal') ?? '') : null;
  const since = clock.nowMs === null ? null : clock.nowMs - t.logWindow;
  const recent = (e: { atMs: number | null }): boolean => since === null || e.atMs === null || e.atMs >= since;
  const journalApp = journal
    ? journalRecords(
        journal.entries.filter((e) => !isManagerEntry(e) && recent(e)),
        clock,
      )
    : null;
  // The app often logs each line to both the file and the journal: take the richer source, don't add.
  const records = journalApp && journalApp.length > file.records.length ? journalApp : file.records;
  const counts = countSignals(records, clock.offsetMin);

  const manager = crashEventsOf(s, journal?.entries.filter((e) => isManagerEntry(e) && recent(e)) ?? null, service, clock, t.logWindow);
  const crashes = manager.crashes;
  const kernel = kernelKills(s, clock, t.logWindow);
  const kills = kernel.kills ? kernel.kills.map((k) => ({ ...k, victim: victimOf(k, app, crashes) })) : null;
  const hung = hungQueue(counts.queueDepths, t.workersHungAfter ?? 180_000);
  const signals = logSignals({ counts, hung, kills, crashes, service, window: win, minutes: formatDuration });

  const details: LogsDetails = {
    ...counts,
    windowMs: t.logWindow,
    since: clock.nowMs === null ? '' : localTime(clock.nowMs - t.logWindow, clock),
    file: app.logFile,
    fileError,
    format: file.format,
    containerPrefix: file.containerPrefix,
    unknownLines: records === file.records ? file.unknownLines : 0,
    journalEntries: journal ? journal.entries.length : null,
    oomKills: kills,
    kernelError: kernel.error,
    crashes,
    hung,
    signals,
  };

  // The evidence lines are the signals' own: a rule quoting a signal quotes this check.
  const evidence = Object.values(signals).flatMap((x) => (x ? [x.evidence] : []));
  let status = logsStatus(signals, counts, { kills, crashes });
  if (fileError || details.unknownLines > 0) status = status === 'ok' ? 'warn' : status;

  const top = topSignature(signals, counts);
  const quiet = counts.errors === 0 && !Object.keys(signals).length;
  let summary = quiet ? `no errors in ${win}` : `${counts.errors} error${counts.errors === 1 ? '' : 's'} in ${win}`;
  if (top) summary += `, ${top}`;
  else if (!quiet && evidence[0]) summary += `; ${evidence[0]}`;
  // Lines the reader could not place never read as "no errors": say how many, first when nothing else was found.
  const unknown = `${details.unknownLines} line${details.unknownLines === 1 ? '' : 's'} in an unknown format`;
  if (details.unknownLines > 0) summary = quiet ? `${unknown} (no errors recognised in ${win})` : `${summary}; ${unknown}`;
  if (manager.error) summary += `; supervisord log: ${manager.error}`;
  if (kernel.error) summary += `; kernel log: ${kernel.error}`;
  // An unreadable log never reads as "no errors": say so first, with the fix; the journal's
  // lines, when there are any, follow.
  if (fileError) {
    const cannot = `cannot read ${app.logFile}: ${fileError} — ${unreadableFix(fileError, app.logFile)}`;
    summary = records.length ? `${cannot}; journal: ${summary}` : cannot;
    evidence.unshift(cannot);
  }
  return { status, summary, details, evidence };
}

/** The journal's app entries as records: PRIORITY is the level, the app's own record format too. */
function journalRecords(entries: readonly JournalEntry[], clock: HostClock): readonly LogRecord[] {
  const lines = entries.map((e) => ({ text: e.message, atMs: e.atMs, level: e.level, origin: `${e.identifier}[${e.pid}]` }));
  return groupRecords(lines, clock.offsetMin).records;
}

function crashEventsOf(
  s: Map<string, string>,
  manager: readonly JournalEntry[] | null,
  service: string,
  clock: HostClock,
  windowMs: number,
): { crashes: CrashEvents | null; error: string | null } {
  if (manager) return { crashes: systemdCrashEvents(manager.map((e) => ({ atMs: e.atMs, text: e.message }))), error: null };
  const text = s.get('supervisord');
  if (text === undefined) return { crashes: null, error: null };
  // "@@supervisord-log PATH" names the file read; tail's complaint, when there is one, says why not.
  const path = /^@@supervisord-log (.*)$/m.exec(text)?.[1]?.trim() ?? '';
  const failed = text.split('\n').find((l) => l.startsWith('tail: '));
  if (!path || failed)
    return { crashes: null, error: path ? `${failed?.slice(6).trim()} (make it readable by the bot's user)` : "no logfile= in supervisord's config" };
  const since = clock.nowMs === null ? null : clock.nowMs - windowMs;
  const lines: TimedLine[] = text
    .split('\n')
    .filter((l) => !l.startsWith('@@supervisord-log'))
    .map((l) => ({ atMs: parseLogTime(l.slice(0, 23), clock.offsetMin), text: l }))
    .filter((l) => since === null || (l.atMs !== null && l.atMs >= since));
  return { crashes: supervisordCrashEvents(lines, service), error: null };
}

/** The kernel's OOM lines from the journal (JSON) or kern.log, in the window; or why they are unreadable. */
function kernelKills(s: Map<string, string>, clock: HostClock, windowMs: number): { kills: OomKill[] | null; error: string | null } {
  if (s.has('kernel-unreadable')) return { kills: null, error: 'not readable (no systemd journal and no readable /var/log/kern.log)' };
  if (s.has('kern-log')) {
    const since = clock.nowMs === null ? null : clock.nowMs - windowMs;
    const lines = (s.get('kern-log') ?? '').split('\n').map((text) => ({ atMs: syslogTime(text, clock), text }));
    return { kills: parseOomKills(lines.filter((l) => since === null || (l.atMs !== null && l.atMs >= since))), error: null };
  }
  if (!s.has('kernel')) return { kills: null, error: null };
  const j = parseJournalJson(s.get('kernel') ?? '');
  if (!j.entries.length && j.notes.some((n) => /not seeing messages|permission/i.test(n)))
    return { kills: null, error: "not readable by the bot's user (add it to the systemd-journal or adm group)" };
  return { kills: parseOomKills(j.entries.map((e) => ({ atMs: e.atMs, text: e.message }))), error: null };
}

/** "Nov 25 22:05:31 web1 kernel: …" or rsyslog's "2024-05-01T10:00:00.123456+00:00 web1 kernel: …". */
function syslogTime(line: string, clock: HostClock): number | null {
  const iso = /^(\S+T\S+)\s/.exec(line);
  if (iso) return parseLogTime(iso[1] as string, clock.offsetMin);
  return parseSyslogTime(line.slice(0, 15), clock);
}

/**
 * The app's own process (its unit's cgroup, a pid supervisord spawned it as, or the app's SIGKILL
 * death logged by its manager within 3 s of the kill), MySQL, or another.
 */
function victimOf(k: OomKill, app: LogsApp, crashes: CrashEvents | null): OomVictim {
  const svc = app.service ?? '';
  const unit = svc.endsWith('.service') ? svc : `${svc}.service`;
  if (svc && k.cgroup?.split('/').includes(unit)) return 'app';
  if (k.pid !== null && crashes?.pids.includes(k.pid)) return 'app';
  if (k.atMs !== null && crashes?.sigkilledAt.some((t) => Math.abs(t - (k.atMs as number)) <= 3000)) return 'app';
  if (/^(?:mysqld|mariadbd|mysqld_safe|mariadb)$/.test(k.name) || /\/(?:mysql|mariadb|mysqld)\.service$/.test(k.cgroup ?? '')) return 'db';
  return 'other';
}

function localTime(ms: number, clock: HostClock): string {
  return new Date(ms + clock.offsetMin * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

function unreadableFix(error: string, file: string): string {
  if (/no such file/i.test(error)) return `check app.logFile in the config (the app may log elsewhere, or not have started yet)`;
  return `make it readable by the bot's user (e.g. chgrp adm ${file}; chmod 0640 ${file}; usermod -aG adm USER)`;
}

/** "2024-01-15 10:23:45" minus a window, in the same naive host-local format. */
export function windowStart(now: string, windowMs: number): string {
  const ms = parseLogTime(now, 0);
  if (ms === null) return '0000-00-00 00:00:00'; // host gave no clock: keep every line of the tail
  return localTime(ms - windowMs, { nowMs: ms, offsetMin: 0, local: now });
}

export { formatLabel };
