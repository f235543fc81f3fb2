import { type MysqlErrorId, mysqlErrorsIn as errorsIn } from './mysql-errors.js';

/** The MySQL and SQLAlchemy errors a /health error names that a rule acts on. */
export type HealthSignalId = MysqlErrorId;

/**
 * The errors named in the `error` of a /health body. Example inputs (test/fixtures/health-500-*.json):
 *   (pymysql.err.OperationalError) (2006, "MySQL server has gone away (ConnectionResetError(104, 'Connection reset by peer'))")
 *   (pymysql.err.OperationalError) (2003, "Can't connect to MySQL server on '127.0.0.1' ([Errno 111] Connection refused)")
 *   (pymysql.err.OperationalError) (1045, "Access denied for user 'moneymind'@'127.0.0.1' (using password: YES)")
 *   QueuePool limit of size 1 overflow 0 reached, connection timed out, timeout 2.00 (Background on this error at: …)
 */
export function mysqlErrorsIn(error: string | null): HealthSignalId[] {
  return errorsIn(error);
}
