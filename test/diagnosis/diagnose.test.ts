import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnyCheckResult } from '../../src/checks/check-types.js';
import { evaluateHealth } from '../../src/checks/health-check.js';
import { evaluatePort } from '../../src/checks/port-check.js';
import { evaluateSupervisor } from '../../src/checks/service-check.js';
import type { Thresholds } from '../../src/config/types.js';
import type { CauseId, RssSample } from '../../src/diagnosis/cause.js';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { memoryRunsOut } from '../../src/diagnosis/memory-trend.js';
import { fixture } from '../fixture.js';
import { thresholds } from '../thresholds.js';
import { all, app, failed, healthy, r, URL_ } from './check-results.js';

/*
 * Diagnosis is pure: results in, ranked causes out. The results here come from the real
 * evaluators run on real captured output, so each scenario is one the bot can actually see.
 */
const ids = (checks: AnyCheckResult[], t: Thresholds = thresholds(), rssHistory: RssSample[] = [], now = 0): CauseId[] =>
  diagnose({ checks, poolRecycle: 3600, thresholds: t, rssHistory, now }).map((c) => c.id);

describe('diagnose', () => {
  it('all healthy → no causes', () => assert.deepEqual(ids(all()), []));

  it('the runbook example: 500 gone away + errors in the log + wait_timeout 600 → db-connection-dropped first', () => {
    const checks = all({
      health: r(
        'health',
        evaluateHealth(URL_, { kind: 'response', response: { status: 500, body: fixture('health-500-gone-away.json'), durationMs: 12 } }, thresholds()),
      ),
      db: healthy.db(600),
      logs: healthy.logs(
        fixture('moneymind-log-broken.log')
          .split('\n')
          .filter((l) => !l.includes('Task queue'))
          .join('\n'),
      ),
    });
    const causes = diagnose({ checks, poolRecycle: 3600, thresholds: thresholds(), rssHistory: [], now: 0 });
    assert.equal(causes[0]?.id, 'db-connection-dropped');
    assert.equal(causes[0]?.severity, 'critical');
    assert.equal(causes[0]?.restartHelps, true);
    assert.equal(causes[0]?.title, 'MySQL drops idle connections after 600 s but the app recycles them only after 3600 s.');
    assert.match(causes[0]?.advice ?? '', /^Set pool_recycle ≤ 300 and pool_pre_ping=True\. A restart clears it for a while\.$/);
    assert.ok(causes[0]!.evidence.some((e) => e.includes('wait_timeout is 600 s')));
  });

  it('wait_timeout < 2 × pool_recycle with no symptoms yet → a warning, not critical', () => {
    const causes = diagnose({ checks: all({ db: healthy.db(600) }), poolRecycle: 3600, thresholds: thresholds(), rssHistory: [], now: 0 });
    assert.deepEqual(
      causes.map((c) => [c.id, c.severity]),
      [['db-connection-dropped', 'warning']],
    );
  });

  it('unreachable host stands alone and says restart will not help', () => {
    const checks = (['health', 'service', 'port', 'resources', 'logs'] as const).map((id) =>
      failed(id, 'SSH_CONNECT', 'cannot connect to 10.0.0.5:22: ECONNREFUSED'),
    );
    const causes = diagnose({ checks, poolRecycle: 3600, thresholds: thresholds(), rssHistory: [], now: 0 });
    assert.deepEqual(
      causes.map((c) => c.id),
      ['host-unreachable'],
    );
    assert.equal(causes[0]?.restartHelps, false);
  });

  it('service stopped: service-down, and the closed port is not reported twice', () => {
    const checks = all({
      service: r('service', evaluateSupervisor(app, { stdout: fixture('supervisor-stopped.txt'), code: 3 }, 'ops')),
      port: r('port', evaluatePort(5070, `@@ss\n${fixture('ss-tlnp-not-listening.txt')}`)),
      health: r('health', evaluateHealth(URL_, { kind: 'refused', message: 'Connection refused' }, thresholds())),
    });
    assert.deepEqual(ids(checks), ['service-down']);
  });

  it('running but not listening → port-not-listening', () => {
    assert.deepEqual(ids(all({ port: r('port', evaluatePort(5070, `@@ss\n${fixture('ss-tlnp-not-listening.txt')}`)) })), ['port-not-listening']);
  });

  it('listening but /health hangs, Waitress queueing → app-unresponsive then workers-saturated (critical)', () => {
    const checks = all({
      health: r('health', evaluateHealth(URL_, { kind: 'timeout' }, thresholds())),
      logs: healthy.logs(
        fixture('moneymind-log-broken.log')
          .split('\n')
          .filter((l) => !/ERROR|Traceback|^\s|^\S+Error|^\[SQL|^\(Background/.test(l))
          .join('\n'),
      ),
    });
    const causes = diagnose({ checks, poolRecycle: 3600, thresholds: thresholds(), rssHistory: [], now: 0 });
    assert.deepEqual(
      causes.map((c) => c.id),
      ['app-unresponsive', 'workers-saturated'],
    );
    assert.equal(causes[1]?.severity, 'critical');
    assert.match(causes[1]?.advice ?? '', /threads=8, connection_limit=1000, cleanup_interval=30, channel_timeout=120/);
  });

  it('DB down: db-unreachable, restart will not help', () => {
    const checks = all({
      db: failed('db', 'DB_CONNECT', 'cannot reach MySQL at 127.0.0.1:3306 from 10.0.0.5: Connection refused'),
      health: r(
        'health',
        evaluateHealth(URL_, { kind: 'response', response: { status: 500, body: fixture('health-500-cant-connect.json'), durationMs: 9 } }, thresholds()),
      ),
    });
    const causes = diagnose({ checks, poolRecycle: 3600, thresholds: thresholds(), rssHistory: [], now: 0 });
    assert.equal(causes[0]?.id, 'db-unreachable');
    assert.equal(causes[0]?.restartHelps, false);
    assert.equal(causes[0]?.evidence.length, 2);
  });

  it('connections nearly exhausted → db-connections-exhausted', () => {
    assert.deepEqual(ids(all({ db: healthy.db(28800, 140, 151) })), ['db-connections-exhausted']);
  });

  it('resource thresholds: disk-full, memory-pressure, cpu-overload', () => {
    assert.deepEqual(ids(all({ resources: healthy.resources(thresholds({ diskUsedPercent: 20 })) }), thresholds({ diskUsedPercent: 20 })), ['disk-full']);
    assert.deepEqual(ids(all({ resources: healthy.resources(thresholds({ memAvailablePercent: 99.5 })) }), thresholds({ memAvailablePercent: 99.5 })), [
      'memory-pressure',
    ]);
    assert.deepEqual(ids(all({ resources: healthy.resources(thresholds(), '9.00 8.00 7.00 9/300 9') })), ['cpu-overload']);
  });

  it('memory-growth from the RSS history plus the current sample', () => {
    const MIN = 60_000;
    const now = 30 * MIN;
    // The fixture's app has 47204 kB now; before, it grew steadily from 20 MB: ~54 MB/h.
    const history = Array.from({ length: 30 }, (_, i) => ({ at: i * MIN, rssKb: Math.round((20 + (i * 26) / 29) * 1024) }));
    assert.deepEqual(ids(all(), thresholds(), history, now), ['memory-growth']);
    assert.deepEqual(ids(all(), thresholds({ memoryGrowthMbPerHour: 100 }), history, now), []);
    // The projection leads the evidence: the fixture's MemAvailable (24325280 kB) at that slope.
    const [growth] = diagnose({ checks: all(), poolRecycle: 3600, thresholds: thresholds(), rssHistory: history, now });
    assert.match(growth!.evidence[0]!, /^at this slope memory runs out in ≈ \d+ d \d+ h at \+5\d MB\/h \(MemAvailable 23755 MB\)$/);
  });

  it('the time until memory runs out: MemAvailable over the slope, only for a rise', () => {
    assert.equal(memoryRunsOut(177_493, 52)?.words, 'memory runs out in ≈ 3 h 20 min at +52 MB/h (MemAvailable 173 MB)');
    assert.equal(memoryRunsOut(40 * 1024, 120)?.words, 'memory runs out in ≈ 20 min at +120 MB/h (MemAvailable 40 MB)');
    assert.equal(memoryRunsOut(177_493, 0), undefined);
    assert.equal(memoryRunsOut(177_493, -3), undefined);
    assert.equal(memoryRunsOut(null, 52), undefined);
  });
});
