/** The MySQL errors a /health error names that a rule acts on (pymysql's error numbers). */
export type HealthSignalId = 'gone-away' | 'lost-connection' | 'cant-connect';

// 2006 gone away and 2013 lost during a query: the pool handed out a dead connection (runbook
// cause 1); 2003: MySQL cannot be reached at all.
const PATTERNS: readonly (readonly [HealthSignalId, RegExp])[] = [
  ['gone-away', /gone away|\(2006,/],
  ['lost-connection', /Lost connection|\(2013,/],
  ['cant-connect', /Can't connect to MySQL|\(2003,/],
];

/**
 * The MySQL errors named in the `error` of a /health body. Example inputs:
 *   (pymysql.err.OperationalError) (2006, "MySQL server has gone away (ConnectionResetError(104, 'Connection reset by peer'))")
 *   (pymysql.err.OperationalError) (2003, "Can't connect to MySQL server on '127.0.0.1' ([Errno 111] Connection refused)")
 *   (pymysql.err.OperationalError) (1045, "Access denied for user 'moneymind'@'127.0.0.1' (using password: YES)") → none
 */
export function mysqlErrorsIn(error: string | null): HealthSignalId[] {
  return error === null ? [] : PATTERNS.filter(([, re]) => re.test(error)).map(([id]) => id);
}
