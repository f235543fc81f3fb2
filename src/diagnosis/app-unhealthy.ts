import { findCheck, type AnyCheckResult } from '../checks/check-types.js';
import { redact } from '../boundary/redact.js';
import type { Cause, Finding } from './cause.js';

/**
 * The monitor is never silent: a host with a failing check gets this cause whenever no specific
 * rule gave a critical one, and also when /health answers an error that no rule accounts for
 * (the app's DB password rotated: `(1045, "Access denied …")`, any Python exception) — then it
 * comes first, because what fails now matters more than what the log said earlier. Host text is
 * redacted: a /health body can carry a DATABASE_URL.
 */
export function appUnhealthy(checks: readonly AnyCheckResult[], found: readonly Finding[]): Cause | null {
  const failing = checks.filter((c) => c.status === 'fail');
  if (!failing.length) return null;
  const health = findCheck(checks, 'health');
  const healthFails = health?.status === 'fail';
  if (found.some((c) => c.severity === 'critical') && !unexplainedHealthError(checks, found)) return null;

  const others = failing.filter((c) => c.id !== 'health');
  const unknown = checks.filter((c) => c.status === 'unknown');
  const evidence = [
    ...(healthFails ? [health.evidence[0] ?? health.summary] : []),
    ...others.map((c) => `${c.id}: ${c.summary}`),
    ...unknown.map((c) => `${c.id} could not run: ${c.summary}`),
  ].map(redact);
  const seen = found.map((c) => c.id);
  return {
    id: 'app-unhealthy',
    severity: 'critical',
    title: redact(healthFails ? healthTitle(health) : `check ${others.map((c) => c.id).join(', ')} failing: ${others[0]!.summary}`),
    evidence,
    advice:
      `No known cause matched; the evidence is what fails now. Read the app's log around the first error (logs HOST) and the error above.` +
      `${seen.length ? ` Also seen: ${seen.join(', ')}.` : ''}`,
    restartHelps: false,
  };
}

/** /health answered an error (a code, a body) and no critical cause quotes it. */
export function unexplainedHealthError(checks: readonly AnyCheckResult[], found: readonly Finding[]): boolean {
  const health = findCheck(checks, 'health');
  if (health?.status !== 'fail' || health.details?.outcome !== 'http-error') return false;
  // Rules that explain the health error quote the health check (its summary, in their evidence).
  return !found.some((c) => c.severity === 'critical' && c.quotes.includes('health'));
}

function healthTitle(h: NonNullable<ReturnType<typeof findCheck<'health'>>>): string {
  const d = h.details;
  if (!d) return `the health check could not run: ${h.summary}`;
  const path = pathOf(d.url);
  if (d.outcome === 'http-error') return `${path} answers ${d.httpStatus}: ${d.error ?? d.bodyStatus ?? h.summary}`;
  return h.summary;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url; // validated at config load; this only shapes a message
  }
}
