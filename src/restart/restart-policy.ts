import { supervisorArgs } from '../checks/service-check.js';
import type { AppTarget, Config, HostConfig } from '../config/types.js';
import type { HostReport } from '../engine/host-report.js';
import { shq } from '../remote/shell-quote.js';
import type { RestartRow } from '../store/restart-types.js';

/** The one command a restart runs, from config only (quoted); the README's sudoers line matches it. */
export function restartShellCommand(app: AppTarget): string {
  if (app.manager === 'systemd') return `sudo -n systemctl restart ${shq(app.service)}`;
  return `sudo -n supervisorctl ${supervisorArgs(app)} restart ${shq(app.service)}`.replace(/\s+/g, ' ');
}

/** As a person reads it (and as sudoers needs it): without the quotes. */
export function restartShellCommandText(app: AppTarget): string {
  return restartShellCommand(app).replace(/'/g, '');
}

export const hostAddress = (h: HostConfig): string => (h.ssh ? `${h.ssh.host}` : 'this machine');

export type Decision = { readonly ok: true } | { readonly ok: false; readonly why: string };

/** Pure: may this person confirm this request? `inApproverGroup`: a member of slack.approverGroups. */
export function mayConfirm(row: RestartRow, userId: string, config: Pick<Config, 'slack' | 'restart'>, inApproverGroup = false): Decision {
  if (!config.slack.approvers.includes(userId) && !inApproverGroup)
    return { ok: false, why: 'only approvers (slack.approvers or slack.approverGroups) may confirm a restart' };
  if (config.restart.requireSecondPerson && userId === row.requested_by)
    return { ok: false, why: 'two-person rule: someone other than the requester must confirm' };
  return { ok: true };
}

/** Pure: the requester or an approver may cancel — a member of slack.approverGroups too, as for confirming. */
export function mayCancel(row: RestartRow, userId: string, config: Pick<Config, 'slack'>, inApproverGroup = false): Decision {
  if (userId === row.requested_by || config.slack.approvers.includes(userId) || inApproverGroup) return { ok: true };
  return { ok: false, why: 'only the requester or an approver (slack.approvers or slack.approverGroups) may cancel' };
}

/**
 * Pure: loud warnings for causes a restart does not fix (db-unreachable, disk-full, …). The
 * catch-all app-unhealthy names no cause: nobody knows what a restart does about it, and it says so.
 */
export function restartWarnings(report: HostReport | undefined): string[] {
  return (report?.causes ?? [])
    .filter((c) => !c.restartHelps)
    .map((c) => `${c.id}: ${c.id === 'app-unhealthy' ? 'the cause is unknown, a restart may not fix it' : 'a restart will not fix this'} — ${c.advice}`);
}
