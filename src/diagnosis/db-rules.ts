import { findCheck } from '../checks/check-types.js';
import type { Rule } from './cause.js';
import { Evidence } from './evidence.js';

/** MySQL itself cannot be reached: restarting the app cannot help. */
export const dbUnreachable: Rule = ({ checks }) => {
  const db = findCheck(checks, 'db');
  const logs = findCheck(checks, 'logs');
  const health = findCheck(checks, 'health');
  const evidence = new Evidence();
  if (db?.error && (db.error.code === 'DB_CONNECT' || db.error.code === 'DB_AUTH')) evidence.quote('db', db.error.message);
  const now = health?.details?.signals['cant-connect'];
  if (now) evidence.quote('health', now.evidence);
  // Log lines are the past: when the bot reaches MySQL right now, earlier 2003s are not the cause.
  const reachableNow = db?.details !== null && db?.details !== undefined;
  const logged = logs?.details?.signals['cant-connect'];
  if (logged && !reachableNow) evidence.quote('logs', logged.evidence);
  if (!evidence.lines.length) return null;
  const auth = db?.error?.code === 'DB_AUTH';
  return {
    id: 'db-unreachable',
    severity: 'critical',
    title: auth ? 'MySQL refuses the monitoring account.' : 'The app host cannot reach MySQL.',
    evidence: evidence.lines,
    advice: auth
      ? "Check the password env var and the grants (GRANT PROCESS ON *.* TO 'monitor'@'localhost')."
      : 'Check MySQL is running (systemctl status mariadb / mysql), its bind address and port, and disk space on the DB host.',
    restartHelps: false,
    quotes: evidence.quotes,
  };
};

/**
 * Runbook cause 1: MySQL closes connections idle longer than wait_timeout; SQLAlchemy hands out a
 * dead one → 2006 "gone away" / 2013 "lost connection". Fires critical on log or health evidence,
 * as a warning on the configuration alone (pool_recycle > wait_timeout / 2).
 */
export const dbConnectionDropped: Rule = ({ checks, poolRecycle }) => {
  const db = findCheck(checks, 'db');
  const logs = findCheck(checks, 'logs');
  const health = findCheck(checks, 'health');
  const evidence = new Evidence();
  const fromHealth = health?.details?.signals;
  const nowSignal = fromHealth?.['gone-away'] ?? fromHealth?.['lost-connection'];
  const now = nowSignal !== undefined;
  if (nowSignal) evidence.quote('health', nowSignal.evidence);
  const fromLogs = logs?.details?.signals;
  const logged = [fromLogs?.['gone-away'], fromLogs?.['lost-connection']].flatMap((x) => (x ? [x.evidence] : []));
  const past = logged.length > 0;
  evidence.quote('logs', ...logged);
  const wait = db?.details?.waitTimeout ?? null;
  const recycle = db?.details?.signals['recycle-too-long'];
  const misconfigured = recycle !== undefined;
  if (recycle) evidence.quote('db', recycle.evidence);
  if (!now && !past && !misconfigured) return null;
  // Critical while the app is failing; log lines alone with a healthy app are the past: a
  // warning. So are they when /health fails with an error of its own (a 1045 now, 2013s earlier).
  const otherErrorNow = health?.details?.outcome === 'http-error' && !now;
  const critical = now || (past && health?.status === 'fail' && !otherErrorNow);
  const target = wait ? Math.max(1, Math.floor(wait / 2)) : null;
  const restartNote = now || past ? ' A restart clears it for a while.' : '';
  if (!misconfigured) {
    return {
      id: 'db-connection-dropped',
      severity: critical ? 'critical' : 'warning',
      title: 'The app used database connections that MySQL had already closed (2006/2013), although pool_recycle is within wait_timeout.',
      evidence: evidence.lines,
      advice:
        `Enable pool_pre_ping=True so dead pooled connections are replaced; ` +
        `check whether MySQL restarted or killed connections (Aborted_clients, the MySQL error log).${restartNote}`,
      restartHelps: true,
      quotes: evidence.quotes,
    };
  }
  return {
    id: 'db-connection-dropped',
    severity: critical ? 'critical' : 'warning',
    title: `MySQL drops idle connections after ${wait} s but the app recycles them only after ${poolRecycle} s.`,
    evidence: evidence.lines,
    advice: `Set pool_recycle ≤ ${target ?? 'half of wait_timeout'} and pool_pre_ping=True.${restartNote}`,
    restartHelps: true,
    quotes: evidence.quotes,
  };
};

/** All connection slots taken (max_connections) — often a pool without recycling, or a leak. */
export const dbConnectionsExhausted: Rule = ({ checks, thresholds }) => {
  const db = findCheck(checks, 'db');
  const logs = findCheck(checks, 'logs');
  const evidence = new Evidence();
  const d = db?.details;
  const pct = d && d.threadsConnected !== null && d.maxConnections ? (d.threadsConnected / d.maxConnections) * 100 : 0;
  // Written here from the numbers, with the sleeping connections the check's line leaves out.
  if (d && pct >= thresholds.dbConnectionsPercent)
    evidence.own(
      `${d.threadsConnected}/${d.maxConnections} connections in use, ${d.processlist.sleeping} sleeping (longest idle ${d.processlist.longestSleepSec} s)`,
    );
  const logged = logs?.details?.signals['too-many-connections'];
  if (logged) evidence.quote('logs', logged.evidence);
  if (!evidence.lines.length) return null;
  // "Too many connections" in the log while the DB check sees free slots right now is history: a warning.
  const fullNow = !!d && d.threadsConnected !== null && d.maxConnections !== null && d.threadsConnected >= d.maxConnections - 1;
  const full = fullNow || (!d && logged !== undefined);
  return {
    id: 'db-connections-exhausted',
    severity: full ? 'critical' : 'warning',
    title: 'MySQL is running out of connection slots.',
    evidence: evidence.lines,
    advice:
      'Keep pool_size + max_overflow (10 + 20) per app process well under max_connections, close sessions (db.session.close()), ' +
      'and look at who holds the sleeping connections (SHOW PROCESSLIST).',
    restartHelps: false,
    quotes: evidence.quotes,
  };
};
