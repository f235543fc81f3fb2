import { redact } from '../boundary/redact.js';

export interface LogEntry {
  /** Host-local wall time as written, compared only with the host's own "now". */
  readonly at: string;
  readonly level: string;
  /** The first line; continuation lines (tracebacks) are not kept… */
  readonly message: string;
  readonly traceback: boolean;
  /**
   * …except the traceback's final exception line: Flask logs "Exception on /report [GET]" and the
   * real cause (…OperationalError: (2013, 'Lost connection…')) only at the end of the traceback.
   */
  readonly exception: string | null;
}

/** How many of each runbook signature the log's entries show (logs-check.ts makes signals of them). */
export interface LogCounts {
  readonly entries: number;
  readonly errors: number;
  readonly warnings: number;
  readonly goneAway: number;
  readonly lostConnection: number;
  readonly cantConnect: number;
  readonly tooManyConnections: number;
  readonly queueDepthWarnings: number;
  readonly maxQueueDepth: number;
  readonly tracebacks: number;
  readonly lastErrors: readonly string[];
}

// The runbook's Flask format: '%(asctime)s %(levelname)s: %(message)s [in %(pathname)s:%(lineno)d]'
//   2024-01-15 10:23:45,123 ERROR: Health check failed: (2006, "MySQL server has gone away") [in /opt/moneymind/app.py:88]
const ENTRY = /^(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d)(?:[,.]\d+)?\s+(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL)\b:?\s?(.*)$/;

// A traceback's closing line, unindented: "sqlalchemy.exc.OperationalError: (pymysql…) (2013, …)"
const EXCEPTION_LINE = /^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)\b.*?:/;

/**
 * Splits an app log into entries and keeps those at or after `since` (same host-local format,
 * "YYYY-MM-DD HH:MM:SS": plain string order is time order). Lines without a timestamp belong to
 * the entry above them (tracebacks).
 */
export function parseAppLog(text: string, since: string): LogEntry[] {
  const out: { at: string; level: string; message: string; traceback: boolean; exception: string | null }[] = [];
  let current: (typeof out)[number] | undefined;
  for (const line of text.split('\n')) {
    const m = ENTRY.exec(line);
    if (m) {
      current = {
        at: (m[1] as string).replace('T', ' '),
        level: normalizeLevel(m[2] as string),
        message: (m[3] as string).trim(),
        traceback: false,
        exception: null,
      };
      if (current.at >= since) out.push(current);
      else current = undefined;
    } else if (current && line.startsWith('Traceback (most recent call last)')) {
      current.traceback = true;
    } else if (current?.traceback && EXCEPTION_LINE.test(line)) {
      current.exception = redact(line).slice(0, 500);
    }
  }
  return out;
}

/**
 * Journal lines (`journalctl -u SERVICE -o short-iso`), already limited to the window by
 * --since. Example input:
 *   2024-01-15T10:23:45+0000 web1 python3[812]: 2024-01-15 10:23:45,120 ERROR: ... gone away
 * The level is taken from the message when present, else lines are counted as INFO.
 */
export function parseJournal(text: string): LogEntry[] {
  const out: LogEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\S*\s+\S+\s+[^:]+:\s?(.*)$/.exec(line);
    if (!m) continue;
    const msg = m[2] as string;
    const inner = ENTRY.exec(msg);
    const level = inner ? normalizeLevel(inner[2] as string) : /\b(error|exception|traceback)\b/i.test(msg) ? 'ERROR' : 'INFO';
    out.push({
      at: (m[1] as string).replace('T', ' '),
      level,
      message: inner ? (inner[3] as string) : msg,
      traceback: msg.startsWith('Traceback'),
      exception: null,
    });
  }
  return out;
}

/** Counts the runbook's signatures in entries (causes 1 and 3). */
export function logCounts(entries: readonly LogEntry[]): LogCounts {
  let errors = 0;
  let warnings = 0;
  let goneAway = 0;
  let lostConnection = 0;
  let cantConnect = 0;
  let tooMany = 0;
  let queue = 0;
  let maxDepth = 0;
  let tracebacks = 0;
  const lastErrors: string[] = [];
  for (const e of entries) {
    if (e.level === 'ERROR' || e.level === 'CRITICAL') {
      errors++;
      // Redacted before the cut, which could otherwise keep the first half of a password.
      lastErrors.push(redact(`${e.at} ${e.level}: ${e.message}`).slice(0, 300));
    }
    if (e.level === 'WARNING') warnings++;
    if (e.traceback) tracebacks++;
    const text = e.exception ? `${e.message}\n${e.exception}` : e.message;
    // pymysql/mysqlclient error numbers: 2006 gone away, 2013 lost during query, 2003 cannot connect, 1040 too many.
    if (/MySQL server has gone away|\(2006,/.test(text)) goneAway++;
    if (/Lost connection to MySQL server|\(2013,/.test(text)) lostConnection++;
    if (/Can't connect to MySQL server|\(2003,/.test(text)) cantConnect++;
    if (/Too many connections|\(1040,/.test(text)) tooMany++;
    const depth = /Task queue depth is (\d+)/.exec(e.message);
    if (depth) {
      queue++;
      maxDepth = Math.max(maxDepth, Number(depth[1]));
    }
  }
  return {
    entries: entries.length,
    errors,
    warnings,
    goneAway,
    lostConnection,
    cantConnect,
    tooManyConnections: tooMany,
    queueDepthWarnings: queue,
    maxQueueDepth: maxDepth,
    tracebacks,
    lastErrors: lastErrors.slice(-50),
  };
}

/** Kernel OOM-killer lines (`journalctl -k`), where the bot's user may read them. */
export function countOomKills(text: string): number {
  // One kill logs several lines (invoked oom-killer, oom-kill:constraint=…, Killed process N);
  // only the last names the victim, so it alone is counted.
  return text.split('\n').filter((l) => /out of memory: Killed process \d+/i.test(l)).length;
}

function normalizeLevel(level: string): string {
  if (level === 'WARN') return 'WARNING';
  if (level === 'FATAL') return 'CRITICAL';
  return level;
}
