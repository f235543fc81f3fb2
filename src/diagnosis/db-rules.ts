import { findCheck } from '../checks/check-types.js';
import type { Rule } from './cause.js';

/** MySQL itself cannot be reached: restarting the app cannot help. */
export const dbUnreachable: Rule = ({ checks }) => {
  const db = findCheck(checks, 'db');
  const logs = findCheck(checks, 'logs');
  const health = findCheck(checks, 'health');
  const evidence: string[] = [];
  if (db?.error && (db.error.code === 'DB_CONNECT' || db.error.code === 'DB_AUTH')) evidence.push(db.error.message);
  if (health?.details?.error && /Can't connect to MySQL|\(2003,/.test(health.details.error)) evidence.push(health.summary);
  // Log lines are the past: when the bot reaches MySQL right now, earlier 2003s are not the cause.
  const reachableNow = db?.details !== null && db?.details !== undefined;
  if (logs?.details?.cantConnect && !reachableNow) evidence.push(...logs.evidence.filter((e) => e.includes("Can't connect")));
  if (!evidence.length) return null;
  const auth = db?.error?.code === 'DB_AUTH';
  return {
    id: 'db-unreachable',
    severity: 'critical',
    title: auth ? 'MySQL refuses the monitoring account.' : 'The app host cannot reach MySQL.',
    evidence,
    advice: auth
      ? "Check the password env var and the grants (GRANT PROCESS ON *.* TO 'monitor'@'localhost')."
      : 'Check MySQL is running (systemctl status mariadb / mysql), its bind address and port, and disk space on the DB host.',
    restartHelps: false,
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
  const evidence: string[] = [];
  const now = !!health?.details?.error && /gone away|Lost connection|\(2006,|\(2013,/.test(health.details.error);
  if (now) evidence.push(health.summary);
  const past = !!logs?.details && logs.details.goneAway + logs.details.lostConnection > 0;
  if (past && logs) evidence.push(...logs.evidence.filter((e) => /gone away|Lost connection/.test(e)));
  const wait = db?.details?.waitTimeout ?? null;
  const misconfigured = db?.details?.recycleOk === false;
  if (misconfigured) evidence.push(db.evidence.find((e) => e.includes('wait_timeout')) ?? db.summary);
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
      evidence,
      advice: `Enable pool_pre_ping=True so dead pooled connections are replaced; check whether MySQL restarted or killed connections (Aborted_clients, the MySQL error log).${restartNote}`,
      restartHelps: true,
    };
  }
  return {
    id: 'db-connection-dropped',
    severity: critical ? 'critical' : 'warning',
    title: `MySQL drops idle connections after ${wait} s but the app recycles them only after ${poolRecycle} s.`,
    evidence,
    advice: `Set pool_recycle ≤ ${target ?? 'half of wait_timeout'} and pool_pre_ping=True.${restartNote}`,
    restartHelps: true,
  };
};

/** All connection slots taken (max_connections) — often a pool without recycling, or a leak. */
export const dbConnectionsExhausted: Rule = ({ checks, thresholds }) => {
  const db = findCheck(checks, 'db');
  const logs = findCheck(checks, 'logs');
  const evidence: string[] = [];
  const d = db?.details;
  const pct = d && d.threadsConnected !== null && d.maxConnections ? (d.threadsConnected / d.maxConnections) * 100 : 0;
  if (d && pct >= thresholds.dbConnectionsPercent) evidence.push(`${d.threadsConnected}/${d.maxConnections} connections in use, ${d.processlist.sleeping} sleeping (longest idle ${d.processlist.longestSleepSec} s)`);
  if (logs?.details?.tooManyConnections) evidence.push(...logs.evidence.filter((e) => e.includes('Too many connections')));
  if (!evidence.length) return null;
  // "Too many connections" in the log while the DB check sees free slots right now is history: a warning.
  const fullNow = !!d && d.threadsConnected !== null && d.maxConnections !== null && d.threadsConnected >= d.maxConnections - 1;
  const full = fullNow || (!d && (logs?.details?.tooManyConnections ?? 0) > 0);
  return {
    id: 'db-connections-exhausted',
    severity: full ? 'critical' : 'warning',
    title: 'MySQL is running out of connection slots.',
    evidence,
    advice: 'Keep pool_size + max_overflow (10 + 20) per app process well under max_connections, close sessions (db.session.close()), and look at who holds the sleeping connections (SHOW PROCESSLIST).',
    restartHelps: false,
  };
};
