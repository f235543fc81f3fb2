import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnyCheckResult } from '../../src/checks/check-types.js';
import { evaluateHealth } from '../../src/checks/health-check.js';
import { evaluateLogs } from '../../src/checks/logs-check.js';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { clockAfter } from '../checks/log-clock.js';
import { fixture } from '../fixture.js';
import { thresholds } from '../thresholds.js';
import { healthy } from './check-results.js';

/*
 * The causes issue 14 adds, from real captures (test/fixtures/db-signals/README.md): a real app on
 * a real MariaDB, through PyMySQL and MySQLdb (MariaDB Connector/C), its log and its /health body.
 */
const T = thresholds();
const URL_ = 'http://127.0.0.1:5070/health';
const app = { logFile: '/opt/moneymind/logs/moneymind.log', service: 'moneymind' };
const r = (id: AnyCheckResult['id'], o: { status: AnyCheckResult['status']; summary: string; details: unknown; evidence: readonly string[] }) =>
  ({ id, ...o, durationMs: 1 }) as AnyCheckResult;
const logsOut = (file: string, t = T) => {
  const text = fixture(file);
  return evaluateLogs(`@@now\n${clockAfter(text)}\n@@log\n${text}\n`, app, t);
};
const logs = (file: string) => r('logs', logsOut(file));
const health500 = (file: string) => r('health', evaluateHealth(URL_, { kind: 'response', response: { status: 500, body: fixture(file), durationMs: 9 } }, T));
const timeout = () => r('health', evaluateHealth(URL_, { kind: 'timeout' }, T));
const causes = (...checks: AnyCheckResult[]) => diagnose({ checks, poolRecycle: 300, thresholds: T, rssHistory: [], now: 0 });
const first = (...checks: AnyCheckResult[]) => {
  const c = causes(...checks)[0];
  return [c?.id, c?.severity, c?.restartHelps];
};

describe('db-pool-exhausted', () => {
  it('/health 500 with the QueuePool error and the leak in the log: critical, a restart frees it for a while', () => {
    const c = causes(health500('db-signals/health-500-pool-exhausted.json'), healthy.port(), logs('db-signals/pool-exhausted.log'));
    assert.deepEqual([c[0]?.id, c[0]?.severity, c[0]?.restartHelps], ['db-pool-exhausted', 'critical', true]);
    assert.match(c[0]?.title ?? '', /pool_size \+ max_overflow = 1\+0/);
    assert.match(c[0]?.advice ?? '', /session\.close\(\)|remove\(\)/);
    assert.ok(!c.some((x) => x.id === 'app-unhealthy'));
  });

  it('/health times out and the log says QueuePool: this is the cause, before app-unresponsive', () => {
    const c = causes(timeout(), healthy.port(), logs('db-signals/pool-exhausted-pileup.log'));
    assert.deepEqual(
      c.slice(0, 2).map((x) => [x.id, x.severity]),
      [
        ['db-pool-exhausted', 'critical'],
        ['app-unresponsive', 'critical'],
      ],
    );
  });
});

describe('db-access-denied', () => {
  const bodies = [
    'db-signals/health-500-access-denied-1045.json',
    'db-signals/health-500-access-denied-1044.json',
    'db-signals/health-500-access-denied-1698.json',
    'db-signals/health-500-mysqldb-access-denied-1045.json',
    'db-signals/health-500-mysqldb-access-denied-1698.json',
    'health-500-access-denied.json',
  ];
  for (const body of bodies) {
    it(`${body}: critical, a restart does not help`, () => {
      assert.deepEqual(first(health500(body), healthy.port(), healthy.service()), ['db-access-denied', 'critical', false]);
    });
  }
  it('in the log: the error numbers as written', () => {
    for (const [file, codes] of [
      ['db-signals/access-denied-1044.log', ['1044']],
      ['db-signals/access-denied-1045.log', ['1045']],
      ['db-signals/access-denied-1698.log', ['1698']],
    ] as const) {
      assert.deepEqual(logsOut(file).details.accessDeniedCodes, codes, file);
      const c = causes(healthy.health(), logs(file)).find((x) => x.id === 'db-access-denied');
      assert.match(c?.title ?? '', new RegExp(`\\(${codes[0]}\\)`));
    }
  });
});

describe('db-lock-contention', () => {
  const table: [file: string, severity: 'critical' | 'warning'][] = [
    ['db-signals/lock-wait-1205.log', 'critical'],
    ['db-signals/deadlock-gave-up.log', 'critical'],
    ['db-signals/lock-wait-retried.log', 'warning'],
    ['db-signals/deadlock-retried.log', 'warning'],
  ];
  for (const [file, severity] of table) {
    it(`${file}: ${severity}`, () => {
      const c = causes(healthy.health(), logs(file)).find((x) => x.id === 'db-lock-contention');
      assert.equal(c?.severity, severity);
      assert.equal(c?.restartHelps, false);
    });
  }
  it('a retried deadlock alone is a warning, and the log check only warns', () => {
    assert.equal(logs('db-signals/deadlock-retried.log').status, 'warn');
  });
});

describe('db-unreachable from 2002 and 2003, every driver', () => {
  const bodies = [
    'db-signals/health-500-mysqldb-server-down.json',
    'db-signals/health-500-mysqldb-2002-unix.json',
    'db-signals/health-500-pymysql-server-down.json',
    'db-signals/health-500-pymysql-2003-unix.json',
  ];
  for (const body of bodies) {
    it(body, () => {
      assert.deepEqual(first(health500(body), healthy.port()), ['db-unreachable', 'critical', false]);
    });
  }
  it("MySQLdb's wording of 2006 and 2013 ('Server has gone away', 'Lost connection to server') is db-connection-dropped", () => {
    for (const body of ['db-signals/health-500-mysqldb-gone-away.json', 'db-signals/health-500-mysqldb-killed-idle.json']) {
      assert.equal(first(health500(body), healthy.port())[0], 'db-connection-dropped', body);
    }
    assert.equal(logsOut('db-signals/mysqldb-gone-away.log').details.signals['gone-away']?.count, 1);
    assert.equal(logsOut('db-signals/mysqldb-lost-during-query.log').details.signals['lost-connection']?.count, 1);
  });
});

describe('workers-hung vs workers-saturated: the shape of the queue over time', () => {
  for (const file of ['db-signals/waitress-hung.log', 'db-signals/waitress-hung-20s.log']) {
    it(`${file}: the depth only rose for minutes → workers-hung, not "raise threads"`, () => {
      const l = logs(file);
      const c = causes(timeout(), healthy.port(), l);
      assert.deepEqual([c[0]?.id, c[0]?.severity, c[0]?.restartHelps], ['workers-hung', 'critical', true]);
      assert.match(c[0]?.advice ?? '', /py-spy dump/);
      assert.ok(!c.some((x) => x.id === 'workers-saturated'));
      assert.match(c[0]?.evidence.join('\n') ?? '', /Waitress queue depth rose 1 → 16 over \d+ min/);
    });
  }
  for (const file of ['db-signals/waitress-burst.log', 'db-signals/waitress-burst-twice.log']) {
    it(`${file}: a burst that drained → workers-saturated, a warning`, () => {
      const c = causes(healthy.health(), healthy.port(), logs(file));
      assert.ok(!c.some((x) => x.id === 'workers-hung'));
      assert.equal(c.find((x) => x.id === 'workers-saturated')?.severity, 'warning');
    });
  }
  it('the same hung log with a shorter workersHungAfter than its span, and a longer one', () => {
    const at = (after: number) => logsOut('db-signals/waitress-hung.log', { ...T, workersHungAfter: after }).details.signals['workers-hung'];
    assert.ok(at(60_000));
    assert.equal(at(3_600_000), undefined);
  });
});
