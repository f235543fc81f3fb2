import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostConfig, JumpHostConfig, SshTarget } from '../../src/config/types.js';
import type { CauseId } from '../../src/diagnosis/cause.js';
import { dbKey, hostKey, jumpKey, observe } from '../../src/watch/observe.js';
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

describe('observe: a jump host down is one incident, the hosts behind it unknown', () => {
  const jump = { name: 'bastion' } as JumpHostConfig;
  const ssh = (host: HostConfig): HostConfig => ({ ...host, transport: 'ssh', ssh: { ...({} as SshTarget), host: '10.0.0.5', jump } });
  const behind = [ssh(hostConfig('app-1')), ssh(hostConfig('app-2')), ssh(hostConfig('app-3')), hostConfig('direct')];
  const bastionDown = cause('bastion-unreachable', { title: 'The bot cannot log in to the jump host bastion' });

  it('every host behind it failing with bastion-unreachable: ONE jump key listing them, no host key at all', () => {
    const o = observe(
      [
        report('app-1', { causes: [bastionDown] }),
        report('app-2', { causes: [bastionDown] }),
        report('app-3', { causes: [bastionDown] }),
        report('direct', { causes: [cause('disk-full')] }),
      ],
      behind,
      [],
      w,
    );
    assert.deepEqual(verdicts(o), { [jumpKey('bastion')]: 'fail', [hostKey('direct', 'disk-full')]: 'fail' });
    const j = o.find((x) => x.key === jumpKey('bastion'))!;
    assert.equal(j.subject, 'jump host bastion');
    assert.equal(j.cause, 'bastion-unreachable');
    assert.deepEqual(j.hosts, ['app-1', 'app-2', 'app-3']);
    assert.equal(j.detail?.title, 'bastion unreachable: 3 hosts unknown');
    assert.deepEqual(j.affected, [
      'app-1: unknown — not checked while jump host bastion is down',
      'app-2: unknown — not checked while jump host bastion is down',
      'app-3: unknown — not checked while jump host bastion is down',
    ]);
  });

  it("while it is down the hosts' own incidents neither resolve nor fail (host-unreachable included)", () => {
    const known = [hostKey('app-1', 'service-down'), hostKey('app-2', 'host-unreachable'), jumpKey('bastion')];
    const o = observe([report('app-1', { causes: [bastionDown] }), report('app-2', { causes: [bastionDown] })], behind, known, w);
    assert.deepEqual(verdicts(o), {
      [jumpKey('bastion')]: 'fail',
      [hostKey('app-1', 'service-down')]: 'unknown',
      [hostKey('app-2', 'host-unreachable')]: 'unknown',
    });
  });

  it('the bastion answers again: its incident is ok, even when a host behind it has troubles of its own', () => {
    const o = observe(
      [report('app-1'), report('app-2', { causes: [cause('host-unreachable')] })],
      behind,
      [jumpKey('bastion'), hostKey('app-1', 'service-down')],
      w,
    );
    assert.deepEqual(verdicts(o), {
      [jumpKey('bastion')]: 'ok',
      [hostKey('app-1', 'service-down')]: 'ok',
      [hostKey('app-2', 'host-unreachable')]: 'fail',
    });
  });

  it('no host behind it checked this cycle (a retry of others): its incident stays unknown', () => {
    const o = observe([report('direct')], behind, [jumpKey('bastion')], w);
    assert.deepEqual(verdicts(o), { [jumpKey('bastion')]: 'unknown' });
    assert.equal(o[0]!.subject, 'jump host bastion');
  });
});
