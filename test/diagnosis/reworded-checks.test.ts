import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnyCheckResult, CheckId } from '../../src/checks/check-types.js';
import { evaluateHealth } from '../../src/checks/health-check.js';
import { evaluatePort } from '../../src/checks/port-check.js';
import { evaluateResources } from '../../src/checks/resources-check.js';
import { evaluateSupervisor } from '../../src/checks/service-check.js';
import type { Cause } from '../../src/diagnosis/cause.js';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { fixture } from '../fixture.js';
import { thresholds } from '../thresholds.js';
import { app, failed, healthy, r, URL_ } from './check-results.js';

/*
 * Rules read what checks found (typed signals, details, error codes), never their sentences: a
 * check's summary and evidence can be reworded without changing which causes fire, how severe
 * they are, or how much evidence each finds. Every combination below is diagnosed twice — as the
 * evaluators wrote it, and with every sentence of every check replaced — and must agree.
 */
const T = thresholds();
const response = (status: number, body: string, durationMs = 9) => ({ kind: 'response' as const, response: { status, body, durationMs } });
const health = (file: string, status = 500) => r('health', evaluateHealth(URL_, response(status, fixture(file)), T));
const db = (waitTimeout: number, threads: number) => healthy.db(waitTimeout, threads);
const broken = fixture('moneymind-log-broken.log');
const only = (re: RegExp): string =>
  broken
    .split('\n')
    .filter((l) => re.test(l))
    .join('\n');

const VARIANTS: Record<CheckId, readonly (AnyCheckResult | undefined)[]> = {
  health: [
    healthy.health(),
    health('health-200.json', 200),
    health('health-500-gone-away.json'),
    health('health-500-lost-connection.json'),
    health('health-500-cant-connect.json'),
    health('health-500-access-denied.json'),
    r('health', evaluateHealth(URL_, { kind: 'timeout' }, T)),
  ],
  service: [healthy.service(), r('service', evaluateSupervisor(app, { stdout: fixture('supervisor-stopped.txt'), code: 3 }, 'ops'))],
  port: [healthy.port(), r('port', evaluatePort(5070, `@@ss\n${fixture('ss-tlnp-not-listening.txt')}`))],
  resources: [
    healthy.resources(),
    r(
      'resources',
      evaluateResources(
        [
          '@@loadavg',
          '0.1 0.1 0.1 1/300 9',
          '@@nproc',
          '2',
          '@@meminfo',
          fixture('meminfo.txt'),
          '@@df',
          fixture('df-P-full.txt'),
          '@@ps',
          fixture('ps.txt'),
        ].join('\n'),
        'app.py',
        '/var/log/m.log',
        T,
      ),
    ),
  ],
  db: [
    db(28800, 11),
    db(600, 11),
    db(28800, 140),
    db(600, 151),
    failed('db', 'DB_CONNECT', 'cannot reach MySQL at 127.0.0.1:3306: Connection refused'),
    undefined,
  ],
  logs: [
    undefined,
    healthy.logs(),
    healthy.logs(broken),
    healthy.logs(only(/gone away|Lost connection|^2026.*ERROR.*Exception/)),
    healthy.logs(only(/Can't connect|Too many|Task queue/)),
  ],
};

function* combinations(): Generator<AnyCheckResult[]> {
  const ids = Object.keys(VARIANTS) as CheckId[];
  function* pick(i: number, chosen: AnyCheckResult[]): Generator<AnyCheckResult[]> {
    if (i === ids.length) return yield chosen;
    for (const v of VARIANTS[ids[i]!]) yield* pick(i + 1, v ? [...chosen, v] : chosen);
  }
  yield* pick(0, []);
}

/** Every sentence a check wrote (summary, evidence, a signal's evidence) replaced, the same sentence the same way. */
function reworded(checks: readonly AnyCheckResult[]): AnyCheckResult[] {
  const words = new Map<string, string>();
  const say = (line: string): string => {
    if (!words.has(line)) words.set(line, `reworded sentence ${words.size + 1}`);
    return words.get(line)!;
  };
  return checks.map((c) => {
    const d = c.details;
    const details =
      d && 'signals' in d ? { ...d, signals: Object.fromEntries(Object.entries(d.signals).map(([id, s]) => [id, { ...s, evidence: say(s.evidence) }])) } : d;
    return { ...c, summary: say(c.summary), evidence: c.evidence.map(say), details } as AnyCheckResult;
  });
}

const shape = (causes: readonly Cause[]): string[] => causes.map((c) => `${c.id} ${c.severity} ${c.evidence.length} lines`);

describe('diagnosis reads what checks found, not how they say it', () => {
  it('rewording every check sentence changes no cause, severity or amount of evidence', () => {
    let n = 0;
    let fired = 0;
    const differ: string[] = [];
    for (const checks of combinations()) {
      n++;
      const input = { poolRecycle: 3600, thresholds: T, rssHistory: [], now: 0 };
      const before = shape(diagnose({ ...input, checks }));
      const after = shape(diagnose({ ...input, checks: reworded(checks) }));
      if (before.length) fired++;
      if (before.join() !== after.join() && differ.length < 10)
        differ.push(`${checks.map((c) => `${c.id}=${c.status}`).join(' ')}: ${before.join(', ')} ≠ ${after.join(', ')}`);
    }
    assert.ok(n > 1000 && fired > n / 2, `${n} combinations, ${fired} with causes`);
    assert.deepEqual(differ, []);
  });
});
