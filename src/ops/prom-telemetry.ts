import type { WatchLeader } from '../domain/watch-leader.js';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HostReport } from '../engine/host-report.js';
import type { Telemetry } from './telemetry.js';

const INCIDENT_BUCKETS = [60, 300, 900, 1800, 3600, 7200, 14400, 43200, 86400];

/** Prometheus metrics (prom-client), one registry per bot, plus the process' own (fds, memory). */
export class PromTelemetry implements Telemetry {
  readonly registry = new Registry();
  /** Epoch ms of the last finished watch cycle; /healthz reads it. */
  lastCycleAt: number | undefined;
  private readonly up = new Gauge({
    name: 'moneymind_host_up',
    help: "The host's last full check: 1 healthy or degraded, 0 failing",
    labelNames: ['host'],
    registers: [this.registry],
  });
  private readonly healthLatency = new Gauge({
    name: 'moneymind_health_latency_seconds',
    help: 'Latency of the last GET /health',
    labelNames: ['host'],
    registers: [this.registry],
  });
  private readonly checkDuration = new Histogram({
    name: 'moneymind_check_duration_seconds',
    help: 'Duration of each check run',
    labelNames: ['check'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly openIncidents = new Gauge({ name: 'moneymind_open_incidents', help: 'Incidents firing now', registers: [this.registry] });
  private readonly cycles = new Histogram({
    name: 'moneymind_watch_cycle_seconds',
    help: 'Duration of watch cycles',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly lastCycle = new Gauge({
    name: 'moneymind_watch_last_cycle_timestamp_seconds',
    help: 'When the last watch cycle finished',
    registers: [this.registry],
  });
  private readonly alerts = new Counter({
    name: 'moneymind_alerts_posted_total',
    help: 'Alert messages Slack accepted',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  private readonly slackErrors = new Counter({
    name: 'moneymind_slack_api_errors_total',
    help: 'Slack API calls that failed',
    labelNames: ['where', 'reason'],
    registers: [this.registry],
  });
  private readonly restarts = new Counter({ name: 'moneymind_restarts_total', help: 'Restarts by result', labelNames: ['result'], registers: [this.registry] });
  private readonly errors = new Counter({
    name: 'moneymind_errors_total',
    help: 'Errors the bot survived, by where they happened',
    labelNames: ['where'],
    registers: [this.registry],
  });
  // Incidents last minutes to days: buckets from 1 min to 1 day. `cause` is one of the fixed cause
  // ids (domain/ids.ts), so the label stays bounded.
  private readonly timeToAck = new Histogram({
    name: 'moneymind_incident_time_to_acknowledge_seconds',
    help: "From an incident's first failure to its first [Acknowledge]",
    labelNames: ['cause'],
    buckets: INCIDENT_BUCKETS,
    registers: [this.registry],
  });
  private readonly timeToResolve = new Histogram({
    name: 'moneymind_incident_time_to_resolve_seconds',
    help: "From an incident's first failure to its resolution",
    labelNames: ['cause'],
    buckets: INCIDENT_BUCKETS,
    registers: [this.registry],
  });

  private readonly pages = new Counter({
    name: 'moneymind_pages_total',
    help: 'Page deliveries to PagerDuty and webhooks by target kind, event and outcome (delivered, retry, refused for good)',
    labelNames: ['kind', 'event', 'outcome'],
    registers: [this.registry],
  });
  private leaderView: (() => WatchLeader) | undefined;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'moneymind_' });
    const view = () => this.leaderView?.();
    // Read at scrape time: which replica leads is the lease's, not an event the core reports.
    new Gauge({
      name: 'moneymind_watch_leader',
      help: '1 if this replica leads the watcher (holds the store lease), 0 if it stands by',
      labelNames: ['replica'],
      registers: [this.registry],
      collect() {
        const v = view();
        if (v) this.set({ replica: v.self }, v.leading ? 1 : 0);
      },
    });
    new Gauge({
      name: 'moneymind_watch_lease_token',
      help: 'The fencing token of the watch lease as this replica last read it',
      registers: [this.registry],
      collect() {
        const v = view();
        if (v?.token !== undefined) this.set(v.token);
      },
    });
  }

  /** Replicas: where /metrics reads who leads (Slack mode sets it once its leadership exists). */
  watchLeader(view: () => WatchLeader): void {
    this.leaderView = view;
  }

  reports(reports: readonly HostReport[]): void {
    for (const r of reports) {
      if (r.checks.length > 1) this.up.set({ host: r.name }, r.status === 'fail' ? 0 : 1);
      for (const c of r.checks) {
        this.checkDuration.observe({ check: c.id }, c.durationMs / 1000);
        const latency = c.id === 'health' ? (c.details as { latencyMs?: number } | null)?.latencyMs : undefined;
        if (typeof latency === 'number') this.healthLatency.set({ host: r.name }, latency / 1000);
      }
    }
  }

  cycle(durationMs: number, openIncidents: number, at: number): void {
    this.cycles.observe(durationMs / 1000);
    this.openIncidents.set(openIncidents);
    this.lastCycle.set(at / 1000);
    this.lastCycleAt = at;
  }

  alertPosted(kind: string): void {
    this.alerts.inc({ kind });
  }

  slackError(where: string, reason: string): void {
    // Reasons are bounded (HTTP status, Slack's error code), so labels stay few.
    this.slackErrors.inc({ where, reason: reason.slice(0, 40) });
  }

  restart(result: string): void {
    this.restarts.inc({ result });
  }

  error(where: string): void {
    // `where` is one of a few fixed names chosen by the code (slack_request, unhandled_rejection, …).
    this.errors.inc({ where });
  }

  incidentAcknowledged(cause: string, afterMs: number): void {
    this.timeToAck.observe({ cause }, afterMs / 1000);
  }

  page(kind: string, event: string, outcome: 'delivered' | 'retry' | 'refused'): void {
    // Bounded labels: two kinds, five events, three outcomes (never a URL).
    this.pages.inc({ kind, event, outcome });
  }

  incidentResolved(cause: string, durationMs: number): void {
    this.timeToResolve.observe({ cause }, durationMs / 1000);
  }
}
