import type { Tracker } from './incident-policy.js';
import type { Observation } from './observe.js';

/**
 * Pure: after a cycle, the hosts to re-check soon (Nagios' retry_interval): those that failed in
 * this cycle with an incident still pending — failing, fewer than failuresToAlert times. Only a
 * key this cycle saw failing counts: a key left 'unknown' (an app failure folded into a database
 * outage, a host hidden by host-unreachable) stays pending without changing, and retrying it
 * would go on for as long as the outage that hides it. Firing and recovered keys need no retry:
 * the schedule resolves them, as before. For a shared database, the hosts that saw it down.
 */
export function retryHosts(observations: readonly Observation[], trackers: readonly Tracker[]): string[] {
  const pending = new Set(trackers.filter((t) => t.phase === 'pending').map((t) => t.key));
  const hosts = new Set<string>();
  for (const o of observations) if (o.verdict === 'fail' && pending.has(o.key)) for (const h of o.hosts) hosts.add(h);
  return [...hosts];
}
