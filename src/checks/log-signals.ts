import { redact } from '../boundary/redact.js';
import { isErrorLevel } from './log-levels.js';
import { EXCEPTION_LINE, type LogRecord } from './log-records.js';
import { formatLocal } from './log-time.js';
import { accessDeniedCodes, MYSQL_ERRORS, type MysqlErrorId, poolLimit } from './mysql-errors.js';

/** One Waitress "Task queue depth is N" record: the shape over time tells hung from busy. */
export interface QueueSample {
  readonly atMs: number | null;
  readonly depth: number;
}

/** What the app's records show, each signal counted once per record. */
export interface LogCounts {
  readonly records: number;
  readonly errors: number;
  readonly warnings: number;
  readonly tracebacks: number;
  /** Records naming each MySQL/SQLAlchemy error. */
  readonly mysql: Readonly<Record<MysqlErrorId, number>>;
  /** 1205/1213 records logged as errors (given up) vs below (a retry logged as a warning). */
  readonly lockErrors: number;
  readonly lockRetries: number;
  /** "1045", "1698": the access-denied numbers seen. */
  readonly accessDeniedCodes: readonly string[];
  /** "5+10": pool_size + max_overflow as the QueuePool error states them. */
  readonly poolLimit: string | null;
  readonly queueDepths: readonly QueueSample[];
  readonly maxQueueDepth: number;
  /** gunicorn: "WORKER TIMEOUT (pid:N)" records, and workers the arbiter saw die by a signal. */
  readonly workerTimeouts: number;
  readonly workerKills: number;
  readonly workerKillSignals: readonly string[];
  readonly lastErrors: readonly string[];
}

const WORKER_TIMEOUT = /WORKER TIMEOUT \(pid:\d+\)/;
// "Worker with pid 4243 was terminated due to signal 9" · "Worker (pid:4243) was sent SIGKILL! Perhaps out of memory?"
const WORKER_KILLED = /Worker with pid \d+ was terminated due to signal (\d+)|Worker \(pid:\d+\) was sent (SIG[A-Z]+)/;
const QUEUE_DEPTH = /Task queue depth is (\d+)/;
const TRACEBACK = /^Traceback \(most recent call last\)|^Exception in thread /m;

/** Pure: records → counts. `offsetMin` writes the error lines' times in the host's local time. */
export function countSignals(records: readonly LogRecord[], offsetMin: number): LogCounts {
  const mysql = Object.fromEntries(MYSQL_ERRORS.map(([id]) => [id, 0])) as Record<MysqlErrorId, number>;
  let errors = 0;
  let warnings = 0;
  let tracebacks = 0;
  let lockErrors = 0;
  let lockRetries = 0;
  let workerTimeouts = 0;
  let workerKills = 0;
  let pool: string | null = null;
  const codes = new Set<string>();
  const killSignals = new Set<string>();
  const queue: QueueSample[] = [];
  const lastErrors: string[] = [];

  for (const r of records) {
    const text = r.lines.join('\n');
    const error = isErrorLevel(r.level);
    if (error) {
      errors++;
      lastErrors.push(errorLine(r, offsetMin));
    }
    if (r.level === 'WARNING') warnings++;
    if (TRACEBACK.test(text)) tracebacks++;
    for (const [id, re] of MYSQL_ERRORS) if (re.test(text)) mysql[id]++;
    for (const c of accessDeniedCodes(text)) codes.add(c);
    if (pool === null) pool = poolLimit(text);
    if (/\((?:1205|1213), |Lock wait timeout exceeded|Deadlock found/.test(text)) {
      if (error) lockErrors++;
      else lockRetries++;
    }
    const depth = QUEUE_DEPTH.exec(text);
    if (depth) queue.push({ atMs: r.atMs, depth: Number(depth[1]) });
    if (WORKER_TIMEOUT.test(text)) workerTimeouts++;
    const killed = WORKER_KILLED.exec(text);
    if (killed) {
      workerKills++;
      killSignals.add(killed[1] ? signalName(killed[1]) : (killed[2] as string));
    }
  }
  return {
    records: records.length,
    errors,
    warnings,
    tracebacks,
    mysql,
    lockErrors,
    lockRetries,
    accessDeniedCodes: [...codes].sort(),
    poolLimit: pool,
    queueDepths: queue.slice(-500),
    maxQueueDepth: queue.reduce((m, q) => Math.max(m, q.depth), 0),
    workerTimeouts,
    workerKills,
    workerKillSignals: [...killSignals].sort(),
    lastErrors: lastErrors.slice(-50),
  };
}

/**
 * "2024-05-01 10:00:00 ERROR: Exception on /report [GET] → sqlalchemy.exc.OperationalError: (…) (2013, …)":
 * the record's first line and, for a traceback, its final exception line, where the cause is.
 * Redacted before the cut, which could otherwise keep the first half of a password.
 */
function errorLine(r: LogRecord, offsetMin: number): string {
  const at = r.atMs !== null ? `${formatLocal(r.atMs, offsetMin)} ` : '';
  const exception = [...r.lines].reverse().find((l) => EXCEPTION_LINE.test(l) && l !== r.lines[0]);
  const first = (r.lines[0] ?? '').trim();
  return redact(`${at}${r.level}: ${first}${exception ? ` → ${exception.trim()}` : ''}`).slice(0, 300);
}

function signalName(n: string): string {
  const names: Record<string, string> = { '6': 'SIGABRT', '9': 'SIGKILL', '11': 'SIGSEGV', '15': 'SIGTERM' };
  return names[n] ?? `signal ${n}`;
}
