import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Cause } from '../../src/diagnosis/cause.js';
import type { IncidentKey } from '../../src/domain/incident-key.js';
import { postsFor } from '../../src/watch/alert-messages.js';
import { type Ack, type Intent, shouldEscalate, step, type Tracker } from '../../src/watch/incident-policy.js';
import type { Observation } from '../../src/watch/observe.js';
import { cause } from '../support/builders.js';

// Acknowledgement and escalation decided by the pure policy from stored state and the clock.
const MIN = 60_000;
const KEY: IncidentKey = 'host:prod-1|app-unresponsive';
const base = { failuresToAlert: 2, successesToResolve: 2, remindEvery: 30 * MIN, flapHigh: 50, flapLow: 25 };
const detail = (title: string): Cause => cause('app-unresponsive', { title, advice: 'restart' });
const obs = (ch: string, title: string): Observation => ({
  key: KEY,
  verdict: ch === 'F' ? 'fail' : 'ok',
  subject: 'prod-1',
  hosts: ['prod-1'],
  cause: 'app-unresponsive',
  detail: ch === 'F' ? detail(title) : undefined,
  affected: [],
});

/** Cycles one minute apart; `ackAt(i)` says who holds it at cycle i. Returns "cycle:kind" per intent. */
function run(seq: string, o: { settings?: object; ackAt?: (i: number) => Ack | undefined; titleAt?: (i: number) => string; oncall?: string[] } = {}) {
  let trackers: Tracker[] = [];
  const said: string[] = [];
  const intents: Intent[] = [];
  [...seq].forEach((ch, i) => {
    const ack = o.ackAt?.(i);
    const r = step(trackers, [obs(ch, o.titleAt?.(i) ?? 'GET /health timed out')], {
      now: i * MIN,
      settings: { ...base, ...o.settings },
      silenced: new Set(),
      acks: new Map(ack ? [[KEY, ack]] : []),
      oncall: o.oncall ?? ['U0ONCALL1', 'S0OPSTEAM1'],
    });
    trackers = r.trackers;
    for (const x of r.intents) {
      said.push(`${i}:${x.kind === 'remind' ? `remind(${x.firingMs / MIN}m)` : x.kind}`);
      intents.push(x);
    }
  });
  return { said, intents, trackers };
}
const bob: Ack = { by: 'U0BOB0001', at: 5 * MIN };
const F70 = `FF${'F'.repeat(70)}`;

describe('acknowledge and escalate (pure policy)', () => {
  it('unacknowledged: reminders every remindEvery, as before', () => {
    assert.deepEqual(run(F70).said, ['1:open', '31:remind(31m)', '61:remind(61m)']);
  });

  it('acknowledged: no reminders while acknowledged (remindAcknowledgedEvery off)', () => {
    assert.deepEqual(run(F70, { ackAt: (i) => (i >= 5 ? bob : undefined) }).said, ['1:open']);
  });

  it('acknowledged with remindAcknowledgedEvery: reminders slow down to it', () => {
    const r = run(F70, { ackAt: (i) => (i >= 5 ? bob : undefined), settings: { remindAcknowledgedEvery: 60 * MIN } });
    assert.deepEqual(r.said, ['1:open', '61:remind(61m)']);
  });

  it('given back: reminders resume', () => {
    const r = run(F70, { ackAt: (i) => (i >= 5 && i < 40 ? bob : undefined) });
    assert.deepEqual(r.said, ['1:open', '40:remind(40m)', '70:remind(70m)']);
  });

  it('a new cause on an acknowledged incident names the acknowledger', () => {
    const r = run('FFFFF', { ackAt: () => bob, titleAt: (i) => (i < 3 ? 'GET /health timed out' : 'GET /health answered 500') });
    const update = r.intents.find((x) => x.kind === 'update');
    assert.equal(update?.kind === 'update' && update.ackBy, 'U0BOB0001');
    const [post] = postsFor(update!, r.trackers[0]!, 4 * MIN);
    assert.match(post!.message.text, /<@U0BOB0001>/);
  });

  it('escalation is off by default', () => {
    assert.ok(!run(F70).said.some((s) => s.endsWith('escalate')));
  });

  it('unacknowledged for escalateAfter: escalates once, counting from the first failure', () => {
    const r = run(F70, { settings: { escalateAfter: 15 * MIN } });
    assert.deepEqual(
      r.said.filter((s) => s.endsWith('escalate')),
      ['15:escalate'],
    );
    const esc = r.intents.find((x) => x.kind === 'escalate')!;
    const posts = postsFor(esc, r.trackers[0]!, 15 * MIN);
    assert.deepEqual(
      posts.map((p) => p.kind),
      ['reply', 'edit-parent'],
    );
    assert.match(posts[0]!.message.text, /<@U0ONCALL1> <!subteam\^S0OPSTEAM1>/);
    assert.match(JSON.stringify(posts[1]!.message.blocks), /escalated/);
  });

  it('acknowledged before escalateAfter: no escalation', () => {
    const r = run(F70, { settings: { escalateAfter: 15 * MIN }, ackAt: (i) => (i >= 5 ? bob : undefined) });
    assert.deepEqual(r.said, ['1:open']);
  });

  it('a new episode after resolving can escalate again', () => {
    const r = run(`FFFFF..FFFFF`, { settings: { escalateAfter: 3 * MIN } });
    assert.deepEqual(r.said, ['1:open', '3:escalate', '6:resolve', '8:open', '10:escalate']);
  });

  it('the parent shows who is on it and offers [Unacknowledge] instead of [Acknowledge]', () => {
    const r = run('FF');
    const [open] = postsFor(r.intents[0]!, r.trackers[0]!, MIN);
    assert.match(JSON.stringify(open!.message.blocks), /"action_id":"alert_ack"/);
    const acked = postsFor({ kind: 'escalate', key: KEY, oncall: [], afterMs: 0 }, r.trackers[0]!, MIN, bob)[1]!;
    const blocks = JSON.stringify(acked.message.blocks);
    assert.match(blocks, /👀 <@U0BOB0001> is on it since 00:05 UTC/);
    assert.match(blocks, /"action_id":"alert_unack"/);
    assert.doesNotMatch(blocks, /"action_id":"alert_ack"/);
  });
});

describe('repeated escalation (watch.escalateRepeat)', () => {
  const escalations = (r: { said: string[] }) => r.said.filter((x) => x.endsWith('escalate')).map((x) => Number.parseInt(x, 10));
  const every15 = (repeat: boolean) => ({ escalateAfter: 15 * MIN, escalateRepeat: repeat });

  it('off (the default): once per incident', () => {
    assert.deepEqual(escalations(run(F70, { settings: every15(false) })), [15]);
  });

  it('on: again every escalateAfter after the previous escalation while nobody acknowledges it', () => {
    const r = run(F70, { settings: every15(true) });
    assert.deepEqual(escalations(r), [15, 30, 45, 60]);
    const last = r.intents.filter((x) => x.kind === 'escalate').at(-1)!;
    assert.match(postsFor(last, r.trackers[0]!, 60 * MIN)[0]!.message.text, /<@U0ONCALL1>.*unacknowledged after 1 h/);
  });

  it('an acknowledgement stops the repeats', () => {
    assert.deepEqual(escalations(run(F70, { settings: every15(true), ackAt: (i) => (i >= 20 ? bob : undefined) })), [15]);
  });

  it('a give-back restarts the clock from the last cycle that saw it acknowledged, not from the last escalation', () => {
    // Acknowledged at 20, given back at 40 (cycle 39 was the last to see it): next at 39 + 15.
    const r = run(F70, { settings: every15(true), ackAt: (i) => (i >= 20 && i < 40 ? bob : undefined) });
    assert.deepEqual(escalations(r), [15, 54, 69]);
  });

  it('the same for the first escalation: given back at 40 before any escalation, it comes 15 min later, not at once', () => {
    assert.deepEqual(escalations(run(F70, { settings: every15(false), ackAt: (i) => (i >= 5 && i < 40 ? bob : undefined) })), [54]);
  });

  it('a new episode starts over: its first escalation counts from its own first failure', () => {
    const r = run(`FFFFFFF..FFFFFFF`, { settings: { escalateAfter: 3 * MIN, escalateRepeat: true } });
    assert.deepEqual(escalations(r), [3, 6, 12, 15]);
  });

  it('a tracker stored before escalatedAt existed (escalated: true only) repeats from escalateAfter after its first one', () => {
    const old: Tracker = { ...run(F70.slice(0, 3)).trackers[0]!, since: 0, escalated: true };
    assert.equal(old.escalatedAt, undefined);
    const at = (now: number, repeat = true) => shouldEscalate(old, undefined, { now, settings: { ...base, ...every15(repeat) } });
    // Its one escalation went out about 15 min in: the next one is due at 30.
    assert.deepEqual([at(29 * MIN), at(30 * MIN), at(90 * MIN, false)], [false, true, false]);
  });
});
