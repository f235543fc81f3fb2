import cron from 'node-cron';
import type { HostConfig } from '../config/types.js';
import { RetryTimers } from './retry-timers.js';
import { runCycle, type CycleScope, type CycleSummary, type WatchDeps } from './watch-cycle.js';

export interface Watcher {
  /** Runs one cycle now unless one is running (then resolves undefined): for tests and startup. */
  runNow(): Promise<CycleSummary | undefined>;
  stop(): Promise<void>;
  /** cycles: scheduled ones; retries: re-check cycles run (each over one batch of hosts). */
  readonly stats: { cycles: number; overlaps: number; failures: number; retries: number };
  /** The schedule's period (between its next two runs), for /healthz's staleness rule. */
  readonly intervalMs: number;
}

export type CycleRunner = (d: WatchDeps, scope?: CycleScope) => Promise<CycleSummary>;

/**
 * Replaces the runbook's 60-second monitor.sh: node-cron fires on `watch.schedule`; a cycle still
 * running when the next tick comes is skipped (noOverlap), never run twice at once.
 *
 * Fast re-checks (watch.retryInterval, Nagios' retry_interval): after any cycle, the hosts it saw
 * failing without an alert yet are re-checked retryInterval later, apart from the schedule, until
 * they alert or recover — an outage alerts within one interval + (failuresToAlert − 1) retries
 * instead of failuresToAlert intervals. A host's checks never run twice at once: `busy` holds the
 * hosts being checked; a cycle starting on a host cancels its pending retry, and the scheduled
 * cycle leaves out hosts whose retry is running. It does not wait for them: one slow host (an
 * unreachable one takes its SSH timeout) would hold up the whole fleet, while the retry running
 * on it is a check as fresh as the one the tick would make. `runCycle` is a parameter for tests.
 */
export function startWatcher(d: WatchDeps, cycle: CycleRunner = runCycle): Watcher {
  const stats = { cycles: 0, overlaps: 0, failures: 0, retries: 0 };
  const busy = new Set<string>();
  const retriesRunning = new Set<Promise<unknown>>();
  let inFlight: Promise<CycleSummary | undefined> | undefined;
  let stopped = false;

  const failed = (err: unknown): undefined => {
    // A cycle that throws (the store, a bug) must not stop the schedule; it is logged and counted.
    // Its hosts get no retry: the next tick checks them again.
    stats.failures++;
    d.log.error({ err }, 'watch cycle failed');
    return undefined;
  };
  const timers = new RetryTimers(d.config.watch.retryInterval, (names) => {
    if (stopped) return;
    // `busy` is a guard only: a cycle starting on a host has already cancelled its timer.
    const hosts = d.config.hosts.filter((h) => names.includes(h.name) && !busy.has(h.name));
    if (!hosts.length) return;
    stats.retries++;
    const run = check(hosts, true)
      .catch(failed)
      .finally(() => retriesRunning.delete(run));
    retriesRunning.add(run);
  });

  const check = (hosts: readonly HostConfig[], retry: boolean): Promise<CycleSummary> => {
    for (const h of hosts) {
      busy.add(h.name);
      timers.cancel(h.name);
    }
    return cycle(d, retry ? { hosts, retry } : { hosts })
      .then((s) => {
        // Only hosts this cycle checked: another cycle owns the rest's retries.
        if (!stopped) timers.arm(s.retryHosts.filter((n) => hosts.some((h) => h.name === n)));
        return s;
      })
      .finally(() => {
        for (const h of hosts) busy.delete(h.name);
      });
  };
  const once = (): Promise<CycleSummary | undefined> => {
    if (inFlight) {
      stats.overlaps++;
      d.log.warn({ schedule: d.config.watch.schedule }, 'watch cycle still running; this tick is skipped');
      return Promise.resolve(undefined);
    }
    const hosts = d.config.hosts.filter((h) => !busy.has(h.name));
    if (hosts.length < d.config.hosts.length) d.log.debug({ retrying: [...busy] }, 'hosts being re-checked are left out of this cycle');
    inFlight = check(hosts, false)
      .then((s) => {
        stats.cycles++;
        return s;
      })
      .catch(failed)
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
  // noOverlap makes node-cron skip a tick itself; `once` guards runNow() racing a tick too.
  // node-cron's own messages go to our log, not to the console.
  const logger = {
    info: (m: string) => d.log.debug({ cron: true }, m),
    warn: (m: string) => d.log.debug({ cron: true }, m),
    error: (m: string | Error) => d.log.error({ cron: true, err: m }, 'node-cron error'),
    debug: (m: string | Error) => d.log.debug({ cron: true }, String(m)),
  };
  const task = cron.createTask(d.config.watch.schedule, () => once(), { name: 'moneymind-watch', noOverlap: true, logger });
  task.on('execution:overlap', () => {
    stats.overlaps++;
    d.log.warn({ schedule: d.config.watch.schedule }, 'watch cycle still running; node-cron skipped a tick');
  });
  void task.start();
  const [a, b] = task.getNextRuns(2);
  const intervalMs = a && b ? b.getTime() - a.getTime() : 60_000;
  return {
    intervalMs,
    runNow: once,
    stats,
    async stop() {
      stopped = true;
      timers.clear();
      await task.destroy();
      await inFlight;
      await Promise.all([...retriesRunning]);
    },
  };
}
