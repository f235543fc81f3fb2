import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CauseId } from '../../src/diagnosis/cause.js';
import { step, type Tracker } from '../../src/watch/incident-policy.js';
import { dbKey, hostKey, type Observation } from '../../src/watch/observe.js';
import { retryHosts } from '../../src/watch/retry-hosts.js';
import { cause } from '../support/builders.js';

const settings = { failuresToAlert: 3, successesToResolve: 2, remindEvery: 1_800_000, flapHigh: 50, flapLow: 25 };
const onHost = (host: string, id: CauseId, verdict: Observation['verdict']): Observation => ({
  key: hostKey(host, id),
  verdict,
  subject: host,
  hosts: [host],
  cause: id,
  detail: verdict === 'fail' ? cause(id) : undefined,
  affected: [],
});
const db = (name: string, hosts: string[]): Observation => ({
  key: dbKey(name),
  verdict: 'fail',
  subject: `db ${name}`,
  hosts,
  cause: 'db-unreachable',
  detail: cause('db-unreachable'),
  affected: [],
});

/** Runs cycles of observations through the real policy; returns what the last cycle asks to retry. */
function after(cycles: Observation[][], s = settings): string[] {
  let trackers: Tracker[] = [];
  let last: string[] = [];
  cycles.forEach((obs, i) => {
    trackers = step(trackers, obs, { now: i * 10_000, settings: s, silenced: new Set() }).trackers;
    last = retryHosts(obs, trackers);
  });
  return last;
}

const down = onHost('prod-1', 'service-down', 'fail');
const up = onHost('prod-1', 'service-down', 'ok');
const unseen = onHost('prod-1', 'service-down', 'unknown');

describe('retryHosts: which hosts a cycle leaves for a fast re-check (pure)', () => {
  const table: [string, Observation[][], string[]][] = [
    ['a first failure is pending: re-check the host', [[down]], ['prod-1']],
    ['still pending after the second of three failures', [[down], [down]], ['prod-1']],
    ['the failure that alerts ends the retries (firing: the schedule takes over)', [[down], [down], [down]], []],
    ['still failing while firing: no retry', [[down], [down], [down], [down]], []],
    ['recovered while pending: no retry', [[down], [up]], []],
    ['healthy hosts are never retried', [[up], [up]], []],
    // An app failure folded into a database outage is 'unknown' and stays pending for as long as
    // the outage lasts: retrying it would never end.
    ['pending but not seen failing this cycle: no retry', [[down], [unseen]], []],
    ['only the failing host of several', [[down, onHost('prod-2', 'disk-full', 'ok')]], ['prod-1']],
    [
      'every host with a pending key, each once',
      [[down, onHost('prod-1', 'app-unresponsive', 'fail'), onHost('prod-2', 'disk-full', 'fail')]],
      ['prod-1', 'prod-2'],
    ],
    ['a shared database down: the hosts that saw it down', [[db('main', ['prod-1', 'prod-2'])]], ['prod-1', 'prod-2']],
  ];
  for (const [name, cycles, expected] of table) it(name, () => assert.deepEqual(after(cycles), expected));

  it('failuresToAlert 1 alerts at once: nothing to retry', () => {
    assert.deepEqual(after([[down]], { ...settings, failuresToAlert: 1 }), []);
  });

  it('a pending key next to a firing one on the same host still retries the host', () => {
    const disk = onHost('prod-1', 'disk-full', 'fail');
    assert.deepEqual(after([[disk], [disk], [disk, down]]), ['prod-1']);
  });
});
