import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateDb } from '../../src/checks/db-check.js';
import { parseDbServerState, summarizeProcesslist } from '../../src/checks/parse-db.js';
import { fixture } from '../fixture.js';
import { tsvRows } from '../tsv.js';

const state = (variablesFile: string) => parseDbServerState(tsvRows(fixture(variablesFile)), tsvRows(fixture('mysql-status.tsv')));

describe('db parsers on real MariaDB output', () => {
  it('variables and status', () => {
    assert.deepEqual(state('mysql-variables.tsv'), {
      waitTimeout: 28800,
      interactiveTimeout: 28800,
      maxConnections: 151,
      threadsConnected: 11,
      maxUsedConnections: 11,
      abortedClients: 17,
      abortedConnects: 3,
    });
  });
  it('processlist summary leaves out our own query', () => {
    const s = summarizeProcesslist(tsvRows(fixture('mysql-processlist.tsv')));
    assert.equal(s.byCommand.Sleep, s.sleeping);
    assert.ok(s.sleeping >= 3);
    assert.equal(s.longestQuery?.info, 'SELECT SLEEP(30)');
    assert.equal(s.byState['Filling schema table'], undefined);
  });
});

describe('evaluateDb', () => {
  const pl = summarizeProcesslist(tsvRows(fixture('mysql-processlist.tsv')));
  it('wait_timeout 28800 ≥ 2 × 3600: ok', () => {
    const out = evaluateDb({ latencyMs: 3, state: state('mysql-variables.tsv'), processlist: pl, poolRecycle: 3600 }, { dbConnectionsPercent: 85 });
    assert.equal(out.status, 'ok');
    assert.equal(out.summary, 'reachable in 3 ms · wait_timeout 28800 s ≥ 2 × pool_recycle 3600 s · 11/151 connections');
    assert.equal(out.details.recycleOk, true);
  });
  it('the runbook case: wait_timeout 600 < 2 × pool_recycle 3600 warns', () => {
    const s = { ...state('mysql-variables.tsv'), waitTimeout: 600, threadsConnected: 14 };
    const out = evaluateDb({ latencyMs: 3, state: s, processlist: pl, poolRecycle: 3600 }, { dbConnectionsPercent: 85 });
    assert.equal(out.status, 'warn');
    assert.equal(out.summary, 'reachable in 3 ms · wait_timeout 600 s < 2 × pool_recycle 3600 s · 14/151 connections');
  });
  it('max_connections nearly used up (real capture with max_connections=10) fails', () => {
    const full = summarizeProcesslist(tsvRows(fixture('mysql-processlist-full.tsv')));
    const s = { ...state('mysql-variables-lowered.tsv'), threadsConnected: full.total + 1 };
    const out = evaluateDb({ latencyMs: 2, state: s, processlist: full, poolRecycle: 3600 }, { dbConnectionsPercent: 85 });
    assert.equal(out.status, 'fail');
    assert.match(out.evidence.join('\n'), /max_connections 10/);
  });
});
