import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostConfig } from '../../src/config/types.js';
import type { Cause, CauseId } from '../../src/diagnosis/cause.js';
import type { HostReport } from '../../src/engine/host-report.js';
import { dbKey, hostKey, observe } from '../../src/watch/observe.js';

const host = (name: string, dbName: string | undefined): HostConfig => ({ name, dbName } as HostConfig);
const c = (id: CauseId, severity: Cause['severity'] = 'critical'): Cause => ({ id, severity, title: id, evidence: [], advice: '', restartHelps: true });
const report = (name: string, ...causes: Cause[]): HostReport => ({ name, ok: causes.length === 0, status: causes.length ? 'fail' : 'ok', durationMs: 1, checks: [], causes });
const hosts = [host('prod-1', 'main'), host('prod-2', 'main'), host('prod-3', 'prod-3')];
const w = { alertWarnings: ['memory-growth'] as CauseId[] };
const verdicts = (o: ReturnType<typeof observe>): Record<string, string> => Object.fromEntries(o.map((x) => [x.key, x.verdict]));

describe('observe: reports → incident keys, with inhibition and grouping', () => {
  it('host-unreachable hides the host\'s other causes (their incidents are neither failing nor fine)', () => {
    const o = observe([report('prod-3', c('host-unreachable'))], hosts, [hostKey('prod-3', 'disk-full')], w);
    assert.deepEqual(verdicts(o), { [hostKey('prod-3', 'host-unreachable')]: 'fail', [hostKey('prod-3', 'disk-full')]: 'unknown' });
  });

  it('the shared database down: one database key for both hosts, their app failures folded into it', () => {
    const o = observe([report('prod-1', c('db-unreachable'), c('app-unresponsive'), c('disk-full')), report('prod-2', c('db-unreachable'), c('app-unresponsive'))], hosts, [], w);
    assert.deepEqual(verdicts(o), {
      [hostKey('prod-1', 'app-unresponsive')]: 'unknown',
      [hostKey('prod-1', 'disk-full')]: 'fail',
      [hostKey('prod-2', 'app-unresponsive')]: 'unknown',
      [dbKey('main')]: 'fail',
    });
    const db = o.find((x) => x.key === dbKey('main'))!;
    assert.deepEqual(db.hosts, ['prod-1', 'prod-2']);
    assert.equal(db.subject, 'db main');
    assert.deepEqual(db.affected, ['prod-1: app-unresponsive — app-unresponsive', 'prod-2: app-unresponsive — app-unresponsive']);
  });

  it('warnings alert only when listed; tracked keys that stopped failing are ok, unseen ones unknown', () => {
    const o = observe([report('prod-1', c('memory-growth', 'warning'), c('db-connection-dropped', 'warning'))], hosts, [hostKey('prod-1', 'disk-full'), hostKey('prod-2', 'disk-full'), dbKey('main')], w);
    assert.deepEqual(verdicts(o), {
      [hostKey('prod-1', 'memory-growth')]: 'fail',
      [hostKey('prod-1', 'disk-full')]: 'ok',
      [hostKey('prod-2', 'disk-full')]: 'unknown',
      [dbKey('main')]: 'ok',
    });
  });
});
