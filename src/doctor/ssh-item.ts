import type { HostConfig } from '../config/types.js';
import type { OpsError } from '../errors.js';
import type { DoctorItem } from './doctor-types.js';

/**
 * SSH reachable, logged in, host key as pinned: the transport refuses any other key, so a command
 * that ran proves all three; its error (SSH_HOSTKEY_MISMATCH, SSH_AUTH, SSH_CONNECT) carries the fix.
 */
export function sshItem(host: HostConfig, err: OpsError | undefined): DoctorItem {
  const ssh = host.ssh;
  if (!ssh)
    return err
      ? { id: 'ssh', mark: 'fail', line: `local commands fail: ${err.message}` }
      : { id: 'ssh', mark: 'pass', line: 'local: runs on this machine, no SSH' };
  const pin = ssh.knownHosts ? `listed in ${ssh.knownHosts.path}` : `matches ${ssh.hostKey ?? 'the pin'}`;
  const via = ssh.jump ? ` through jump host ${ssh.jump.name} (${ssh.jump.username}@${ssh.jump.host}:${ssh.jump.port})` : '';
  if (!err) return { id: 'ssh', mark: 'pass', line: `SSH ${ssh.username}@${ssh.host}:${ssh.port}${via}: logged in, host key ${pin}` };
  return { id: 'ssh', mark: 'fail', line: `SSH: ${err.message} (nothing else checked)`, ...(err.fix ? { fix: err.fix } : {}) };
}
