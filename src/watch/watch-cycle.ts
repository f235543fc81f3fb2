import type { Config, HostConfig } from '../config/types.js';
import { CHECK_IDS, type CheckId } from '../domain/ids.js';
import type { IncidentKey } from '../domain/incident-key.js';
import { checkHosts } from '../engine/check-hosts.js';
import type { HostReport } from '../engine/host-report.js';
import type { RunLog } from '../log/run-log.js';
import type { Telemetry } from '../ops/telemetry.js';
import type { HostTransport } from '../remote/host-transport.js';
import { FencedOut, type Fencing } from '../store/lease.js';
import type { CycleCommit, OutboxPost, WatchStore } from '../store/watch-store.js';
import { postsFor } from './alert-messages.js';
import { chartPostsFor } from './chart-posts.js';
import { step, type Intent } from './incident-policy.js';
import { hostSample } from './host-sample.js';
import { observe } from './observe.js';
import { pagesFor } from './page-requests.js';
import { retryHosts } from './retry-hosts.js';
import { serially } from './serially.js';

/** The cheap set run every cycle; logs (a tail of thousands of lines) only when something is wrong. */
export const WATCH_IDS: readonly CheckId[] = ['health', 'service', 'port', 'resources', 'db'];

export interface WatchDeps {
  readonly config: Config;
  readonly store: WatchStore;
  readonly transportFor: (h: HostConfig) => HostTransport;
  readonly log: RunLog;
  readonly clock: () => number;
  /** Told that posts are waiting; never awaited. */
  readonly poster: { kick(): void } | undefined;
  /** Each cycle's reports (the commands' `hosts` shows the last known state from them). */
  readonly onReports?: (reports: readonly HostReport[], at: number) => void;
  readonly telemetry?: Telemetry;
  /** With replicas: whether this replica leads (it checks and writes only then). */
  readonly fencing?: Fencing;
}

export interface CycleSummary {
  readonly reports: readonly HostReport[];
  readonly intents: readonly Intent[];
  readonly fullChecks: number;
  readonly durationMs: number;
  /** Hosts this cycle saw failing with an incident not yet alerted: the watcher re-checks them soon. */
  readonly retryHosts: readonly string[];
  /** Another replica leads: nothing was checked or written. */
  readonly standby?: boolean;
}

const STANDBY: CycleSummary = { reports: [], intents: [], fullChecks: 0, durationMs: 0, retryHosts: [], standby: true };

export interface CycleScope {
  /**
   * Check only these hosts (a retry). Tracked keys of the others are observed as 'unknown' and so
   * left as they are: two cycles over disjoint hosts can run at once, and each one's store
   * transaction (load trackers → step → commit, with no await between) sees the other's result.
   */
  readonly hosts?: readonly HostConfig[];
  /** A retry, not a scheduled cycle: logged as such; the schedule's liveness metric is not touched. */
  readonly retry?: boolean;
}

/**
 * One watch cycle: check every host (bounded, concurrently), the full set and diagnosis where
 * something is wrong, then the incident policy, then one store transaction with the new state
 * and the posts it implies. Slack is not touched here: the poster drains the outbox on its own.
 */
export async function runCycle(d: WatchDeps, scope: CycleScope = {}): Promise<CycleSummary> {
  // A replica that does not lead checks nothing: the leader's cycle covers every host.
  if (d.fencing && !d.fencing.fence()) return STANDBY;
  const started = d.clock();
  const { thresholds: t, watch: w } = d.config;
  const hosts = scope.hosts ?? d.config.hosts;
  // Read before the checks: the diagnosis (a pure function) needs each host's RSS history.
  const histories = new Map(await Promise.all(hosts.map(async (h) => [h.name, await d.store.rssHistory(h.name, started - t.memoryGrowthWindow)] as const)));
  const rssHistory = (host: string) => histories.get(host) ?? [];
  const fleet = { concurrency: w.concurrency, now: d.clock, log: d.log, rssHistory };
  const quick = await checkHosts(hosts, d.transportFor, t, { ...fleet, ids: WATCH_IDS });
  const alerting = (r: HostReport): boolean => r.status === 'fail' || r.causes.some((c) => c.severity === 'critical' || w.alertWarnings.includes(c.id));
  const wrong = hosts.filter((_, i) => alerting(quick[i]!));
  const full = wrong.length ? await checkHosts(wrong, d.transportFor, t, { ...fleet, ids: CHECK_IDS }) : [];
  const reports = quick.map((r) => full.find((f) => f.name === r.name) ?? r);

  const committed = await serially(d.store, async () => {
    // Asked again: the checks took seconds, and the lease may have gone meanwhile.
    const fence = d.fencing?.fence();
    if (d.fencing && !fence) return undefined;
    const now = d.clock();
    const before = await d.store.loadTrackers();
    const silenced = new Set((await d.store.activeSilences(now)).map((s) => s.host));
    const observations = observe(
      reports,
      d.config.hosts,
      before.map((x) => x.key),
      w,
    );
    const acks = await d.store.acks.open();
    const result = step(before, observations, { now, settings: w, silenced, acks, oncall: d.config.slack.oncall });
    const after = new Map(result.trackers.map((x) => [x.key, x]));
    const trackerOf = (key: IncidentKey) => after.get(key) ?? before.find((x) => x.key === key)!;
    // The quick set's numbers: the full set re-measures the same, moments later.
    const samples = quick.flatMap((r) => hostSample(r, now) ?? []);
    const commit: CycleCommit = {
      now,
      trackers: result.trackers,
      opened: result.opened.map((key) => {
        const x = trackerOf(key);
        return { key, subject: x.subject, cause: x.cause, hosts: x.hosts, title: x.detail?.title ?? x.cause, at: x.since ?? now };
      }),
      posts: result.intents.flatMap((i): OutboxPost[] => [
        ...postsFor(i, trackerOf(i.key), now, acks.get(i.key)),
        ...chartPostsFor(i, trackerOf(i.key), now, t.memoryGrowthWindow),
      ]),
      pages: result.intents.flatMap((i) => pagesFor(i, trackerOf(i.key), now, d.config.paging)),
      closed: result.closed,
      samples,
      keepSamplesMs: Math.max(2 * t.memoryGrowthWindow, 3_600_000),
    };
    try {
      await d.store.commitCycle(commit, fence);
    } catch (err) {
      if (!(err instanceof FencedOut)) throw err;
      // Nothing of this cycle was written: the new leader's cycles decide from here.
      d.log.warn({ token: err.fence.token }, 'watch cycle fenced out: another replica leads; nothing written');
      d.fencing?.onFenced();
      return undefined;
    }
    return { now, result, observations, trackerOf };
  });
  if (!committed) return STANDBY;
  const { now, result, observations, trackerOf } = committed;
  // Observed once the resolve is committed: a cycle whose transaction failed resolved nothing.
  for (const c of result.closed) d.telemetry?.incidentResolved(trackerOf(c.key).cause, c.durationMs);
  if (result.intents.length) d.poster?.kick();
  d.onReports?.(reports, now);
  const durationMs = d.clock() - started;
  if (!scope.retry) d.telemetry?.cycle(durationMs, result.trackers.filter((x) => x.phase === 'firing').length, d.clock());
  const retry = retryHosts(observations, result.trackers);
  const retried = scope.retry ? { retry: hosts.map((h) => h.name) } : {};
  d.log.info(
    { hosts: hosts.length, ...retried, fullChecks: wrong.length, intents: result.intents.map((i) => `${i.kind} ${i.key}`), durationMs },
    scope.retry ? 'watch retry' : 'watch cycle',
  );
  return { reports, intents: result.intents, fullChecks: wrong.length, durationMs, retryHosts: retry };
}
