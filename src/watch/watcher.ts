import cron from 'node-cron';
import { runCycle, type CycleSummary, type WatchDeps } from './watch-cycle.js';

export interface Watcher {
  /** Runs one cycle now unless one is running (then resolves undefined): for tests and startup. */
  runNow(): Promise<CycleSummary | undefined>;
  stop(): Promise<void>;
  readonly stats: { cycles: number; overlaps: number; failures: number };
  /** The schedule's period (between its next two runs), for /healthz's staleness rule. */
  readonly intervalMs: number;
}

/**
 * Replaces the runbook's 60-second monitor.sh: node-cron fires on `watch.schedule`; a cycle still
 * running when the next tick comes is skipped (noOverlap), never run twice at once.
 */
export function startWatcher(d: WatchDeps): Watcher {
  const stats = { cycles: 0, overlaps: 0, failures: 0 };
  let inFlight: Promise<CycleSummary | undefined> | undefined;
  const once = (): Promise<CycleSummary | undefined> => {
    if (inFlight) {
      stats.overlaps++;
      d.log.warn({ schedule: d.config.watch.schedule }, 'watch cycle still running; this tick is skipped');
      return Promise.resolve(undefined);
    }
    inFlight = runCycle(d)
      .then((s) => {
        stats.cycles++;
        return s;
      })
      .catch((err: unknown) => {
        // A cycle that throws (the store, a bug) must not stop the schedule; it is logged and counted.
        stats.failures++;
        d.log.error({ err }, 'watch cycle failed');
        return undefined;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
  // noOverlap makes node-cron skip a tick itself; `once` guards runNow() racing a tick too.
  // node-cron's own messages go to our log, not to the console.
  const logger = { info: (m: string) => d.log.debug({ cron: true }, m), warn: (m: string) => d.log.debug({ cron: true }, m), error: (m: string | Error) => d.log.error({ cron: true, err: m }, 'node-cron error'), debug: (m: string | Error) => d.log.debug({ cron: true }, String(m)) };
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
      await task.destroy();
      await inFlight;
    },
  };
}
