import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/types.js';
import { silentLog } from '../../src/log/run-log.js';
import type { WatchStore } from '../../src/store/watch-store.js';
import type { CycleScope, CycleSummary, WatchDeps } from '../../src/watch/watch-cycle.js';
import { startWatcher, type CycleRunner } from '../../src/watch/watcher.js';

/*
 * The watcher's retry bookkeeping with a stand-in cycle (the real one against a real host is in
 * watcher.integration.test.ts): who is re-checked, when, and never twice at once. The schedule is
 * once a year, so every cycle here is runNow() or a retry.
 */
const RETRY_MS = 40;
const base = loadConfig({}, undefined);
const config: Config = {
  ...base,
  hosts: ['a', 'b', 'c'].map((name) => ({ ...base.hosts[0]!, name })),
  // Below the schema's 1 s floor on purpose: the bookkeeping is the same, the test is quicker.
  watch: { ...base.watch, schedule: '0 0 1 1 *', retryInterval: RETRY_MS },
};
const deps: WatchDeps = {
  config,
  store: {} as WatchStore,
  transportFor: () => assert.fail('no transport'),
  log: silentLog,
  clock: Date.now,
  poster: undefined,
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Call {
  hosts: string[];
  retry: boolean;
  /** Ends the cycle, asking to retry these hosts. */
  finish(retryHosts?: string[]): void;
}

/** A cycle that ends when the test says so, recording every call and the hosts being checked. */
function scripted() {
  const calls: Call[] = [];
  const running = new Map<string, number>();
  let overlapped = false;
  const runner: CycleRunner = (_d, scope: CycleScope = {}) =>
    new Promise<CycleSummary>((resolve) => {
      const hosts = (scope.hosts ?? config.hosts).map((h) => h.name);
      for (const h of hosts) {
        running.set(h, (running.get(h) ?? 0) + 1);
        if (running.get(h)! > 1) overlapped = true;
      }
      calls.push({
        hosts,
        retry: scope.retry === true,
        finish: (retryHosts = []) => {
          for (const h of hosts) running.set(h, running.get(h)! - 1);
          resolve({ reports: [], intents: [], fullChecks: 0, durationMs: 1, retryHosts });
        },
      });
    });
  return { calls, runner, overlapped: () => overlapped };
}

async function waitFor(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('watcher retries (stand-in cycle)', () => {
  it('re-checks only the failing host after retryInterval, until it stops asking', async () => {
    const s = scripted();
    const w = startWatcher(deps, s.runner);
    try {
      const first = w.runNow();
      s.calls[0]!.finish(['b']);
      await first;
      await waitFor('a retry', () => s.calls.length === 2);
      assert.deepEqual(s.calls[1], { ...s.calls[1]!, hosts: ['b'], retry: true });
      s.calls[1]!.finish(['b']);
      await waitFor('a second retry', () => s.calls.length === 3);
      s.calls[2]!.finish([]); // alerted or recovered
      await sleep(RETRY_MS * 4);
      assert.equal(s.calls.length, 3, 'no retry once the host stops asking');
      assert.deepEqual([w.stats.cycles, w.stats.retries], [1, 2]);
    } finally {
      await w.stop();
    }
  });

  it('the scheduled cycle leaves out a host whose retry is running; a retry never starts on a host being checked', async () => {
    const s = scripted();
    const w = startWatcher(deps, s.runner);
    try {
      const first = w.runNow();
      s.calls[0]!.finish(['a']);
      await first;
      await waitFor('the retry of a', () => s.calls.length === 2);
      const tick = w.runNow(); // a tick while a's retry runs
      assert.deepEqual(s.calls[2]!.hosts, ['b', 'c'], 'a left out, not waited for');
      s.calls[1]!.finish(['a']); // a still pending: armed again while the tick checks b and c
      s.calls[2]!.finish(['c']);
      await tick;
      // Armed by two cycles ending at about the same time: one retry batch each.
      await waitFor('retries of a and c', () => s.calls.slice(3).flatMap((c) => c.hosts).length === 2);
      const retried = s.calls
        .slice(3)
        .flatMap((c) => c.hosts)
        .sort();
      assert.deepEqual(retried, ['a', 'c']);
      for (const c of s.calls.slice(3)) c.finish();
      assert.equal(s.overlapped(), false, 'no host checked twice at once');
    } finally {
      await w.stop();
    }
  });

  it('a cycle starting on a host cancels its pending retry; it re-arms when it ends', async () => {
    const s = scripted();
    const w = startWatcher(deps, s.runner);
    try {
      const first = w.runNow();
      s.calls[0]!.finish(['a']);
      await first;
      const second = w.runNow(); // before the retry is due: a is checked now
      await sleep(RETRY_MS * 3);
      assert.equal(s.calls.length, 2, 'the pending retry was cancelled, not run beside the cycle');
      s.calls[1]!.finish(['a']);
      await second;
      await waitFor('the re-armed retry', () => s.calls.length === 3);
      assert.deepEqual([s.calls[2]!.hosts, s.calls[2]!.retry], [['a'], true]);
      s.calls[2]!.finish();
      assert.equal(s.overlapped(), false);
    } finally {
      await w.stop();
    }
  });

  it('stop() clears pending retries and waits for running ones', async () => {
    const s = scripted();
    const w = startWatcher(deps, s.runner);
    const first = w.runNow();
    s.calls[0]!.finish(['a']);
    await first;
    await waitFor('the retry of a', () => s.calls.length === 2);
    let stopped = false;
    const stopping = w.stop().then(() => (stopped = true));
    await sleep(RETRY_MS);
    assert.equal(stopped, false, 'waits for the running retry');
    s.calls[1]!.finish(['a']);
    await stopping;
    await sleep(RETRY_MS * 3);
    assert.equal(s.calls.length, 2, 'nothing armed after stop');
  });

  it('retryInterval 0 (off): only the schedule checks', async () => {
    const s = scripted();
    const w = startWatcher({ ...deps, config: { ...config, watch: { ...config.watch, retryInterval: 0 } } }, s.runner);
    try {
      const first = w.runNow();
      s.calls[0]!.finish(['a', 'b']);
      await first;
      await sleep(RETRY_MS * 3);
      assert.deepEqual([s.calls.length, w.stats.retries], [1, 0]);
    } finally {
      await w.stop();
    }
  });

  it('a retry that throws is counted as a failure; the host waits for the schedule', async () => {
    let n = 0;
    const runner: CycleRunner = async () => {
      if (n++ === 0) return { reports: [], intents: [], fullChecks: 0, durationMs: 1, retryHosts: ['a'] };
      throw new Error('store broke');
    };
    const w = startWatcher(deps, runner);
    try {
      await w.runNow();
      await waitFor('the failed retry', () => w.stats.failures === 1);
      await sleep(RETRY_MS * 3);
      assert.deepEqual([n, w.stats.retries], [2, 1]);
    } finally {
      await w.stop();
    }
  });
});
