import { CHECK_IDS, type CheckId } from '../checks/check-types.js';
import { renderReport } from '../cli/render-text.js';
import type { CommandServices } from '../commands/command.js';
import type { Config, HostConfig } from '../config/types.js';
import type { RunLog } from '../log/run-log.js';
import type { HostTransport } from '../remote/host-transport.js';
import { collectBundle } from '../report/collect-bundle.js';
import { checkHosts } from './check-hosts.js';
import type { HostReport } from './host-report.js';
import type { IncidentServices } from '../commands/command.js';
import type { WatchStore } from '../store/watch-store.js';
import type { RestartLedger } from '../store/restart-types.js';
import { RestartService } from '../restart/restart-service.js';
import { noTelemetry, type Telemetry } from '../ops/telemetry.js';

/** The commands' services, plus the watcher's way to share what it saw (for `hosts`). */
export interface EngineServices extends CommandServices {
  remember(reports: readonly HostReport[], at: number): void;
  /** Confirmations and execution, for the Slack adapter; only with a store. */
  readonly restartService: RestartService | undefined;
}

/** The services commands run on: the engine over shared transports, remembering each host's last report. */
export function engineServices(config: Config, transportFor: (h: HostConfig) => HostTransport, clock: () => number, log: RunLog, store?: WatchStore & { readonly restarts: RestartLedger }, telemetry: Telemetry = noTelemetry): EngineServices {
  const last = new Map<string, { report: HostReport; at: number }>();
  const services: EngineServices = {
    config,
    async checkHosts(hosts: readonly HostConfig[], ids: readonly CheckId[]) {
      const reports = await checkHosts(hosts, transportFor, config.thresholds, { ids, now: clock, log });
      telemetry.reports(reports);
      // Only full runs describe a host's state; one area alone would hide the rest.
      if (ids.length > 1) for (const r of reports) last.set(r.name, { report: r, at: clock() });
      return reports;
    },
    lastReport: (name) => last.get(name),
    remember(reports, at) {
      telemetry.reports(reports);
      for (const r of reports) last.set(r.name, { report: r, at });
    },
    incidents: store ? storeIncidents(store, clock) : undefined,
    async supportBundle(host) {
      const diagnosis = services.checkHosts([host], CHECK_IDS).then(([r]) => (r ? renderReport(r, { color: false, detail: true }) : 'no report'));
      return collectBundle(host, transportFor(host), config.thresholds, diagnosis, clock);
    },
    restartService: undefined,
  };
  if (store) {
    const restartService = new RestartService({ config, ledger: store.restarts, transportFor, checkHosts: (h, ids) => services.checkHosts(h, ids), log, clock, telemetry });
    Object.assign(services, { restartService, restarts: { request: (h: HostConfig, by: string) => restartService.request(h, by) } });
  }
  return services;
}

function storeIncidents(store: WatchStore & { readonly restarts: RestartLedger }, clock: () => number): IncidentServices {
  return {
    silence(host, durationMs, reason, by) {
      const now = clock();
      const s = { host, until: now + durationMs, reason, by, createdAt: now };
      store.setSilence(s);
      return s;
    },
    unsilence: (host) => store.removeSilence(host),
    silences: () => new Map(store.activeSilences(clock()).map((s) => [s.host, s])),
    history: (host, limit) => store.history(host, limit),
    openThread: (host) => store.openThreadFor(host),
    restarts: (host, limit) => store.restarts.recent(host, limit),
  };
}
