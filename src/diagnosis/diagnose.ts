import { findCheck } from '../checks/check-types.js';
import { redact } from '../boundary/redact.js';
import { appUnhealthy, unexplainedHealthError } from './app-unhealthy.js';
import { appUnresponsive, bastionUnreachable, hostUnreachable, portNotListening, serviceDown, workersSaturated } from './app-rules.js';
import type { Cause, DiagnosisInput, Finding, Rule } from './cause.js';
import { dbAccessDenied, dbLockContention, dbPoolExhausted } from './db-error-rules.js';
import { dbConnectionDropped, dbConnectionsExhausted, dbUnreachable } from './db-rules.js';
import { appOomKilled, crashLoop, workerTimeout, workersHung } from './process-rules.js';
import { cpuOverload, diskFull, memoryGrowth, memoryPressure } from './resource-rules.js';

/** Rule order is the tie-break within a severity: the more fundamental cause first. */
const RULES: readonly Rule[] = [
  bastionUnreachable,
  hostUnreachable,
  diskFull,
  appOomKilled,
  serviceDown,
  crashLoop,
  dbUnreachable,
  dbAccessDenied,
  portNotListening,
  dbConnectionsExhausted,
  dbPoolExhausted,
  dbLockContention,
  dbConnectionDropped,
  memoryPressure,
  workersHung,
  appUnresponsive,
  workersSaturated,
  workerTimeout,
  memoryGrowth,
  cpuOverload,
];

/**
 * Pure: check results (+ RSS history) → ranked likely causes, most likely first. When the host is
 * unreachable every other result is unknown, so that cause stands alone. Invariants (tested over
 * every combination of check outcomes): a failing check always yields a critical cause, and when
 * /health fails its error is the first line of every cause's evidence.
 */
export function diagnose(input: DiagnosisInput): Cause[] {
  const found = RULES.map((rule) => rule(input)).filter((c): c is Finding => c !== null);
  // The bastion down or the host down: either way nothing else about the host can be seen.
  const unreachable = found.find((c) => c.id === 'bastion-unreachable') ?? found.find((c) => c.id === 'host-unreachable');
  if (unreachable) return [asCause(unreachable)];
  const rank = (c: Cause): number => (c.severity === 'critical' ? 0 : 1);
  // When /health fails with an error no rule explains, that leads (app-unhealthy) and what the
  // log said earlier stays as it is; otherwise a failing check must have an alerting cause.
  const promoted = unexplainedHealthError(input.checks, found) ? found : promoteExplainers(found, input.checks);
  const ranked = promoted
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i)
    .map(({ c }) => c);
  const generic = appUnhealthy(input.checks, ranked);
  const causes = ranked.map(asCause);
  return withHealthFirst(generic ? [generic, ...causes] : causes, input.checks);
}

/** A finding as `--json` and the alerts show it: what it quotes is the diagnosis' own business. */
function asCause({ quotes: _quotes, ...cause }: Finding): Cause {
  return cause;
}

/**
 * A failing check deserves an alert. When the only causes that quote it are warnings (2006s in
 * the last 15 minutes while /health happens to pass, so the logs check fails), the first of them
 * becomes critical: the known cause, not a generic one, is what the alert should name.
 */
function promoteExplainers(causes: Finding[], checks: DiagnosisInput['checks']): Finding[] {
  const out = [...causes];
  for (const check of checks) {
    if (check.status !== 'fail') continue;
    const quotes = (c: Finding): boolean => c.quotes.includes(check.id);
    if (out.some((c) => c.severity === 'critical' && quotes(c))) continue;
    const i = out.findIndex(quotes);
    if (i >= 0) out[i] = { ...out[i]!, severity: 'critical' };
  }
  return out;
}

/** What fails now comes before what failed earlier: the health error leads every cause's evidence. */
function withHealthFirst(causes: Cause[], checks: DiagnosisInput['checks']): Cause[] {
  const h = findCheck(checks, 'health');
  if (h?.status !== 'fail') return causes;
  const line = redact(h.summary);
  // app-unhealthy already starts with the whole health error; the rules quote its summary, if at all.
  return causes.map((c) => (c.id === 'app-unhealthy' ? c : { ...c, evidence: [line, ...c.evidence.filter((e) => e !== h.summary)] }));
}
