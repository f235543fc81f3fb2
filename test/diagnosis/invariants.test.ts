import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnyCheckResult, CheckId } from '../../src/checks/check-types.js';
import { evaluateHealth, parseHealthBody } from '../../src/checks/health-check.js';
import { evaluateLogs } from '../../src/checks/logs-check.js';
import { evaluatePort } from '../../src/checks/port-check.js';
import { evaluateResources } from '../../src/checks/resources-check.js';
import { evaluateSupervisor, evaluateSystemd } from '../../src/checks/service-check.js';
import type { Cause } from '../../src/diagnosis/cause.js';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { redact } from '../../src/boundary/redact.js';
import { clockAfter } from '../checks/log-clock.js';
import { fixture } from '../fixture.js';
import { thresholds } from '../thresholds.js';
import { app, failed, healthy, r, URL_ } from './check-results.js';

/*
 * The monitor is never silent, tested as an invariant: every check in every outcome it can have —
 * ok, warn, fail (each way it fails), and could-not-run (unknown, or thrown) — combined with every
 * other check's, with and without log history and RSS history. Every result comes from the real
 * evaluators on real captured output. For each combination:
 *   1. a failing check ⇒ at least one critical (alerting) cause;
 *   2. /health failing ⇒ its error is the first evidence line of every cause (what fails now first);
 *   3. /health answering an error body ⇒ the first cause quotes that error;
 *   4. a check that could not run is never called down: no cause contradicts the unknown row.
 */
const T = thresholds({ loadPerCore: 2, diskUsedPercent: 90 });
const response = (status: number, body: string, durationMs = 9) => ({ kind: 'response' as const, response: { status, body, durationMs } });
const supervisor = (file: string, code: number) => r('service', evaluateSupervisor(app, { stdout: fixture(file), code }, 'ops'));
const resources = (t = T, load = '0.10 0.10 0.10 1/300 9', df = fixture('df-P.txt')) =>
  r(
    'resources',
    evaluateResources(
      ['@@loadavg', load, '@@nproc', '2', '@@meminfo', fixture('meminfo.txt'), '@@df', df, '@@ps', fixture('ps.txt')].join('\n'),
      'app.py',
      '/var/log/m.log',
      t,
    ),
  );
const db = (waitTimeout: number, threads: number) => healthy.db(waitTimeout, threads);
const logs = (text: string) => r('logs', evaluateLogs(`@@now\n2026-11-25 22:10:00\n${text}`, app, T));
const capturedLog = (file: string) => r('logs', evaluateLogs(`@@now\n${clockAfter(fixture(file))}\n@@log\n${fixture(file)}\n`, app, T));

type Variant = readonly [name: string, result: AnyCheckResult | undefined];
const VARIANTS: Record<CheckId, readonly Variant[]> = {
  health: [
    ['ok', healthy.health()],
    ['warn slow', r('health', evaluateHealth(URL_, response(200, fixture('health-200.json'), 4000), T))],
    ['fail 1045', r('health', evaluateHealth(URL_, response(500, fixture('health-500-access-denied.json')), T))],
    ['fail QueuePool', r('health', evaluateHealth(URL_, response(500, fixture('db-signals/health-500-pool-exhausted.json')), T))],
    ['fail 2002 (MySQLdb)', r('health', evaluateHealth(URL_, response(500, fixture('db-signals/health-500-mysqldb-server-down.json')), T))],
    [
      'fail KeyError (no rule knows it)',
      r('health', evaluateHealth(URL_, response(500, '{"error":"KeyError: \'MONEYMIND_SETTINGS\'","status":"unhealthy"}\n'), T)),
    ],
    ['fail 2006', r('health', evaluateHealth(URL_, response(500, fixture('health-500-gone-away.json')), T))],
    ['fail 2003', r('health', evaluateHealth(URL_, response(500, fixture('health-500-cant-connect.json')), T))],
    ['fail 502 html', r('health', evaluateHealth(URL_, response(502, '<html><body><h1>502 Bad Gateway</h1></body></html>'), T))],
    ['fail refused', r('health', evaluateHealth(URL_, { kind: 'refused', message: 'tunnel to 127.0.0.1:5070 refused: Connection refused' }, T))],
    ['fail timeout', r('health', evaluateHealth(URL_, { kind: 'timeout' }, T))],
    ['error channel', failed('health', 'SSH_CHANNEL', 'cannot open an SSH channel: open failed')],
  ],
  service: [
    ['ok', healthy.service()],
    ['warn starting', supervisor('supervisor-starting.txt', 0)],
    ['fail stopped', supervisor('supervisor-stopped.txt', 3)],
    ['fail not-found', supervisor('supervisor-no-such-process.txt', 4)],
    [
      'unknown no systemd',
      r('service', evaluateSystemd('moneymind', { stdout: '@@uptime\n1.0 1.0\n', stderr: fixture('systemd/show-no-systemd.stderr.txt'), code: 1 })),
    ],
    ['unknown sudo', r('service', evaluateSupervisor(app, { stdout: 'sudo: a password is required\n', code: 1 }, 'ops'))],
  ],
  port: [
    ['ok', healthy.port()],
    ['fail not listening', r('port', evaluatePort(5070, `@@ss\n${fixture('ss-tlnp-not-listening.txt')}`))],
    ['unknown no output', r('port', evaluatePort(5070, '@@ss\n'))],
    ['error timeout', failed('port', 'EXEC_TIMEOUT', 'command timed out after 10 s', 'unknown')],
  ],
  resources: [
    ['ok', resources()],
    ['warn load', resources(T, '9.00 8.00 7.00 9/300 9')],
    ['fail disk', resources(T, undefined, fixture('df-P-full.txt'))],
    // No real low-memory capture: the threshold differs from the diagnosis' here, so only the
    // generic cause can answer — which is itself the invariant under test.
    ['fail memory (check threshold only)', resources(thresholds({ memAvailablePercent: 99.5 }))],
    ['unknown nothing read', r('resources', evaluateResources('', 'app.py', '/var/log/m.log', T))],
  ],
  db: [
    ['ok', db(28800, 11)],
    ['warn wait_timeout', db(600, 11)],
    ['fail full', db(28800, 151)],
    ['fail connect', failed('db', 'DB_CONNECT', 'cannot reach MySQL at 127.0.0.1:3306: Connection refused')],
    ['unknown query', failed('db', 'DB_QUERY', 'SHOW GLOBAL STATUS failed: access denied', 'unknown')],
    ['absent', undefined],
  ],
  logs: [
    ['absent (watcher quick set)', undefined],
    ['no history', logs(`@@log\n${fixture('moneymind-log-healthy.log')}`)],
    ['history: 2006/2013, queue depth', logs(`@@log\n${fixture('moneymind-log-broken.log')}`)],
    ['unreadable', logs("@@log\ntail: cannot open '/x.log' for reading: Permission denied\n@@log-failed\n")],
    ['pool exhausted, queueing', capturedLog('db-signals/pool-exhausted-pileup.log')],
    ['deadlock retried', capturedLog('db-signals/deadlock-retried.log')],
    ['waitress hung', capturedLog('db-signals/waitress-hung.log')],
    ['gunicorn worker timeout', capturedLog('gunicorn/worker-timeout-sigkill.log')],
    [
      'systemd crash loop + OOM kills',
      r(
        'logs',
        evaluateLogs(
          [
            `@@now\n${clockAfter(fixture('systemd/journal-oom-kill-python.json'))}\n@@log\n`,
            `@@journal\n${fixture('systemd/journal-crash-loop-exit.json')}\n${fixture('systemd/journal-oom-kill-python.json')}`,
            `@@kernel\n${fixture('kernel/oom-memcg-2kills-journal-k.json')}\n`,
          ].join('\n'),
          { ...app, manager: 'systemd' },
          T,
        ),
      ),
    ],
    ['error timeout', failed('logs', 'EXEC_TIMEOUT', 'command timed out after 10 s', 'unknown')],
  ],
};
const MIN = 60_000;
const GROWING = Array.from({ length: 30 }, (_, i) => ({ at: i * MIN, rssKb: Math.round((20 + (i * 26) / 29) * 1024) }));

function* combinations(): Generator<{ name: string; checks: AnyCheckResult[] }> {
  const ids = Object.keys(VARIANTS) as CheckId[];
  const pick = (i: number, chosen: Variant[]): Generator<Variant[]> =>
    (function* inner(): Generator<Variant[]> {
      if (i === ids.length) return yield chosen;
      for (const v of VARIANTS[ids[i]!]) yield* pick(i + 1, [...chosen, v]);
    })();
  for (const chosen of pick(0, [])) {
    yield { name: chosen.map((v, i) => `${ids[i]}=${v[0]}`).join(' '), checks: chosen.flatMap(([, res]) => (res ? [res] : [])) };
  }
}

const CONTRADICTS_UNKNOWN_SERVICE = /although the service|is not running|does not exist/;

function violations(checks: AnyCheckResult[], causes: readonly Cause[]): string[] {
  const out: string[] = [];
  const health = checks.find((c) => c.id === 'health');
  if (checks.some((c) => c.status === 'fail') && !causes.some((c) => c.severity === 'critical')) out.push('a check fails but no cause alerts');
  if (health?.status === 'fail') {
    const now = [health.summary, health.evidence[0] ?? ''].map(redact);
    for (const c of causes) if (!now.includes(c.evidence[0] ?? '')) out.push(`${c.id}: evidence does not start with the health error (${c.evidence[0]})`);
  }
  const body = health?.details?.outcome === 'http-error' && health.details.httpStatus ? parseHealthBody(healthBodyOf(health)).error : null;
  if (body && !`${causes[0]?.title} ${causes[0]?.evidence.join(' ')}`.includes(body.split('\n')[0]!.slice(0, 60)))
    out.push(`the first cause does not quote the health error "${body.slice(0, 60)}"`);
  const service = checks.find((c) => c.id === 'service');
  if (service?.status === 'unknown' && causes.some((c) => CONTRADICTS_UNKNOWN_SERVICE.test(c.title))) out.push('a cause calls the unknown service down or up');
  const port = checks.find((c) => c.id === 'port');
  if (port?.status === 'unknown' && causes.some((c) => c.id === 'port-not-listening')) out.push('port-not-listening from a port check that could not run');
  return out;
}

// The health evaluator keeps the body's error, not the body; rebuild what parseHealthBody needs.
function healthBodyOf(h: AnyCheckResult): string {
  return h.id === 'health' && h.details ? JSON.stringify({ status: h.details.bodyStatus, error: h.details.error }) : '';
}

describe('diagnosis invariants over every combination of check outcomes', () => {
  it('fail ⇒ an alerting cause; the current health error first and quoted; unknown never called down', () => {
    let n = 0;
    const failures: string[] = [];
    for (const { name, checks } of combinations()) {
      for (const rssHistory of [[], GROWING]) {
        n++;
        const causes = diagnose({ checks, poolRecycle: 3600, thresholds: T, rssHistory, now: 30 * MIN });
        for (const v of violations(checks, causes)) if (failures.length < 20) failures.push(`${name}${rssHistory.length ? ' +rss' : ''}: ${v}`);
      }
    }
    assert.ok(n > 10_000, `${n} combinations`);
    assert.deepEqual(failures, []);
  });

  it('the rotated DB password with 2013s earlier in the log: the 1045 leads as db-access-denied, the old cause follows quoting it first', () => {
    const checks = [
      r('health', evaluateHealth(URL_, response(500, fixture('health-500-access-denied.json')), T)),
      healthy.service(),
      healthy.port(),
      resources(),
      db(28800, 11),
      logs(`@@log\n${fixture('moneymind-log-broken.log')}`),
    ];
    const causes = diagnose({ checks, poolRecycle: 3600, thresholds: T, rssHistory: [], now: 0 });
    assert.deepEqual([causes[0]?.id, causes[0]?.severity, causes[0]?.restartHelps], ['db-access-denied', 'critical', false]);
    assert.match(causes[0]?.evidence[0] ?? '', /^GET \/health → 500 .*\(1045, "Access denied for user 'moneymind'@'127\.0\.0\.1'/);
    assert.ok(!causes.some((c) => c.id === 'app-unhealthy'), 'a known cause explains the health error');
    const old = causes.find((c) => c.id === 'db-connection-dropped');
    assert.ok(old, 'the 2013s in the log are still reported');
    assert.equal(old.severity, 'warning', 'the past, not what fails now: it does not alert on its own');
    assert.match(old.evidence[0] ?? '', /^GET \/health → 500 .*1045/);
  });

  it('an error no rule knows on /health with 2013s earlier in the log: app-unhealthy leads, the old cause follows', () => {
    // The stand-in app's /health shape, with an exception no rule names.
    const body = '{"error":"KeyError: \'MONEYMIND_SETTINGS\'","status":"unhealthy"}\n';
    const checks = [
      r('health', evaluateHealth(URL_, response(500, body), T)),
      healthy.service(),
      healthy.port(),
      resources(),
      db(28800, 11),
      logs(`@@log\n${fixture('moneymind-log-broken.log')}`),
    ];
    const causes = diagnose({ checks, poolRecycle: 3600, thresholds: T, rssHistory: [], now: 0 });
    assert.deepEqual([causes[0]?.id, causes[0]?.severity], ['app-unhealthy', 'critical']);
    assert.match(causes[0]?.title ?? '', /^\/health answers 500: KeyError: 'MONEYMIND_SETTINGS'/);
    assert.match(causes[0]?.advice ?? '', /No known cause matched.*Also seen: .*db-connection-dropped/);
    assert.equal(causes.find((c) => c.id === 'db-connection-dropped')?.severity, 'warning');
  });

  it('the log check failing on 2006s while /health passes: the known cause alerts, not a generic one', () => {
    const checks = [healthy.health(), healthy.service(), healthy.port(), resources(), db(600, 11), logs(`@@log\n${fixture('moneymind-log-broken.log')}`)];
    const causes = diagnose({ checks, poolRecycle: 3600, thresholds: T, rssHistory: [], now: 0 });
    assert.equal(checks.at(-1)?.status, 'fail');
    // The broken log has 1040s too: the first rule (in the fundamental-first order) that quotes it alerts.
    assert.deepEqual([causes[0]?.id, causes[0]?.severity], ['db-connections-exhausted', 'critical']);
    assert.ok(causes.some((c) => c.id === 'db-connection-dropped'));
    assert.ok(!causes.some((c) => c.id === 'app-unhealthy'));
  });

  it('a known health error keeps its specific cause first, with no generic one', () => {
    const checks = [
      r('health', evaluateHealth(URL_, response(500, fixture('health-500-gone-away.json')), T)),
      healthy.service(),
      healthy.port(),
      resources(),
      db(600, 11),
    ];
    assert.deepEqual(
      diagnose({ checks, poolRecycle: 3600, thresholds: T, rssHistory: [], now: 0 }).map((c) => c.id),
      ['db-connection-dropped'],
    );
  });

  it('a machine without the app or systemd: port-not-listening says the service state is unknown', () => {
    const checks = [
      r('health', evaluateHealth(URL_, { kind: 'refused', message: 'connect ECONNREFUSED 127.0.0.1:5070' }, T)),
      r('service', evaluateSystemd('moneymind', { stdout: '@@uptime\n1.0 1.0\n', stderr: fixture('systemd/show-no-systemd.stderr.txt'), code: 1 })),
      r('port', evaluatePort(5070, `@@ss\n${fixture('ss-tlnp-not-listening.txt')}`)),
    ];
    const causes = diagnose({ checks, poolRecycle: 3600, thresholds: T, rssHistory: [], now: 0 });
    assert.deepEqual(
      causes.map((c) => c.id),
      ['port-not-listening'],
    );
    assert.equal(causes[0]?.title, "Nothing listens on port 5070, and the service's state is unknown.");
    assert.match(causes[0]?.evidence[0] ?? '', /connection refused/);
  });

  it('secrets in a health error are masked in the generic cause', () => {
    const body = JSON.stringify({ status: 'unhealthy', error: 'engine mysql+pymysql://app:hunter2@db/x failed; DB_PASSWORD=hunter2' });
    const checks = [r('health', evaluateHealth(URL_, response(500, body), T)), healthy.service(), healthy.port()];
    const causes = diagnose({ checks, poolRecycle: 3600, thresholds: T, rssHistory: [], now: 0 });
    assert.equal(causes[0]?.id, 'app-unhealthy');
    assert.doesNotMatch(JSON.stringify(causes), /hunter2/);
  });
});
