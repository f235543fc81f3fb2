import type { CheckId } from '../domain/ids.js';
import type { ErrorCode } from '../errors.js';
import type { Check, CheckStatus } from './check.js';
import type { DbDetails } from './db-check.js';
import type { HealthDetails } from './health-check.js';
import type { LogsDetails } from './logs-check.js';
import type { PortDetails } from './port-check.js';
import type { ResourcesDetails } from './resources-check.js';
import type { ServiceDetails } from './service-check.js';

// The check layer's names, for its users: the ids live in domain/ (config needs them too).
export { CHECK_IDS, type CheckId } from '../domain/ids.js';
export type { CheckContext, CheckOutcome, CheckStatus, Signal, Signals } from './check.js';

export interface DetailsById {
  health: HealthDetails;
  service: ServiceDetails;
  port: PortDetails;
  resources: ResourcesDetails;
  db: DbDetails;
  logs: LogsDetails;
}

/** Any one check, its details typed by its id. */
export type AnyCheck = { [K in CheckId]: Check<K, DetailsById[K]> }[CheckId];

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
  /** `jumpHost`: the hop that failed was that jump host (the bastion), not the host itself. */
  readonly error?: { readonly code: ErrorCode; readonly message: string; readonly jumpHost?: string };
}

export type AnyCheckResult = { [K in CheckId]: CheckResult<K> }[CheckId];

/** Finds a check's result with its details typed. */
export function findCheck<Id extends CheckId>(results: readonly AnyCheckResult[], id: Id): CheckResult<Id> | undefined {
  return results.find((r) => r.id === id) as CheckResult<Id> | undefined;
}
