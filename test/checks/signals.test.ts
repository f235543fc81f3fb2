import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateDb } from '../../src/checks/db-check.js';
import { evaluateHealth } from '../../src/checks/health-check.js';
import { evaluateLogs } from '../../src/checks/logs-check.js';
import { parseDbServerState, summarizeProcesslist } from '../../src/checks/parse-db.js';
import { fixture } from '../fixture.js';
import { thresholds } from '../thresholds.js';
import { tsvRows } from '../tsv.js';

/*
 * What the rules read: each check's typed signals, found from real captured output, each with the
 * check's own evidence line for it, word for word (a cause quotes it).
 */
const URL_ = 'http://127.0.0.1:5070/health';
const app = { logFile: '/opt/moneymind/logs/moneymind.log' };

describe('signals', () => {
  const health: [file: string, ids: string[]][] = [
    ['health-200.json', []],
    ['health-500-gone-away.json', ['gone-away']],
    ['health-500-lost-connection.json', ['lost-connection']],
    ['health-500-cant-connect.json', ['cant-connect']],
    ['health-500-access-denied.json', ['access-denied']],
    ['health-500-too-many-connections.json', ['too-many-connections']],
  ];
  for (const [file, ids] of health) {
    it(`health ${file} → ${ids.join(', ') || 'none'}, quoting the summary`, () => {
      const out = evaluateHealth(
        URL_,
        { kind: 'response', response: { status: file === 'health-200.json' ? 200 : 500, body: fixture(file), durationMs: 9 } },
        thresholds(),
      );
      assert.deepEqual(Object.keys(out.details.signals), ids);
      for (const s of Object.values(out.details.signals)) assert.deepEqual(s, { count: 1, evidence: out.summary });
    });
  }

  it('logs: the broken log names every runbook signature; the evidence lines are the signals', () => {
    const oom = '@@kernel\n@@kern-log\nNov 25 22:05:00 web1 kernel: [812.5] Out of memory: Killed process 812 (python3) total-vm:2048000kB\n';
    const out = evaluateLogs(`@@now\n2026-11-25 22:10:00\n@@log\n${fixture('moneymind-log-broken.log')}\n${oom}`, app, thresholds());
    const s = out.details.signals;
    assert.deepEqual(Object.keys(s), ['gone-away', 'lost-connection', 'cant-connect', 'too-many-connections', 'queue-depth', 'oom-kill']);
    assert.deepEqual(
      [
        s['gone-away']?.count,
        s['lost-connection']?.count,
        s['cant-connect']?.count,
        s['too-many-connections']?.count,
        s['queue-depth']?.count,
        s['oom-kill']?.count,
      ],
      [2, 3, 2, 2, 12, 1],
    );
    assert.deepEqual(
      Object.values(s).map((x) => x?.evidence),
      out.evidence,
    );
    assert.equal(s['gone-away']?.evidence, '2× "MySQL server has gone away" (2006) in 15 min');
  });

  it('logs: a healthy log has none; an unreadable one has none and says so first', () => {
    assert.deepEqual(evaluateLogs(`@@now\n2026-11-25 22:10:00\n@@log\n${fixture('moneymind-log-healthy.log')}`, app, thresholds()).details.signals, {});
    const out = evaluateLogs("@@now\n2026-11-25 22:10:00\n@@log\ntail: cannot open '/x.log' for reading: Permission denied\n@@log-failed\n", app, thresholds());
    assert.deepEqual(out.details.signals, {});
    assert.match(out.evidence[0] ?? '', /^cannot read/);
  });

  it('db: pool_recycle too long, connections high, connections full', () => {
    const db = (waitTimeout: number, threads: number) =>
      evaluateDb(
        {
          latencyMs: 3,
          state: {
            ...parseDbServerState(tsvRows(fixture('mysql-variables.tsv')), tsvRows(fixture('mysql-status.tsv'))),
            waitTimeout,
            threadsConnected: threads,
            maxConnections: 151,
          },
          processlist: summarizeProcesslist(tsvRows(fixture('mysql-processlist.tsv'))),
          poolRecycle: 3600,
        },
        thresholds(),
      );
    assert.deepEqual(db(28800, 11).details.signals, {});
    const slow = db(600, 140);
    assert.deepEqual(Object.keys(slow.details.signals), ['recycle-too-long', 'connections-high']);
    assert.deepEqual(
      Object.values(slow.details.signals).map((x) => x?.evidence),
      slow.evidence,
    );
    const full = db(28800, 151);
    assert.deepEqual(full.details.signals['connections-full']?.count, 151);
    assert.match(full.details.signals['connections-full']?.evidence ?? '', /new connections are refused/);
  });
});
