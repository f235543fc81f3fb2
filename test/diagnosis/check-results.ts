import type { AnyCheckResult, CheckId, CheckOutcome, DetailsById } from '../../src/checks/check-types.js';
import { evaluateDb } from '../../src/checks/db-check.js';
import { evaluateHealth } from '../../src/checks/health-check.js';
import { evaluateLogs } from '../../src/checks/logs-check.js';
import { evaluatePort } from '../../src/checks/port-check.js';
import { evaluateResources } from '../../src/checks/resources-check.js';
import { evaluateSupervisor } from '../../src/checks/service-check.js';
import { parseDbServerState, summarizeProcesslist } from '../../src/checks/parse-db.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Thresholds } from '../../src/config/types.js';
import type { ErrorCode } from '../../src/errors.js';
import { fixture } from '../fixture.js';
import { thresholds } from '../thresholds.js';
import { tsvRows } from '../tsv.js';

/*
 * Check results for diagnosis tests, made by the real evaluators from real captured output, so
 * each scenario is one the bot can actually see.
 */
export const app = { ...loadConfig({}, undefined).hosts[0]!.app, manager: 'supervisor' as const };
export const URL_ = 'http://127.0.0.1:5070/health';
export const r = <Id extends CheckId>(id: Id, o: CheckOutcome<DetailsById[Id]>): AnyCheckResult => ({ id, ...o, durationMs: 5 }) as AnyCheckResult;

/** A check that threw, as runChecks reports it (status from the code, like thrownStatus). */
export const failed = (id: CheckId, code: ErrorCode, message: string, status: 'fail' | 'unknown' = 'fail'): AnyCheckResult =>
  ({ id, status, summary: message, durationMs: 5, details: null, evidence: [message], error: { code, message } }) as AnyCheckResult;

export const healthy = {
  health: () =>
    r('health', evaluateHealth(URL_, { kind: 'response', response: { status: 200, body: fixture('health-200.json'), durationMs: 8 } }, thresholds())),
  service: () => r('service', evaluateSupervisor(app, { stdout: fixture('supervisor-running.txt'), code: 0 }, 'ops')),
  port: () => r('port', evaluatePort(5070, `@@ss\n${fixture('ss-tlnp-listening.txt')}`)),
  resources: (t: Thresholds = thresholds(), load = '0.10 0.10 0.10 1/300 9') =>
    r(
      'resources',
      evaluateResources(
        ['@@loadavg', load, '@@nproc', '2', '@@meminfo', fixture('meminfo.txt'), '@@df', fixture('df-P.txt'), '@@ps', fixture('ps.txt')].join('\n'),
        'app.py',
        '/var/log/m.log',
        t,
      ),
    ),
  db: (waitTimeout = 28800, threads = 11, max = 151) =>
    r(
      'db',
      evaluateDb(
        {
          latencyMs: 3,
          state: {
            ...parseDbServerState(tsvRows(fixture('mysql-variables.tsv')), tsvRows(fixture('mysql-status.tsv'))),
            waitTimeout,
            threadsConnected: threads,
            maxConnections: max,
          },
          processlist: summarizeProcesslist(tsvRows(fixture('mysql-processlist.tsv'))),
          poolRecycle: 3600,
        },
        thresholds(),
      ),
    ),
  logs: (log = fixture('moneymind-log-healthy.log')) => r('logs', evaluateLogs(`@@now\n2026-11-25 22:10:00\n@@log\n${log}`, app, thresholds())),
};

export const all = (over: Partial<Record<CheckId, AnyCheckResult>> = {}): AnyCheckResult[] =>
  (['health', 'service', 'port', 'resources', 'db', 'logs'] as const).map((id) => over[id] ?? healthy[id]());
