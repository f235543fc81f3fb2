import type { HostReport } from '../engine/host-report.js';

/**
 * What the core tells the outside world about itself. The core calls these; prom-telemetry.ts
 * turns them into Prometheus metrics; `noTelemetry` is for the CLI and tests that do not care.
 */
export interface Telemetry {
  reports(reports: readonly HostReport[]): void;
  cycle(durationMs: number, openIncidents: number, at: number): void;
  alertPosted(kind: string): void;
  slackError(where: string, reason: string): void;
  restart(result: string): void;
  /** An error the bot survived (a rejected Slack request, a listener that threw, a stray rejection). */
  error(where: string): void;
  /** An incident's first [Acknowledge], `afterMs` after its first failure (never again after a give-back). */
  incidentAcknowledged(cause: string, afterMs: number): void;
  /** An incident resolved, `durationMs` after its first failure. */
  incidentResolved(cause: string, durationMs: number): void;
  /** A page attempt: `kind` pagerduty|webhook, the lifecycle event, delivered|retry|refused. */
  page(kind: string, event: string, outcome: 'delivered' | 'retry' | 'refused'): void;
}

export const noTelemetry: Telemetry = {
  reports: () => undefined,
  cycle: () => undefined,
  alertPosted: () => undefined,
  slackError: () => undefined,
  restart: () => undefined,
  error: () => undefined,
  incidentAcknowledged: () => undefined,
  incidentResolved: () => undefined,
  page: () => undefined,
};
