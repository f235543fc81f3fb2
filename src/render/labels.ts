import type { CheckId } from '../checks/check-types.js';
import type { HostStatus } from '../engine/host-report.js';

/** How a check is named to people, in the terminal and in Slack (`db` reads as "database"). */
export const CHECK_LABEL: Record<CheckId, string> = {
  health: 'health',
  service: 'service',
  port: 'port',
  resources: 'resources',
  db: 'database',
  logs: 'logs',
};

/** A host's state in words: the terminal's header (upper case) and Slack's headline. */
export const HOST_STATE: Record<HostStatus, string> = { ok: 'healthy', warn: 'degraded', fail: 'unhealthy' };

/**
 * What a restart does about a cause, in the words every adapter uses: `unless-helps` says only
 * that it will not help (a status report), `always` says either way (an alert's diagnosis). The
 * catch-all app-unhealthy names no cause, so nobody knows: it says so instead of "will not help".
 */
export function restartNote(cause: { readonly id: string; readonly restartHelps: boolean }, say: 'unless-helps' | 'always'): string {
  if (cause.id === 'app-unhealthy') return 'The cause is unknown: a restart may not help.';
  if (!cause.restartHelps) return 'A restart will not help.';
  return say === 'always' ? 'A restart is likely to help for a while.' : '';
}

const UNREACHABLE = new Set(['SSH_CONNECT', 'SSH_AUTH', 'SSH_HOSTKEY_MISMATCH']);

/**
 * A check row's words. When the host could not be reached every check fails with the same
 * sentence: it is said once, in the cause (host-unreachable), and each row says only that it was
 * not checked — in the terminal, the CLI and Slack's fields alike.
 */
export function checkRowText(
  report: { readonly causes: readonly { readonly id: string }[] },
  check: { readonly summary: string; readonly error?: { readonly code: string } },
): string {
  const first = report.causes[0]?.id;
  const unreachable = (first === 'host-unreachable' || first === 'bastion-unreachable') && check.error !== undefined && UNREACHABLE.has(check.error.code);
  if (!unreachable) return check.summary;
  return first === 'bastion-unreachable' ? 'not checked: its jump host cannot be reached (below)' : 'not checked: the host cannot be reached (below)';
}
