import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { healthStatus } from '../../src/ops/health-status.js';

const base = { now: 1_000_000, startedAt: 1_000_000 - 600_000, slack: 'connected' as const };

describe('/healthz rules', () => {
  const table: [string, Parameters<typeof healthStatus>[0], 200 | 503, RegExp][] = [
    ['watcher off, Slack connected', { ...base, watch: undefined }, 200, /"status":"ok"/],
    ['last cycle 30 s ago', { ...base, watch: { lastCycleAt: base.now - 30_000, staleAfterMs: 180_000 } }, 200, /"lastCycleAgeS":30/],
    [
      'last cycle 4 min ago with a 1-min schedule',
      { ...base, watch: { lastCycleAt: base.now - 240_000, staleAfterMs: 180_000 } },
      503,
      /no watch cycle for 240 s/,
    ],
    ['no cycle yet, started 10 min ago', { ...base, watch: { lastCycleAt: undefined, staleAfterMs: 180_000 } }, 503, /no watch cycle for 600 s/],
    ['Socket Mode disconnected', { ...base, slack: 'disconnected', watch: undefined }, 503, /Slack socket disconnected/],
    ['HTTP mode', { ...base, slack: 'http', watch: undefined }, 200, /"slack":"http"/],
    ['Slack not reached yet since start', { ...base, slack: 'connecting', watch: undefined }, 503, /"problems":\["slack: connecting"\]/],
    [
      'a replica standing by runs no cycles: healthy, and says who leads',
      {
        ...base,
        watch: { lastCycleAt: undefined, staleAfterMs: 180_000 },
        leader: { self: 'bot-b:7:aa', leading: false, holder: 'bot-a:9:bb', token: 4 },
      },
      200,
      /"watcher":"standby".*"replica":"bot-b:7:aa","leader":"bot-a:9:bb","leaseToken":4/,
    ],
    [
      'a replica that took the lead 30 s ago: its staleness counts from then',
      {
        ...base,
        watch: { lastCycleAt: undefined, staleAfterMs: 180_000 },
        leader: { self: 'bot-b:7:aa', leading: true, holder: 'bot-b:7:aa', token: 5, since: base.now - 30_000 },
      },
      200,
      /"lastCycleAgeS":30,"slack":"connected","watcher":"on"/,
    ],
    [
      '… and one leading with no cycle for 4 min is unhealthy',
      {
        ...base,
        watch: { lastCycleAt: base.now - 240_000, staleAfterMs: 180_000 },
        leader: { self: 'bot-b:7:aa', leading: true, holder: 'bot-b:7:aa', token: 5, since: base.now - 300_000 },
      },
      503,
      /no watch cycle for 240 s/,
    ],
    [
      "… with the last attempt's error",
      { ...base, slack: 'connecting', slackError: 'auth.test: invalid_auth', watch: undefined },
      503,
      /slack: connecting — last attempt: auth.test: invalid_auth/,
    ],
  ];
  for (const [name, input, code, body] of table) {
    it(name, () => {
      const r = healthStatus(input);
      assert.equal(r.code, code);
      assert.match(JSON.stringify(r.body), body);
    });
  }
});
