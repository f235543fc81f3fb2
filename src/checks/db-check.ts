import { OpsError } from '../errors.js';
import { formatDuration } from '../config/duration.js';
import type { Thresholds } from '../config/types.js';
import type { Check, CheckOutcome, CheckStatus, Signal, Signals } from './check.js';
import {
  DB_PROCESSLIST_SQL,
  DB_STATUS_SQL,
  DB_VARIABLES_SQL,
  parseDbServerState,
  summarizeProcesslist,
  type DbServerState,
  type ProcesslistSummary,
} from './parse-db.js';

/** wait_timeout shorter than 2 × pool_recycle (runbook cause 1); connection slots running out. */
export type DbSignalId = 'recycle-too-long' | 'connections-high' | 'connections-full';

export interface DbDetails extends DbServerState {
  readonly latencyMs: number;
  readonly poolRecycle: number;
  /** The runbook: pool_recycle should be at most half of wait_timeout. null when unknown. */
  readonly recycleOk: boolean | null;
  readonly processlist: ProcesslistSummary;
  /** Each finding with the evidence line that reports it. */
  readonly signals: Signals<DbSignalId>;
}

/** Probe: one session through the SSH connection; SELECT 1 for latency, then the runbook's queries. */
export const dbCheck: Check<'db', DbDetails> = {
  id: 'db',
  applies: (host) => host.mysql !== undefined,
  async run({ host, thresholds, transport }) {
    const mysql = host.mysql;
    if (!mysql) throw new OpsError('INTERNAL', 'db check run on a host without mysql'); // applies() keeps us from here
    return transport.withMysql(mysql, thresholds.commandTimeout, async (db) => {
      const started = performance.now();
      await db.query('SELECT 1');
      const latencyMs = performance.now() - started;
      const [variables, status, processlist] = await Promise.all([db.query(DB_VARIABLES_SQL), db.query(DB_STATUS_SQL), db.query(DB_PROCESSLIST_SQL)]);
      return evaluateDb(
        { latencyMs, state: parseDbServerState(variables, status), processlist: summarizeProcesslist(processlist), poolRecycle: host.app.poolRecycle },
        thresholds,
      );
    });
  },
};

export function evaluateDb(
  input: { latencyMs: number; state: DbServerState; processlist: ProcesslistSummary; poolRecycle: number },
  t: Pick<Thresholds, 'dbConnectionsPercent'>,
): CheckOutcome<DbDetails> {
  const { state, poolRecycle } = input;
  const recycleOk = state.waitTimeout === null ? null : poolRecycle * 2 <= state.waitTimeout;
  const found: [DbSignalId, Signal][] = [];
  let status: CheckStatus = 'ok';
  const parts = [`reachable in ${formatDuration(input.latencyMs)}`];

  if (state.waitTimeout !== null) {
    const relation = recycleOk ? '≥' : '<';
    parts.push(`wait_timeout ${state.waitTimeout} s ${relation} 2 × pool_recycle ${poolRecycle} s`);
    if (!recycleOk) {
      status = 'warn';
      found.push([
        'recycle-too-long',
        {
          count: 1,
          evidence:
            `wait_timeout is ${state.waitTimeout} s but pool_recycle is ${poolRecycle} s: ` +
            `idle pooled connections are dropped by MySQL before the app recycles them`,
        },
      ]);
    }
  }
  if (state.threadsConnected !== null && state.maxConnections) {
    parts.push(`${state.threadsConnected}/${state.maxConnections} connections`);
    const pct = (state.threadsConnected / state.maxConnections) * 100;
    const count = state.threadsConnected;
    if (state.threadsConnected >= state.maxConnections - 1) {
      status = 'fail';
      found.push([
        'connections-full',
        {
          count,
          evidence: `${state.threadsConnected} of max_connections ${state.maxConnections} in use: new connections are refused ("Too many connections")`,
        },
      ]);
    } else if (pct >= t.dbConnectionsPercent) {
      status = 'warn';
      found.push([
        'connections-high',
        {
          count,
          evidence:
            `${state.threadsConnected} of max_connections ${state.maxConnections} in use ` + `(${Math.round(pct)} %), ${input.processlist.sleeping} sleeping`,
        },
      ]);
    }
  }
  const details: DbDetails = {
    ...state,
    latencyMs: Math.round(input.latencyMs),
    poolRecycle,
    recycleOk,
    processlist: input.processlist,
    signals: Object.fromEntries(found),
  };
  return { status, summary: parts.join(' · '), details, evidence: found.map(([, x]) => x.evidence) };
}
