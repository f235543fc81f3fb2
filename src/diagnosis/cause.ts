import type { AnyCheckResult } from '../checks/check-types.js';
import type { Thresholds } from '../config/types.js';
import type { CauseId, CheckId } from '../domain/ids.js';

// The diagnosis' names, for its users: the ids live in domain/ (config validates them too).
export { CAUSE_IDS, type CauseId } from '../domain/ids.js';

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

/**
 * A cause as a rule finds it: plus the checks whose own lines (summary, evidence, a signal's
 * evidence, the error) its evidence repeats. diagnose() relates causes to failing checks by it
 * and leaves it out of what it returns.
 */
export interface Finding extends Cause {
  readonly quotes: readonly CheckId[];
}

export type Rule = (input: DiagnosisInput) => Finding | null;
