import type { Thresholds } from '../config/types.js';
import type { AnyCheckResult } from '../checks/check-types.js';

export const CAUSE_IDS = [
  'host-unreachable',
  'service-down',
  'port-not-listening',
  'app-unresponsive',
  'workers-saturated',
  'db-unreachable',
  'db-connection-dropped',
  'db-connections-exhausted',
  'memory-pressure',
  'memory-growth',
  'disk-full',
  'cpu-overload',
  'app-unhealthy',
] as const;
export type CauseId = (typeof CAUSE_IDS)[number];

/** A likely cause, as `--json` prints it. `title` is the one-sentence explanation. */
export interface Cause {
  readonly id: CauseId;
  readonly severity: 'critical' | 'warning';
  readonly title: string;
  readonly evidence: readonly string[];
  readonly advice: string;
  readonly restartHelps: boolean;
}

/** The app's total RSS at one moment; the watcher keeps a history of these. */
export interface RssSample {
  readonly at: number;
  readonly rssKb: number;
}

export interface DiagnosisInput {
  readonly checks: readonly AnyCheckResult[];
  readonly poolRecycle: number;
  readonly thresholds: Thresholds;
  /** Earlier samples, oldest first; the current run's sample is added from the resources check. */
  readonly rssHistory: readonly RssSample[];
  readonly now: number;
}

export type Rule = (input: DiagnosisInput) => Cause | null;
