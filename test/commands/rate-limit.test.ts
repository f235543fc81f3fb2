import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Caller } from '../../src/commands/command.js';
import { RateLimiter } from '../../src/commands/rate-limiter.js';
import { overRateLimit, planCommand } from '../../src/commands/router.js';
import { testConfig } from '../support/config.js';

/** A clock the test moves by hand. */
const clock = (start = 1_000_000) => {
  let now = start;
  return {
    now: () => now,
    at: (ms: number) => {
      now = start + ms;
    },
  };
};

describe('RateLimiter: a sliding window per user, with the exact wait', () => {
  // [at ms, user, expected: 'ok' or the wait in ms], max 3 per 10 s.
  const table: [number, string, 'ok' | number][] = [
    [0, 'U1', 'ok'],
    [1000, 'U1', 'ok'],
    [2000, 'U1', 'ok'],
    [2500, 'U1', 7500], // the use at 0 leaves the window at 10 000
    [2500, 'U2', 'ok'], // another person is not affected
    [9999, 'U1', 1], // refusals are not counted: the wait still ends at 10 000
    [10_000, 'U1', 'ok'], // the use at 0 has left; 1000, 2000, 10 000 are in
    [10_001, 'U1', 999], // next out: the use at 1000, at 11 000
    [30_000, 'U1', 'ok'], // long idle: a fresh window
  ];
  const c = clock();
  const limiter = new RateLimiter({ max: 3, windowMs: 10_000 }, c.now);
  for (const [at, user, want] of table) {
    it(`t+${at} ms ${user} → ${want === 'ok' ? 'ok' : `wait ${want} ms`}`, () => {
      c.at(at);
      const r = limiter.take(user);
      assert.deepEqual(r, want === 'ok' ? { ok: true } : { ok: false, retryInMs: want });
    });
  }
  it('forgets people whose uses have all left the window', () => {
    c.at(100_000);
    limiter.take('U3');
    assert.equal(limiter.size, 1);
  });
  it('max 0: no limit', () => {
    const off = new RateLimiter({ max: 0, windowMs: 60_000 }, () => 0);
    for (let i = 0; i < 100; i++) assert.deepEqual(off.take('U1'), { ok: true });
    assert.equal(off.size, 0);
  });
});

describe('overRateLimit: only report and the status of all hosts count, only for the one who ran them', () => {
  const rateLimit = { max: 1, window: '1m' };
  const config = testConfig({
    hosts: [
      { name: 'prod-1', transport: 'local' },
      { name: 'prod-2', transport: 'local' },
    ],
    slack: { rateLimit },
  });
  const caller = (userId: string): Caller => ({ userId, source: 'slack' });

  // [text, counted against the limit]
  const table: [string, boolean][] = [
    ['status', true],
    ['status all', true],
    ['STATUS all', true],
    ['report prod-1', true],
    ['status prod-1', false],
    ['health', false],
    ['logs prod-1 20', false],
    ['hosts', false],
    ['help', false],
    ['report', false], // a usage error runs nothing
    ['status prod-9', false], // unknown host: nothing runs
    ['status $(reboot)', false],
  ];
  it('with a single host configured, `status` is that one host: free', () => {
    const single = testConfig({ hosts: [{ name: 'prod-1', transport: 'local' }], slack: { rateLimit } });
    const limiter = new RateLimiter(single.slack.rateLimit, () => 0);
    for (const text of ['status', 'status all', 'status', 'status all']) assert.equal(overRateLimit(text, caller('U1'), single, limiter), undefined, text);
    assert.equal(overRateLimit('report prod-1', caller('U1'), single, limiter), undefined);
    assert.notEqual(overRateLimit('report prod-1', caller('U1'), single, limiter), undefined, 'report still counts');
  });
  for (const [text, expensive] of table) {
    it(`${JSON.stringify(text)} ${expensive ? 'counts' : 'is free'}`, () => {
      const plan = planCommand(text, caller('U1'), config);
      assert.equal(plan.kind === 'plan' && plan.expensive === true, expensive);
      const c = clock();
      const limiter = new RateLimiter(config.slack.rateLimit, c.now);
      assert.equal(overRateLimit(text, caller('U1'), config, limiter), undefined, 'the first is always allowed');
      c.at(15_000);
      const second = overRateLimit(text, caller('U1'), config, limiter);
      if (!expensive) return assert.equal(second, undefined);
      assert.equal(second?.visibility, 'ephemeral');
      assert.equal(
        second?.message,
        'try again in 45 s: at most 1 expensive command (report, status of all hosts) per person every 1 min, so the watcher keeps its SSH sessions',
      );
      assert.equal(second?.fix, 'one host at a time (`status HOST`) is not limited');
      assert.equal(overRateLimit(text, caller('U2'), config, limiter), undefined, 'someone else may');
      assert.equal(overRateLimit('status prod-1', caller('U1'), config, limiter), undefined, 'one host stays free');
    });
  }
});
