import type { AppTarget, HostConfig } from '../config/types.js';
import { serviceProbeCommand } from '../checks/service-check.js';
import { restartShellCommand } from '../restart/restart-policy.js';
import { shq } from '../remote/shell-quote.js';
import { step } from './exit-section.js';

/**
 * The one exec doctor runs on a host: a fixed template filled only from config values (quoted),
 * sections marked @@name, each ending with its exit status (`@@exit N`). Nothing typed by a person
 * reaches it. Nothing here changes the host: `sudo -n -l CMD` asks sudo whether it would run CMD.
 */
export function doctorProbeCommand(app: AppTarget): string {
  const restart = restartShellCommand(app);
  if (!restart.startsWith('sudo -n ')) throw new Error(`restart command does not start with sudo -n: ${restart}`);
  const parts = [
    step('id', 'id -un; id -nG'),
    `echo @@bin; command -v ${app.manager === 'systemd' ? 'systemctl' : 'supervisorctl'}`,
    // Exactly the restart command, asked with -l: exit 0 only if sudoers allows it as written.
    step('sudo-restart', `sudo -n -l ${restart.slice('sudo -n '.length)} 2>&1`),
    `echo @@log-file; test -r ${shq(app.logFile)}; echo "@@exit $?"; ls -ld -- ${shq(app.logFile)} 2>&1`,
    // Where the logs check reads the kernel's OOM lines: the journal under systemd, else kern.log.
    'echo @@kernel; if command -v journalctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then echo journal; ' +
      'journalctl -n 0 --no-pager _TRANSPORT=kernel 2>&1; elif [ -e /var/log/kern.log ]; then echo kern-log; test -r /var/log/kern.log; ' +
      'else echo none; fi; echo "@@exit $?"',
  ];
  if (app.manager === 'supervisor') parts.push(step('sudo-status', serviceProbeCommand(app)));
  else parts.push(step('journal', `journalctl -u ${shq(app.service)} -n 0 --no-pager 2>&1`));
  return parts.join('; ');
}

/** The bot's user on the host, for messages and sudoers lines: the SSH login, else what `id -un` said. */
export function hostUser(host: HostConfig, idUser: string | undefined): string {
  return host.ssh?.username ?? idUser ?? 'the bot user';
}
