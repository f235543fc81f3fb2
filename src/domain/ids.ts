/*
 * The ids every layer names: config validates them (watch.alertWarnings), checks and rules produce
 * them, the watcher keys incidents by them, `--json` prints them. This file imports nothing, so
 * any layer may import it without depending on the layer that produces the ids.
 */

/** The checks, in report order (the runbook's triage order, app first). */
export const CHECK_IDS = ['health', 'service', 'port', 'resources', 'db', 'logs'] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** The diagnosis' causes: stable ids, a public interface (README, Diagnosis). */
export const CAUSE_IDS = [
  'host-unreachable',
  'bastion-unreachable',
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
  'db-pool-exhausted',
  'db-access-denied',
  'db-lock-contention',
  'workers-hung',
  'worker-timeout',
  'app-oom-killed',
  'crash-loop',
] as const;
export type CauseId = (typeof CAUSE_IDS)[number];
