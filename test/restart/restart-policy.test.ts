import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { restartNote } from '../../src/render/labels.js';
import { mayCancel, mayConfirm, restartWarnings } from '../../src/restart/restart-policy.js';
import { cause, report } from '../support/builders.js';
import type { RestartRow } from '../../src/store/restart-types.js';

/* Who may confirm and who may cancel a restart request: pure, over every kind of person. */
const row = { id: 'r1', host: 'prod-1', requested_by: 'U0ASKER001' } as RestartRow;
const config = (requireSecondPerson: boolean) => ({
  slack: {
    alertChannel: undefined,
    commandChannels: [],
    approvers: ['U0APPROVE1'],
    approverGroups: ['S0OPSTEAM1'],
    responders: [],
    oncall: [],
    rateLimit: { max: 4, windowMs: 60_000 },
  },
  restart: { requireSecondPerson, confirmTimeout: 1, verifyTimeout: 1, commandTimeout: 1, maxPerHour: 3, dryRun: false },
});

describe('restart policy', () => {
  // [who, in an approver group, two-person rule, may confirm, may cancel]
  const table: [string, boolean, boolean, boolean, boolean][] = [
    ['U0APPROVE1', false, false, true, true], // a listed approver
    ['U0GROUP001', true, false, true, true], // a member of slack.approverGroups: may cancel too
    ['U0ASKER001', false, false, false, true], // the requester, not an approver: cancels own request only
    ['U0STRANGE1', false, false, false, false],
    ['U0APPROVE1', false, true, true, true],
    ['U0GROUP001', true, true, true, true],
  ];
  for (const [who, inGroup, twoPerson, confirm, cancel] of table) {
    it(
      `${who}${inGroup ? ' (in a group)' : ''}${twoPerson ? ', two-person rule' : ''}: ` + `confirm ${confirm ? 'yes' : 'no'}, cancel ${cancel ? 'yes' : 'no'}`,
      () => {
        assert.equal(mayConfirm(row, who, config(twoPerson), inGroup).ok, confirm);
        assert.equal(mayCancel(row, who, config(twoPerson), inGroup).ok, cancel);
      },
    );
  }
  it('the requester in an approver group: may cancel, and confirm only without the two-person rule', () => {
    const asker = { ...row, requested_by: 'U0GROUP001' };
    assert.equal(mayCancel(asker, 'U0GROUP001', config(true), true).ok, true);
    assert.deepEqual(mayConfirm(asker, 'U0GROUP001', config(true), true), { ok: false, why: 'two-person rule: someone other than the requester must confirm' });
    assert.equal(mayConfirm(asker, 'U0GROUP001', config(false), true).ok, true);
  });
  it('a refusal names both lists', () => {
    assert.deepEqual(mayCancel(row, 'U0STRANGE1', config(false)), {
      ok: false,
      why: 'only the requester or an approver (slack.approvers or slack.approverGroups) may cancel',
    });
  });
});

describe('what a restart does about the causes, said before confirming', () => {
  it('a cause a restart does not fix gets the loud warning; the catch-all says nobody knows', () => {
    const warnings = restartWarnings(
      report('prod-1', {
        status: 'fail',
        causes: [cause('disk-full', { restartHelps: false }), cause('app-unhealthy', { restartHelps: false }), cause('service-down', { restartHelps: true })],
      }),
    );
    assert.equal(warnings.length, 2);
    assert.match(warnings[0]!, /^disk-full: a restart will not fix this — /);
    assert.match(warnings[1]!, /^app-unhealthy: the cause is unknown, a restart may not fix it — /);
    assert.equal(restartNote({ id: 'app-unhealthy', restartHelps: false }, 'unless-helps'), 'The cause is unknown: a restart may not help.');
    assert.equal(restartNote({ id: 'disk-full', restartHelps: false }, 'always'), 'A restart will not help.');
    assert.equal(restartNote({ id: 'service-down', restartHelps: true }, 'unless-helps'), '');
  });
});
