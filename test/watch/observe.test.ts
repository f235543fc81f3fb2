import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CauseId } from '../../src/diagnosis/cause.js';
import { dbKey, hostKey, observe } from '../../src/watch/observe.js';
import { cause, hostConfig, report } from '../support/builders.js';

const hosts = [hostConfig('prod-1', { dbName: 'main' }), hostConfig('prod-2', { dbName: 'main' }), hostConfig('prod-3', { dbName: 'prod-3' })];
const w = { alertWarnings: ['memory-growth'] as CauseId[] };
const verdicts = (o: ReturnType<typeof observe>): Record<string, string> => Object.fromEntries(o.map((x) => [x.key, x.verdict]));

describe('observe: reports → incident keys, with inhibition and grouping', () => {
  it("host-unreachable hides the host's other causes (their incidents are neither failing nor fine)", () => {
    const o = observe([report('prod-3', { causes: [cause('host-unreachable')] })], hosts, [hostKey('prod-3', 'disk-full')], w);
    assert.deepEqual(verdicts(o), { [hostKey('prod-3', 'host-unreachable')]: 'fail', [hostKey('prod-3', 'disk-full')]: 'unknown' });
  });

  it('the shared database down: one database key for both hosts, their app failures folded into it', () => {
    const o = observe(
      [
        report('prod-1', { causes: [cause('db-unreachable'), cause('app-unresponsive'), cause('disk-full')] }),
        report('prod-2', { causes: [cause('db-unreachable'), cause('app-unresponsive')] }),
      ],
      hosts,
      [],
      w,
    );
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
    const o = observe(
      [report('prod-1', { causes: [cause('memory-growth', { severity: 'warning' }), cause('db-connection-dropped', { severity: 'warning' })] })],
      hosts,
      [hostKey('prod-1', 'disk-full'), hostKey('prod-2', 'disk-full'), dbKey('main')],
      w,
    );
    assert.deepEqual(verdicts(o), {
      [hostKey('prod-1', 'memory-growth')]: 'fail',
      [hostKey('prod-1', 'disk-full')]: 'ok',
      [hostKey('prod-2', 'disk-full')]: 'unknown',
      [dbKey('main')]: 'ok',
    });
  });
});
