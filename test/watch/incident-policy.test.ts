import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Cause } from '../../src/diagnosis/cause.js';
import { percentStateChange } from '../../src/watch/flapping.js';
import { step, type Intent, type Tracker } from '../../src/watch/incident-policy.js';
import type { Observation } from '../../src/watch/observe.js';
import { cause } from '../support/builders.js';

const MIN = 60_000;
const settings = { failuresToAlert: 2, successesToResolve: 2, remindEvery: 30 * MIN, flapHigh: 50, flapLow: 25 };
const unresponsive = (title = 'GET /health timed out after 5 s'): Cause => cause('app-unresponsive', { title, advice: 'restart' });
const obs = (verdict: Observation['verdict'], detail = unresponsive()): Observation => ({
  key: 'host:prod-1|app-unresponsive',
  verdict,
  subject: 'prod-1',
  hosts: ['prod-1'],
  cause: 'app-unresponsive',
  detail: verdict === 'fail' ? detail : undefined,
  affected: [],
});

/**
 * Runs a sequence of cycles one minute apart; `F` fail, `.` ok, `?` unknown. Returns each cycle's
 * intents as "cycle:kind" so a whole story reads in one line.
 */
function run(seq: string, opts: { silencedAt?: (cycle: number) => boolean; detailAt?: (cycle: number) => Cause } = {}) {
  let trackers: Tracker[] = [];
  const said: string[] = [];
  const closed: number[] = [];
  [...seq].forEach((ch, i) => {
    const verdict = ch === 'F' ? 'fail' : ch === '.' ? 'ok' : 'unknown';
    const r = step(trackers, [obs(verdict, opts.detailAt?.(i) ?? unresponsive())], {
      now: i * MIN,
      settings,
      silenced: new Set(opts.silencedAt?.(i) ? ['prod-1'] : []),
    });
    trackers = r.trackers;
    for (const x of r.intents) said.push(`${i}:${label(x)}`);
    for (const c of r.closed) closed.push(c.durationMs / MIN);
  });
  return { said, closed, trackers };
}
const label = (i: Intent): string =>
  i.kind === 'open' && i.flapping
    ? 'open-flapping'
    : i.kind === 'resolve' && i.note
      ? `resolve(${i.note})`
      : i.kind === 'remind'
        ? `remind(${i.firingMs / MIN}m)`
        : i.kind;

describe('incident policy: sequences in, posts out (no I/O)', () => {
  const table: [string, string, string[]][] = [
    ['one failure is only pending', 'F...', []],
    ['two failures open one thread; more failures open nothing more', 'FFFFF', ['1:open']],
    ['two good cycles resolve it, once', 'FFF...', ['1:open', '4:resolve']],
    ['one good cycle between failures does not resolve', 'FF.FF..', ['1:open', '6:resolve']],
    ['unknown cycles (host unreachable) change nothing', 'FF??..', ['1:open', '5:resolve']],
    ['a reminder every 30 min while firing, in the thread', `FF${'F'.repeat(60)}..`, ['1:open', '31:remind(31m)', '61:remind(61m)', '63:resolve']],
    ['the same incident can open again after it resolved: a new thread', 'FF..FF', ['1:open', '3:resolve', '5:open']],
  ];
  for (const [name, seq, expected] of table) it(name, () => assert.deepEqual(run(seq).said, expected));

  it('silenced: tracked but not posted; a still-failing incident is posted when the silence ends', () => {
    const r = run('FFFFFF..', { silencedAt: (i) => i < 4 });
    assert.deepEqual(r.said, ['4:open', '7:resolve']);
  });

  it('an incident that starts and ends inside a silence posts nothing, yet is recorded as closed', () => {
    const r = run('FFF..', { silencedAt: () => true });
    assert.deepEqual(r.said, []);
    assert.deepEqual(r.closed, [4], 'minutes from the first failure to the resolve');
  });

  it('a change of severity or kind goes into the thread; changing numbers do not', () => {
    const detailAt = (i: number): Cause =>
      i < 3 ? unresponsive(`GET /health timed out after ${i + 5} s`) : unresponsive('GET /health → 500: MySQL server has gone away');
    assert.deepEqual(run('FFFFF..', { detailAt }).said, ['1:open', '3:update', '6:resolve']);
  });

  it('flapping: one notice instead of open/close spam, one resolve when it settles', () => {
    const r = run(`${'F.'.repeat(15)}${'.'.repeat(25)}`);
    assert.equal(r.said.filter((s) => /open|:flapping/.test(s)).length, 1, r.said.join(' '));
    assert.ok(r.said.length <= 3, r.said.join(' '));
    assert.match(r.said.at(-1)!, /resolve\(stopped flapping\)$/);
  });

  it('flapping after the thread is open: a "flapping" notice in that thread, not a second thread', () => {
    const r = run(`FFF${'.F'.repeat(14)}`);
    assert.equal(r.said[0], '1:open');
    assert.deepEqual(
      r.said.filter((s) => /open/.test(s)),
      ['1:open'],
    );
    assert.equal(r.said.filter((s) => /:flapping/.test(s)).length, 1, r.said.join(' '));
  });
});

describe('percent state change (Nagios style)', () => {
  const F = true;
  const o = false;
  it('steady states: 0 %; strict alternation: 100 %; too little history: 0 %', () => {
    assert.equal(percentStateChange(Array(21).fill(F)), 0);
    assert.equal(Math.round(percentStateChange(Array.from({ length: 21 }, (_, i) => i % 2 === 0))), 100);
    assert.equal(percentStateChange([F, o, F, o]), 0);
  });
  it('recent changes weigh more than old ones', () => {
    const old = [F, o, F, o, ...Array(17).fill(o)];
    const recent = [...Array(17).fill(o), F, o, F, o];
    assert.ok(percentStateChange(recent) > percentStateChange(old));
  });
});

describe('alert messages', () => {
  it('mask credentials found in the evidence, in the parent and in the thread', async () => {
    const { postsFor } = await import('../../src/watch/alert-messages.js');
    const detail: Cause = { ...unresponsive('GET /health → 500: mysql://app:hunter2@db/x'), evidence: ['password="hunter2" in the log'] };
    const t = run('FF').trackers[0]!;
    const msgs = postsFor({ kind: 'open', key: t.key, flapping: false }, { ...t, detail }, 2 * MIN);
    const all = JSON.stringify(msgs);
    assert.ok(!all.includes('hunter2'), all);
    assert.match(all, /mysql:\/\/app:\*\*\*@db/);
    assert.deepEqual(
      msgs.map((m) => m.kind),
      ['post-parent', 'reply'],
    );
  });
});
