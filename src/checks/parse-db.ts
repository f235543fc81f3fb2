export interface ProcesslistSummary {
  readonly total: number;
  /** COMMAND column counts: Sleep, Query, Daemon, … */
  readonly byCommand: Readonly<Record<string, number>>;
  readonly byState: Readonly<Record<string, number>>;
  /** Idle connections and the longest idle time: what wait_timeout will eventually cut. */
  readonly sleeping: number;
  readonly longestSleepSec: number;
  readonly longestQuery: { readonly timeSec: number; readonly user: string; readonly db: string | null; readonly info: string } | null;
}

export interface DbServerState {
  readonly waitTimeout: number | null;
  readonly interactiveTimeout: number | null;
  readonly maxConnections: number | null;
  readonly threadsConnected: number | null;
  readonly maxUsedConnections: number | null;
  readonly abortedClients: number | null;
  readonly abortedConnects: number | null;
}

// GLOBAL: the app's new connections get the global values; our session's could differ.
export const DB_VARIABLES_SQL = "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('wait_timeout','interactive_timeout','max_connections')";
export const DB_STATUS_SQL = "SHOW GLOBAL STATUS WHERE Variable_name IN ('Threads_connected','Max_used_connections','Aborted_clients','Aborted_connects')";
// Needs the PROCESS privilege to see other users' sessions (the app's); without it only our own shows.
export const DB_PROCESSLIST_SQL = 'SELECT COMMAND, STATE, TIME, USER, DB, LEFT(INFO, 200) AS INFO FROM information_schema.PROCESSLIST';

/**
 * SHOW GLOBAL VARIABLES / STATUS rows as mysql2 returns them (name/value pairs). Example input:
 *   [{ Variable_name: 'wait_timeout', Value: '600' }, { Variable_name: 'max_connections', Value: '151' }]
 */
export function parseDbServerState(variables: readonly Record<string, unknown>[], status: readonly Record<string, unknown>[]): DbServerState {
  const v = nameValue(variables);
  const s = nameValue(status);
  return {
    waitTimeout: num(v.wait_timeout),
    interactiveTimeout: num(v.interactive_timeout),
    maxConnections: num(v.max_connections),
    threadsConnected: num(s.Threads_connected),
    maxUsedConnections: num(s.Max_used_connections),
    abortedClients: num(s.Aborted_clients),
    abortedConnects: num(s.Aborted_connects),
  };
}

/**
 * information_schema.PROCESSLIST rows. Example input:
 *   [{ COMMAND: 'Sleep', STATE: '', TIME: 412, USER: 'moneymind', DB: 'moneymind', INFO: null },
 *    { COMMAND: 'Query', STATE: 'User sleep', TIME: 12, USER: 'app', DB: null, INFO: 'SELECT SLEEP(30)' }]
 * Our own session (the one running this SELECT) is left out.
 */
export function summarizeProcesslist(rows: readonly Record<string, unknown>[]): ProcesslistSummary {
  const byCommand: Record<string, number> = {};
  const byState: Record<string, number> = {};
  let sleeping = 0;
  let longestSleepSec = 0;
  let longestQuery: ProcesslistSummary['longestQuery'] = null;
  let total = 0;
  for (const r of rows) {
    const info = r.INFO === null || r.INFO === undefined ? '' : String(r.INFO);
    if (info.includes('information_schema.PROCESSLIST')) continue;
    total++;
    const command = String(r.COMMAND ?? '');
    const state = String(r.STATE ?? '');
    const time = num(r.TIME) ?? 0;
    byCommand[command] = (byCommand[command] ?? 0) + 1;
    if (state) byState[state] = (byState[state] ?? 0) + 1;
    if (command === 'Sleep') {
      sleeping++;
      longestSleepSec = Math.max(longestSleepSec, time);
    } else if (command === 'Query' && info && (!longestQuery || time > longestQuery.timeSec)) {
      longestQuery = { timeSec: time, user: String(r.USER ?? ''), db: r.DB === null || r.DB === undefined ? null : String(r.DB), info };
    }
  }
  return { total, byCommand, byState, sleeping, longestSleepSec, longestQuery };
}

function nameValue(rows: readonly Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const row of rows) out[String(row.Variable_name ?? row.VARIABLE_NAME)] = row.Value ?? row.VALUE;
  return out;
}

function num(x: unknown): number | null {
  if (x === null || x === undefined || x === '') return null;
  const n = Number(x);
  return Number.isFinite(n) ? n : null;
}
