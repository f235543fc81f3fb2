import type { CheckOutcome } from '../checks/check.js';
import type { HealthDetails } from '../checks/health-check.js';
import type { PortDetails } from '../checks/port-check.js';
import type { DoctorItem } from './doctor-types.js';

/*
 * Two items are the checks themselves, read for what the setup needs: /health answering through
 * the SSH tunnel, and ss showing the app's port (and, when it can, its process).
 */

export function healthItem(o: CheckOutcome<HealthDetails>, url: string): DoctorItem {
  if (o.status === 'ok' || o.status === 'warn') return { id: 'health', mark: 'pass', line: `/health answers through the tunnel: ${o.summary}` };
  return {
    id: 'health',
    mark: 'fail',
    line: `/health through the tunnel: ${o.summary}`,
    fix: `app.healthUrl (${url}) must answer 2xx as seen from the host; moneymind status HOST says why it does not`,
  };
}

/**
 * ss -tlnp lists every listening socket to anyone, but the process column only for the user's own
 * processes (root sees all). The README asks only whether the port listens ("by which process when
 * visible"): a hidden process is a pass, said, not a miss — no root or capability is needed.
 */
export function portItem(o: CheckOutcome<PortDetails>, user: string): DoctorItem {
  const { port, listening, listeners, source } = o.details;
  if (o.status === 'unknown') return { id: 'port-process', mark: 'unknown', line: o.summary, fix: 'install iproute2 (ss) on the host' };
  if (!listening)
    return {
      id: 'port-process',
      mark: 'fail',
      line: `nothing listens on :${port} (${source === 'ss' ? 'ss -tlnp' : '/proc/net/tcp'})`,
      fix: 'start the app, or set app.port to the port it serves on',
    };
  const who = listeners.find((l) => l.process)?.process;
  if (who) return { id: 'port-process', mark: 'pass', line: `ss: :${port} listening, process ${who.name} (pid ${who.pid})` };
  return {
    id: 'port-process',
    mark: 'pass',
    line:
      `ss: :${port} listening; its process is not visible to ${user} (ss names only the user's own processes) — ` +
      'enough: the README needs only the port, so no root or capability for this',
  };
}
