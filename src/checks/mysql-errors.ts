/**
 * The MySQL and SQLAlchemy errors a rule acts on, found in a /health body or a log record. The
 * drivers word them differently (PyMySQL: "Can't connect to MySQL server", 2003; MySQLdb and the
 * MariaDB client, through MariaDB Connector/C: "Can't connect to server", 2002), so each is
 * matched by its number as the drivers print it — `(2006, ` — and by its words.
 */
export type MysqlErrorId =
  | 'gone-away'
  | 'lost-connection'
  | 'cant-connect'
  | 'too-many-connections'
  | 'pool-exhausted'
  | 'access-denied'
  | 'lock-wait'
  | 'deadlock';

export const MYSQL_ERRORS: readonly (readonly [MysqlErrorId, RegExp])[] = [
  // Runbook cause 1: the pool handed out a connection the server had closed.
  ['gone-away', /(?:MySQL )?[Ss]erver has gone away|\(2006, /],
  ['lost-connection', /Lost connection to (?:MySQL )?server|\(2013, /],
  // The server cannot be reached at all: TCP (2003) or the client library's socket/TCP (2002).
  ['cant-connect', /Can't connect to (?:local )?(?:MySQL )?server|\(200[23], /],
  ['too-many-connections', /Too many connections|\(1040, /],
  // SQLAlchemy's own pool, not MySQL: "QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30"
  ['pool-exhausted', /QueuePool limit of size \d+ overflow -?\d+ reached/],
  // 1045 wrong password, 1044 no grant on the database, 1698 root with unix_socket auth.
  ['access-denied', /\((?:1045|1044|1698), |Access denied for user/],
  ['lock-wait', /\(1205, |Lock wait timeout exceeded/],
  ['deadlock', /\(1213, |Deadlock found when trying to get lock/],
];

/** The errors named in a text, in table order. */
export function mysqlErrorsIn(text: string | null): MysqlErrorId[] {
  return text === null ? [] : MYSQL_ERRORS.filter(([, re]) => re.test(text)).map(([id]) => id);
}

/** The error numbers of access-denied errors in a text, as written: "1045", "1698". */
export function accessDeniedCodes(text: string): string[] {
  return [...new Set([...text.matchAll(/\((1045|1044|1698), /g)].map((m) => m[1] as string))];
}

/** "QueuePool limit of size 5 overflow 10 reached": the pool's size as the error states it. */
export function poolLimit(text: string): string | null {
  return /QueuePool limit of size (\d+) overflow (-?\d+)/.exec(text)?.slice(1, 3).join('+') ?? null;
}
