import type { CheckId } from '../checks/check-types.js';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { CommandServices } from '../commands/command.js';
import type { WatchLeader } from '../domain/watch-leader.js';
import type { Config, HostConfig } from '../config/types.js';
import { doctorHost } from '../doctor/run-doctor.js';
import { checkHosts } from '../engine/check-hosts.js';
import type { HostReport } from '../engine/host-report.js';
import type { RunLog } from '../log/run-log.js';
import { noTelemetry, type Telemetry } from '../ops/telemetry.js';
import type { HostTransport } from '../remote/host-transport.js';
import { RestartService } from '../restart/restart-service.js';
import type { BotStore } from '../store/bot-store.js';
import { drawCharts } from './draw-charts.js';
import { storeIncidents } from './store-incidents.js';
import { supportBundle } from './support-bundle.js';

/** What the services are built from; the bot passes the real ones, tests their own (a fixed clock, say). */
export interface ServicesDeps {
  readonly config: Config;
  readonly transportFor: (h: HostConfig) => HostTransport;
  readonly clock: () => number;
  readonly log: RunLog;
  /** Without it (the terminal's tests, benchmarks) there are no silences, history or restarts. */
  readonly store?: BotStore;
  readonly telemetry?: Telemetry;
  /** This process's name among replicas (the watch lease's holder); made here when not given. */
  readonly replica?: string;
}

/** The commands' services, plus the watcher's way to share what it saw (for `hosts`). */
export interface BotServices extends CommandServices {
  remember(reports: readonly HostReport[], at: number): void;
  /** Confirmations and execution, for the Slack adapter; only with a store. */
  readonly restartService: RestartService | undefined;
  /** The outbox poster, told when a click queued posts (it exists only once Slack mode starts). */
  postsTo(poster: { kick(): void }): void;
  /** This process's name among replicas: the watch lease's holder when it leads. */
  readonly replica: string;
  /** Who leads the watcher, once Slack mode has its leadership (for `hosts`). */
  ledBy(view: () => WatchLeader): void;
}

/** The services commands run on: the engine over shared transports, remembering each host's last report. */
export function botServices(d: ServicesDeps): BotServices {
  const { config, transportFor, clock, log, store } = d;
  const telemetry = d.telemetry ?? noTelemetry;
  const last = new Map<string, { report: HostReport; at: number }>();
  let poster: { kick(): void } | undefined;
  let leaderView: (() => WatchLeader) | undefined;
  const check = async (hosts: readonly HostConfig[], ids: readonly CheckId[]): Promise<HostReport[]> => {
    // The fleet width the watcher uses: `status all` over 50 hosts at 16 wide would take four
    // rounds of one host's latency however fast the bot is.
    const reports = await checkHosts(hosts, transportFor, config.thresholds, { ids, now: clock, log, concurrency: config.watch.concurrency });
    telemetry.reports(reports);
    // Only full runs describe a host's state; one area alone would hide the rest.
    if (ids.length > 1) for (const r of reports) last.set(r.name, { report: r, at: clock() });
    return reports;
  };
  // Random per start: in a container the host name and pid 1 come back after a restart, and a new
  // process must not pass for the old one and renew its lease under the old token.
  const replica = d.replica ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  // Another replica is alive while someone else holds the lease unexpired (the store's clock and
  // this machine's may differ by the clock skew: a restart is left for the next minute's recovery).
  const othersLive = store
    ? async () => {
        const lease = await store.lease.current();
        return lease !== undefined && lease.holder !== replica && lease.expiresAt > clock();
      }
    : undefined;
  const restartService = store
    ? new RestartService({ config, ledger: store.restarts, transportFor, checkHosts: check, log, clock, telemetry, ...(othersLive ? { othersLive } : {}) })
    : undefined;
  return {
    config,
    replica,
    checkHosts: check,
    lastReport: (name) => last.get(name),
    remember(reports, at) {
      telemetry.reports(reports);
      for (const r of reports) last.set(r.name, { report: r, at });
    },
    incidents: store ? storeIncidents(store, clock, () => poster?.kick(), telemetry, config.paging) : undefined,
    postsTo(p) {
      poster = p;
    },
    leader: () => leaderView?.(),
    ledBy(view) {
      leaderView = view;
    },
    supportBundle: (host) => supportBundle(host, { transport: transportFor(host), thresholds: config.thresholds, checkHosts: check, clock }),
    trendChart: store ? drawCharts(store, clock).trend : undefined,
    doctor: (hosts) => Promise.all(hosts.map((h) => doctorHost(h, transportFor(h), config.thresholds))),
    restartService,
    restarts: restartService ? { request: (h, by) => restartService.request(h, by) } : undefined,
  };
}
