import { appUnresponsive, hostUnreachable, portNotListening, serviceDown, workersSaturated } from './app-rules.js';
import type { Cause, DiagnosisInput, Rule } from './cause.js';
import { dbConnectionDropped, dbConnectionsExhausted, dbUnreachable } from './db-rules.js';
import { cpuOverload, diskFull, memoryGrowth, memoryPressure } from './resource-rules.js';

/** Rule order is the tie-break within a severity: the more fundamental cause first. */
const RULES: readonly Rule[] = [
  hostUnreachable,
  diskFull,
  serviceDown,
  dbUnreachable,
  portNotListening,
  dbConnectionsExhausted,
  dbConnectionDropped,
  memoryPressure,
  appUnresponsive,
  workersSaturated,
  memoryGrowth,
  cpuOverload,
];

/**
 * Pure: check results (+ RSS history) → ranked likely causes, most likely first. When the host is
 * unreachable every other result is unknown, so that cause stands alone.
 */
export function diagnose(input: DiagnosisInput): Cause[] {
  const found = RULES.map((rule) => rule(input)).filter((c): c is Cause => c !== null);
  const unreachable = found.find((c) => c.id === 'host-unreachable');
  if (unreachable) return [unreachable];
  const rank = (c: Cause): number => (c.severity === 'critical' ? 0 : 1);
  return found.map((c, i) => ({ c, i })).sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i).map(({ c }) => c);
}
