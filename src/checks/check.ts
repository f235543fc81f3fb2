import type { HostConfig, Thresholds } from '../config/types.js';
import type { CheckId } from '../domain/ids.js';
import type { HostTransport } from '../remote/host-transport.js';

/*
 * What a check file implements. Kept apart from check-types.ts (which names every check's
 * details) so that a check file imports only this, and no check depends on another.
 */

/**
 * `unknown`: the check could not run or could not read an answer (command missing, permission,
 * no systemd, a probe that timed out). It is not "down": the health check says whether the app
 * answers. A host's own status never shows it (see HostStatus).
 */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'unknown';

/**
 * Something a check found, typed so that a rule reads the finding, never the check's wording:
 * how often (log lines, kills, connections in use; 1 for a state) and the evidence line the check
 * reports for it, word for word, so a cause can quote it.
 */
export interface Signal {
  readonly count: number;
  readonly evidence: string;
}

/** A check's findings by signal id; an id that is absent was not found. */
export type Signals<Id extends string> = Readonly<Partial<Record<Id, Signal>>>;

/** What a check's evaluation produces from parsed output: pure data, no timing. */
export interface CheckOutcome<D> {
  readonly status: CheckStatus;
  readonly summary: string;
  readonly details: D;
  readonly evidence: readonly string[];
}

export interface CheckContext {
  readonly host: HostConfig;
  readonly thresholds: Thresholds;
  readonly transport: HostTransport;
}

export interface Check<Id extends CheckId, D> {
  readonly id: Id;
  /** False when the host has nothing to check (e.g. no mysql section): the check is left out. */
  applies(host: HostConfig): boolean;
  run(ctx: CheckContext): Promise<CheckOutcome<D>>;
}
