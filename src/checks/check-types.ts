import type { HostConfig, Thresholds } from '../config/types.js';
import type { ErrorCode } from '../errors.js';
import type { HostTransport } from '../remote/host-transport.js';
import type { DbDetails } from './db-check.js';
import type { HealthDetails } from './health-check.js';
import type { LogsDetails } from './logs-check.js';
import type { PortDetails } from './port-check.js';
import type { ResourcesDetails } from './resources-check.js';
import type { ServiceDetails } from './service-check.js';

export const CHECK_IDS = ['health', 'service', 'port', 'resources', 'db', 'logs'] as const;
export type CheckId = (typeof CHECK_IDS)[number];
/**
 * `unknown`: the check could not run or could not read an answer (command missing, permission,
 * no systemd, a probe that timed out). It is not "down": the health check says whether the app
 * answers. A host's own status never shows it (see HostStatus).
 */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'unknown';

export interface DetailsById {
  health: HealthDetails;
  service: ServiceDetails;
  port: PortDetails;
  resources: ResourcesDetails;
  db: DbDetails;
  logs: LogsDetails;
}

/** What a check's evaluation produces from parsed output: pure data, no timing. */
export interface CheckOutcome<D> {
  readonly status: CheckStatus;
  readonly summary: string;
  readonly details: D;
  readonly evidence: readonly string[];
}

/**
 * One check's result as reported (and as `--json` prints it). `details` is null when the check
 * could not run at all; `error` then says why with a stable code.
 */
export interface CheckResult<Id extends CheckId = CheckId> {
  readonly id: Id;
  readonly status: CheckStatus;
  readonly summary: string;
  readonly durationMs: number;
  readonly details: DetailsById[Id] | null;
  readonly evidence: readonly string[];
  readonly error?: { readonly code: ErrorCode; readonly message: string };
}

export type AnyCheckResult = { [K in CheckId]: CheckResult<K> }[CheckId];

export interface CheckContext {
  readonly host: HostConfig;
  readonly thresholds: Thresholds;
  readonly transport: HostTransport;
}

export interface Check<Id extends CheckId> {
  readonly id: Id;
  /** False when the host has nothing to check (e.g. no mysql section): the check is left out. */
  applies(host: HostConfig): boolean;
  run(ctx: CheckContext): Promise<CheckOutcome<DetailsById[Id]>>;
}

/** Finds a check's result with its details typed. */
export function findCheck<Id extends CheckId>(results: readonly AnyCheckResult[], id: Id): CheckResult<Id> | undefined {
  return results.find((r) => r.id === id) as CheckResult<Id> | undefined;
}
