import { findCheck } from '../checks/check-types.js';
import type { Rule } from './cause.js';
import { Evidence } from './evidence.js';

/**
 * SQLAlchemy's pool is exhausted: every pooled connection is checked out and the next request
 * waited `pool_timeout` for one ("QueuePool limit of size 5 overflow 10 reached, connection timed
 * out"). Usually sessions that are never returned (no session.close()/remove()), or more Waitress
 * threads than pool_size + max_overflow. When /health times out and the log says this, this is why.
 */
export const dbPoolExhausted: Rule = ({ checks }) => {
  const health = findCheck(checks, 'health');
  const logs = findCheck(checks, 'logs');
  const now = health?.details?.signals['pool-exhausted'];
  const logged = logs?.details?.signals['pool-exhausted'];
  if (!now && !logged) return null;
  const evidence = new Evidence();
  if (now) evidence.quote('health', now.evidence);
  else if (health?.status === 'fail') evidence.quote('health', health.summary);
  if (logged) evidence.quote('logs', logged.evidence);
  const limit = logs?.details?.poolLimit;
  return {
    id: 'db-pool-exhausted',
    severity: now || health?.status === 'fail' ? 'critical' : 'warning',
    title: `SQLAlchemy's connection pool is exhausted${limit ? ` (pool_size + max_overflow = ${limit})` : ''}: requests wait for a connection and time out.`,
    evidence: evidence.lines,
    advice:
      'Sessions are not returned to the pool: close them on every path (db.session.remove() in teardown_appcontext, ' +
      'session.close() in finally). Keep pool_size + max_overflow at least the Waitress threads that use the database; ' +
      'more threads without a bigger pool make it worse. A restart frees the leaked connections for a while.',
    restartHelps: true,
    quotes: evidence.quotes,
  };
};

/**
 * MySQL refuses the app's account: 1045 (password), 1044 (no grant on the database), 1698 (root
 * with unix_socket authentication). Credentials or grants changed; restarting the app cannot help.
 */
export const dbAccessDenied: Rule = ({ checks }) => {
  const health = findCheck(checks, 'health');
  const logs = findCheck(checks, 'logs');
  const now = health?.details?.signals['access-denied'];
  const logged = logs?.details?.signals['access-denied'];
  if (!now && !logged) return null;
  const evidence = new Evidence();
  if (now) evidence.quote('health', now.evidence);
  if (logged) evidence.quote('logs', logged.evidence);
  const codes = logs?.details?.accessDeniedCodes ?? [];
  return {
    id: 'db-access-denied',
    severity: now ? 'critical' : 'warning',
    title: `MySQL refuses the app's database account${codes.length ? ` (${codes.join('/')})` : ''}: its password or grants changed.`,
    evidence: evidence.lines,
    advice:
      "Compare the app's DATABASE_URL with the account in MySQL (SELECT user, host, plugin FROM mysql.user; SHOW GRANTS FOR 'app'@'host'). " +
      '1045: the password changed (rotated secret not deployed); 1044: the grant on the database is gone; ' +
      '1698: root uses unix_socket auth, use an app account. A restart does not help until the credentials match.',
    restartHelps: false,
    quotes: evidence.quotes,
  };
};

/**
 * InnoDB lock waits (1205 "Lock wait timeout exceeded") and deadlocks (1213). A retry the app
 * logged as a warning is contention it survived; one logged as an error failed a request.
 */
export const dbLockContention: Rule = ({ checks }) => {
  const health = findCheck(checks, 'health');
  const logs = findCheck(checks, 'logs');
  const hs = health?.details?.signals;
  const now = hs?.['lock-wait'] ?? hs?.deadlock;
  const failed = logs?.details?.signals['lock-error'];
  const retried = logs?.details?.signals['lock-retried'];
  if (!now && !failed && !retried) return null;
  const evidence = new Evidence();
  if (now) evidence.quote('health', now.evidence);
  if (failed) evidence.quote('logs', failed.evidence);
  if (retried) evidence.quote('logs', retried.evidence);
  const critical = !!now || !!failed;
  return {
    id: 'db-lock-contention',
    severity: critical ? 'critical' : 'warning',
    title: critical
      ? 'Transactions fail on InnoDB lock waits or deadlocks (1205/1213).'
      : 'Transactions hit InnoDB lock waits or deadlocks (1205/1213), and the app retried them.',
    evidence: evidence.lines,
    advice:
      'Find the transaction holding the locks (SELECT * FROM information_schema.INNODB_TRX; SHOW ENGINE INNODB STATUS for the latest deadlock), ' +
      'keep transactions short and lock rows in one order, and retry 1213/1205 in the app. A restart does not help.',
    restartHelps: false,
    quotes: evidence.quotes,
  };
};
