import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { stringify } from 'yaml';
import { loadConfig } from '../src/config/load-config.js';
import { TransportPool } from '../src/remote/transport-pool.js';
import { slackAlertSender } from '../src/slack/alert-sender.js';
import { Store } from '../src/store/store.js';
import { OutboxPoster } from '../src/watch/outbox-poster.js';
import { runCycle, type WatchDeps } from '../src/watch/watch-cycle.js';
import { startWatcher, type CycleRunner } from '../src/watch/watcher.js';
import { startSlackDouble } from '../test/support/slack-double.js';
import type { TestHost } from '../test/support/test-host.js';
import { median, round } from './stats.js';

export interface OutageTarget {
  env: Record<string, string>;
  hostEntry(name: string): Record<string, unknown>;
  /** Stops the app (the outage begins); start brings it back healthy. */
  stopApp(): Promise<void>;
  startApp(): Promise<void>;
}

export interface TimeToAlertOptions {
  runs: number;
  /** A six-field cron whose ticks are intervalMs apart, aligned to the minute. */
  schedule: string;
  failuresToAlert: number;
  /** Retry intervals to compare, e.g. ['off', '1s']. */
  retries: readonly string[];
}

export interface TimeToAlertMode {
  retryInterval: string;
  /** Time from the stop to the alert's chat.postMessage at the Web API double, per run. */
  alertMs: number[];
  /** The same ÷ the schedule interval. */
  ratios: number[];
  /** Where in the schedule's period each stop fell (0 = on a tick, 0.99 = just before the next). */
  phases: number[];
  /**
   * From the first tick after the stop to the alert: the alert's delay without the wait for the
   * schedule, which only the phase decides — the part retries shorten.
   */
  fromTickMs: number[];
  /** Per run: the failing cycles' check time, summed (the target's "check time"). */
  checksMs: number[];
  /** Per run: how late the first failing cycle started after its tick (node-cron, the event loop). */
  tickLateMs: number[];
  /** Per run: from the end of the cycle that opened the incident to the post at the Web API double. */
  deliveryMs: number[];
  /** Durations of the cycles (scheduled or retry) that saw the outage, before its alert. */
  failingCycleMs: number[];
  median: number;
  max: number;
  fromTickMedianMs: number;
  /** 1 + (f − 1) × retry ÷ interval (without retries: f): the target before check time. */
  target: number;
  /**
   * Per run, the target with that run's own check time: interval + (f − 1) × retry + checksMs,
   * less the alert's time. Negative = that run missed the target.
   */
  marginMs: number[];
  met: boolean;
  checksMedianMs: number;
}

/** The measurement as npm run bench makes it: every 6 s, f = 2, without and with 1 s retries. */
export const TIME_TO_ALERT: TimeToAlertOptions = { runs: 8, schedule: '*/6 * * * * *', failuresToAlert: 2, retries: ['off', '1s'] };

/** The outage on the supervisor test host: `supervisorctl stop moneymind`, as the runbook's app dying. */
export function supervisorOutage(host: TestHost): OutageTarget {
  return {
    env: host.env,
    hostEntry: (n) => host.hostConfig(n, { app: { poolRecycle: 300 } }),
    stopApp: async () => void (await host.app.supervisorctl('stop', 'moneymind')),
    startApp: async () => void (await host.app.supervisorctl('start', 'moneymind')),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// The machine's own load or disk must not add a cause of its own while the app is down.
const CALM = { loadPerCore: 1000, diskUsedPercent: 100, memAvailablePercent: 0, swapUsedPercent: 100 };

/**
 * Time to alert, as an operator sees it: the watcher runs on its schedule, the app is stopped at a
 * random point of the schedule's period, and the clock stops when the alert reaches the Web API
 * double. Each mode (retryInterval off, 1s, …) gets `runs` outages, each with a fresh store (no
 * incident history) over the same pooled SSH connection, as in production.
 */
export async function timeToAlert(t: OutageTarget, dir: string, log: Logger, say: (s: string) => void, o: TimeToAlertOptions) {
  const slack = await startSlackDouble();
  const pool = new TransportPool(log);
  const modes: TimeToAlertMode[] = [];
  let intervalMs = 0;
  try {
    for (const retryInterval of o.retries) {
      const alertMs: number[] = [];
      const phases: number[] = [];
      const fromTickMs: number[] = [];
      const checksMs: number[] = [];
      const tickLateMs: number[] = [];
      const deliveryMs: number[] = [];
      const failingCycleMs: number[] = [];
      let retryMs = 0;
      for (let run = 0; run < o.runs; run++) {
        const file = join(dir, `tta-${retryInterval}-${run}.yml`);
        const watch = { schedule: o.schedule, failuresToAlert: o.failuresToAlert, retryInterval, store: join(dir, `tta-${retryInterval}-${run}.db`) };
        writeFileSync(file, stringify({ hosts: [t.hostEntry('prod-1')], thresholds: CALM, slack: { alertChannel: 'C0ALERTS1' }, watch }));
        const config = loadConfig(t.env, file);
        retryMs = config.watch.retryInterval;
        const store = new Store(config.watch.store);
        const poster = new OutboxPoster(store, slackAlertSender('xoxb-bench', slack.apiUrl), log, { channel: 'C0ALERTS1', minIntervalMs: 20 });
        const deps: WatchDeps = { config, store, transportFor: (h) => pool.get(h), log, clock: Date.now, poster };
        let stoppedAt = Number.POSITIVE_INFINITY;
        const cycles: { start: number; end: number; opened: boolean }[] = [];
        // The real cycle, timed: check time is part of the target.
        const timed: CycleRunner = async (d, scope) => {
          const start = Date.now();
          const s = await runCycle(d, scope);
          if (start >= stoppedAt && (s.retryHosts.length || s.intents.length)) cycles.push({ start, end: Date.now(), opened: s.intents.length > 0 });
          return s;
        };
        const w = startWatcher(deps, timed);
        intervalMs = w.intervalMs;
        try {
          const healthy = await w.runNow();
          if (!healthy || healthy.reports.some((r) => r.status === 'fail')) throw new Error('the host is not healthy before the outage');
          await sleep(Math.random() * intervalMs);
          const from = slack.calls.length;
          stoppedAt = Date.now();
          await t.stopApp();
          const parent = await slack.waitFor((c) => slack.calls.indexOf(c) >= from && c.path === '/api/chat.postMessage' && !c.body.thread_ts, 6 * intervalMs);
          alertMs.push(parent.at - stoppedAt);
          const phase = (stoppedAt % intervalMs) / intervalMs;
          phases.push(round(phase, 2));
          fromTickMs.push(Math.round(parent.at - stoppedAt - (1 - phase) * intervalMs));
          failingCycleMs.push(...cycles.map((c) => c.end - c.start));
          const tick = stoppedAt + (1 - phase) * intervalMs;
          const opened = cycles.find((c) => c.opened);
          checksMs.push(cycles.reduce((sum, c) => sum + c.end - c.start, 0));
          tickLateMs.push(Math.round((cycles[0]?.start ?? tick) - tick));
          deliveryMs.push(opened ? parent.at - opened.end : Number.NaN);
          say(
            `  retryInterval ${retryInterval}, run ${run + 1}: alert ${round((parent.at - stoppedAt) / 1000, 2)} s after the stop ` +
              `(${round((parent.at - stoppedAt) / intervalMs, 2)} intervals; stop at phase ${phases.at(-1)})`,
          );
        } finally {
          await w.stop();
          await poster.stop();
          await store.close();
          await t.startApp();
        }
      }
      const ratios = alertMs.map((ms) => round(ms / intervalMs, 2));
      // Without retries every failure waits for a tick: f intervals in the worst case.
      const waits = intervalMs + (o.failuresToAlert - 1) * (retryMs || intervalMs);
      const marginMs = alertMs.map((ms, i) => Math.round(waits + checksMs[i]! - ms));
      modes.push({
        retryInterval,
        alertMs: alertMs.map((x) => Math.round(x)),
        ratios,
        phases,
        fromTickMs,
        checksMs,
        tickLateMs,
        deliveryMs,
        failingCycleMs,
        median: round(median(ratios), 2),
        max: round(Math.max(...ratios), 2),
        fromTickMedianMs: median(fromTickMs),
        target: round(waits / intervalMs, 2),
        marginMs,
        met: marginMs.every((m) => m >= 0),
        checksMedianMs: median(checksMs),
      });
    }
  } finally {
    await pool.closeAll();
    await slack.close();
  }
  return { intervalMs, failuresToAlert: o.failuresToAlert, runs: o.runs, modes };
}
