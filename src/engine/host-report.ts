import type { AnyCheckResult, CheckStatus } from '../checks/check-types.js';

/** A host is ok, degraded or failing; a check that could not run makes it degraded, not failing. */
export type HostStatus = Exclude<CheckStatus, 'unknown'>;
import type { Cause } from '../diagnosis/cause.js';

/** One host's answer, as `--json` prints it (public: extend, never rename). */
export interface HostReport {
  readonly name: string;
  /** No check failed (warnings still count as ok). */
  readonly ok: boolean;
  /** Worst check status: what the header shows. */
  readonly status: HostStatus;
  readonly durationMs: number;
  readonly checks: readonly AnyCheckResult[];
  readonly causes: readonly Cause[];
  /** The jump host (`ssh.jumpHost`) the host is reached through; absent for a host reached directly. */
  readonly jumpHost?: string;
}

export function worstStatus(checks: readonly { status: CheckStatus }[]): HostStatus {
  if (checks.some((c) => c.status === 'fail')) return 'fail';
  if (checks.some((c) => c.status === 'warn' || c.status === 'unknown')) return 'warn';
  return 'ok';
}
