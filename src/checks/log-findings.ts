import type { Signal, Signals } from './check.js';
import type { LogCounts, QueueSample } from './log-signals.js';
import type { CrashEvents } from './parse-crash-events.js';
import type { OomKill } from './parse-kernel-oom.js';

/** What the logs say, by signal (ids are what rules read; README "Checks"). */
export type LogSignalId =
  | 'gone-away'
  | 'lost-connection'
  | 'cant-connect'
  | 'too-many-connections'
  | 'pool-exhausted'
  | 'access-denied'
  | 'lock-error'
  | 'lock-retried'
  | 'queue-depth'
  | 'workers-hung'
  | 'worker-timeout'
  | 'oom-kill'
  | 'crash-loop';

/** Who the OOM killer hit, as far as the host's own records tell. */
export type OomVictim = 'app' | 'db' | 'other';
export interface VictimKill extends OomKill {
  readonly victim: OomVictim;
}

/** Waitress' queue never drained: the depth only rose over the whole span. */
export interface HungQueue {
  readonly fromDepth: number;
  readonly toDepth: number;
  readonly spanMs: number;
  readonly samples: number;
}

/**
 * Waitress logs "Task queue depth is N" when a request is queued while every thread is busy; a
 * queue that drains is not logged, so the next burst starts again at 1. The depth rising without
 * a single drop for `afterMs` (2 → 12 over 3 minutes) therefore means no thread came back in that
 * time: they are stuck, not busy. A burst (1…11 within a second, then 2 later) is not.
 */
export function hungQueue(samples: readonly QueueSample[], afterMs: number): HungQueue | null {
  const timed = samples.filter((s): s is { atMs: number; depth: number } => s.atMs !== null);
  let i = timed.length - 1;
  if (i < 0) return null;
  while (i > 0 && timed[i - 1]!.depth <= timed[i]!.depth) i--;
  const first = timed[i]!;
  const last = timed[timed.length - 1]!;
  const span = last.atMs - first.atMs;
  if (timed.length - i < 3 || span < afterMs || last.depth <= first.depth) return null;
  return { fromDepth: first.depth, toDepth: last.depth, spanMs: span, samples: timed.length - i };
}

export interface FindingsInput {
  readonly counts: LogCounts;
  readonly hung: HungQueue | null;
  readonly kills: readonly VictimKill[] | null;
  readonly crashes: CrashEvents | null;
  readonly service: string;
  /** "15 min" */
  readonly window: string;
  readonly minutes: (ms: number) => string;
}

/** The signals found, in the order their evidence lines are reported (the more specific first). */
export function logSignals(x: FindingsInput): Signals<LogSignalId> {
  const { counts: c, window: win } = x;
  const found: [LogSignalId, Signal][] = [];
  const add = (id: LogSignalId, count: number, evidence: string): void => {
    if (count > 0) found.push([id, { count, evidence }]);
  };
  const m = c.mysql;
  add('gone-away', m['gone-away'], `${m['gone-away']}× "MySQL server has gone away" (2006) in ${win}`);
  add('lost-connection', m['lost-connection'], `${m['lost-connection']}× "Lost connection to MySQL server" (2013) in ${win}`);
  add('cant-connect', m['cant-connect'], `${m['cant-connect']}× "Can't connect to MySQL server" (2003/2002) in ${win}`);
  add('too-many-connections', m['too-many-connections'], `${m['too-many-connections']}× "Too many connections" (1040) in ${win}`);
  add(
    'pool-exhausted',
    m['pool-exhausted'],
    `${m['pool-exhausted']}× SQLAlchemy "QueuePool limit … reached, connection timed out"${c.poolLimit ? ` (pool ${c.poolLimit})` : ''} in ${win}`,
  );
  add('access-denied', m['access-denied'], `${m['access-denied']}× MySQL "Access denied" (${c.accessDeniedCodes.join('/') || 'no number'}) in ${win}`);
  add('lock-error', c.lockErrors, `${c.lockErrors}× lock wait timeout (1205) or deadlock (1213) logged as an error in ${win}`);
  add('lock-retried', c.lockRetries, `${c.lockRetries}× lock wait timeout or deadlock retried (logged below error) in ${win}`);
  if (x.hung)
    add(
      'workers-hung',
      1,
      `Waitress queue depth rose ${x.hung.fromDepth} → ${x.hung.toDepth} over ${x.minutes(x.hung.spanMs)} without ever draining ` +
        `(${x.hung.samples} "Task queue depth" lines)`,
    );
  add('queue-depth', c.queueDepths.length, `${c.queueDepths.length}× Waitress "Task queue depth is N" in ${win}, up to ${c.maxQueueDepth}`);
  const killed = c.workerKills ? `, ${c.workerKills} worker${c.workerKills === 1 ? '' : 's'} killed (${c.workerKillSignals.join(', ')})` : '';
  add('worker-timeout', c.workerTimeouts + c.workerKills, `${c.workerTimeouts}× gunicorn "WORKER TIMEOUT"${killed} in ${win}`);
  const kills = x.kills ?? [];
  const unitOom = x.crashes?.oomKills ?? 0;
  if (kills.length) add('oom-kill', kills.length, oomEvidence(kills, win));
  else
    add('oom-kill', unitOom, `systemd: a process of ${x.service} was killed by the OOM killer (${unitOom}× in ${win}; the kernel's lines were not readable)`);
  const cr = x.crashes;
  if (cr && (cr.exits >= 2 || cr.gaveUp)) add('crash-loop', Math.max(cr.exits, 1), crashEvidence(cr, win));
  return Object.fromEntries(found);
}

const VICTIM: Record<OomVictim, string> = { app: 'the app', db: 'the database', other: 'not the app' };

function oomEvidence(kills: readonly VictimKill[], win: string): string {
  const each = kills
    .slice(-3)
    .map(
      (k) =>
        `${k.name}${k.pid !== null ? ` pid ${k.pid}` : ''} ` +
        `(${VICTIM[k.victim]}${k.memcg ? ', its cgroup memory limit' : ''}${k.by === 'systemd-oomd' ? ', by systemd-oomd' : ''})`,
    );
  return `${kills.length} OOM kill${kills.length === 1 ? '' : 's'} in ${win}: ${each.join(', ')}${kills.length > 3 ? ', …' : ''}`;
}

function crashEvidence(c: CrashEvents, win: string): string {
  const parts = [`${c.exits} unexpected exit${c.exits === 1 ? '' : 's'} in ${win}${c.lastExit ? ` (last: "${c.lastExit}")` : ''}`];
  if (c.restartCounter !== null) parts.push(`restart counter at ${c.restartCounter}`);
  if (c.gaveUp) parts.push(`${c.manager === 'systemd' ? 'systemd' : 'supervisord'} gave up: "${c.gaveUp}"`);
  return parts.join('; ');
}

/** The check's status from what it found; a rule decides the cause, this only says how bad the log looks. */
export function logsStatus(
  s: Signals<LogSignalId>,
  c: LogCounts,
  x: { kills: readonly VictimKill[] | null; crashes: CrashEvents | null },
): 'ok' | 'warn' | 'fail' {
  const dbErrors = ['gone-away', 'lost-connection', 'cant-connect', 'too-many-connections', 'pool-exhausted', 'access-denied', 'lock-error'] as const;
  const appOrDbKilled = (x.kills ?? []).some((k) => k.victim !== 'other') || (x.crashes?.oomKills ?? 0) > 0;
  if (
    dbErrors.some((id) => s[id]) ||
    s['workers-hung'] ||
    s['worker-timeout'] ||
    appOrDbKilled ||
    (s['crash-loop'] && (x.crashes?.gaveUp || (x.crashes?.exits ?? 0) >= 3)) ||
    c.errors >= 10 ||
    c.maxQueueDepth >= 10
  )
    return 'fail';
  if (c.errors > 0 || Object.keys(s).length > 0 || (x.crashes?.exits ?? 0) > 0) return 'warn';
  return 'ok';
}

/** "12× "Task queue depth" (max 11)": the most frequent signal, for the one-line summary. */
export function topSignature(s: Signals<LogSignalId>, c: LogCounts): string | undefined {
  const label: Partial<Record<LogSignalId, string>> = {
    'gone-away': '"MySQL server has gone away"',
    'lost-connection': '"Lost connection to MySQL server"',
    'cant-connect': `"Can't connect to MySQL server"`,
    'too-many-connections': '"Too many connections"',
    'pool-exhausted': '"QueuePool limit … reached"',
    'access-denied': '"Access denied"',
    'lock-error': 'lock wait timeout/deadlock',
    'queue-depth': `"Task queue depth" (max ${c.maxQueueDepth})`,
    'worker-timeout': '"WORKER TIMEOUT"',
  };
  const ranked = (Object.keys(label) as LogSignalId[])
    .map((id) => [s[id]?.count ?? 0, label[id]] as const)
    .filter(([n]) => n > 0)
    .sort((a, b) => b[0] - a[0]);
  const best = ranked[0];
  return best ? `${best[0]}× ${best[1]}` : undefined;
}
