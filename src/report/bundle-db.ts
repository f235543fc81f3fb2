import type { SqlSession } from '../remote/host-transport.js';

/**
 * The DB configuration a helper asks for first (runbook cause 1: wait_timeout against the pool's
 * recycle time; cause 4: max_connections). A fixed list, so no variable holding a path or a
 * password ends up in the bundle.
 */
export const BUNDLE_DB_VARIABLES = [
  'version',
  'version_comment',
  'wait_timeout',
  'interactive_timeout',
  'max_connections',
  'max_user_connections',
  'max_allowed_packet',
  'net_read_timeout',
  'net_write_timeout',
  'connect_timeout',
  'thread_cache_size',
  'innodb_buffer_pool_size',
] as const;
export const BUNDLE_DB_STATUS = [
  'Uptime',
  'Threads_connected',
  'Threads_running',
  'Max_used_connections',
  'Aborted_clients',
  'Aborted_connects',
  'Connection_errors_max_connections',
] as const;

const inList = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(',');
export const BUNDLE_VARIABLES_SQL = `SHOW GLOBAL VARIABLES WHERE Variable_name IN (${inList(BUNDLE_DB_VARIABLES)})`;
export const BUNDLE_STATUS_SQL = `SHOW GLOBAL STATUS WHERE Variable_name IN (${inList(BUNDLE_DB_STATUS)})`;

export interface DbSnapshot {
  readonly variables: ReadonlyMap<string, string>;
  readonly status: ReadonlyMap<string, string>;
}

export async function readDbSnapshot(db: SqlSession): Promise<DbSnapshot> {
  const [vars, status] = await Promise.all([db.query(BUNDLE_VARIABLES_SQL), db.query(BUNDLE_STATUS_SQL)]);
  return { variables: toMap(vars), status: toMap(status) };
}

function toMap(rows: readonly Record<string, unknown>[]): Map<string, string> {
  return new Map(rows.map((r) => [String(r.Variable_name), String(r.Value)]));
}
