import type { AppTarget } from '../config/types.js';
import { restartShellCommandText } from '../restart/restart-policy.js';
import type { DoctorItem } from './doctor-types.js';
import { exitSection } from './exit-section.js';

const SUDOERS_FILE = '/etc/sudoers.d/moneymind-bot';
const REFUSED = /sudo: (a password is required|.*not allowed|.*may not run)/i;

/**
 * The README's sudoers line, filled in from config. sudo matches the command's absolute path and its
 * arguments exactly, so they are written as the bot runs them (without the shell's quotes).
 */
export function sudoersLine(app: AppTarget, user: string, bin: { supervisorctl?: string; systemctl?: string } = {}): string {
  if (app.manager === 'systemd') return `${user} ALL=(root) NOPASSWD: ${bin.systemctl || '/usr/bin/systemctl'} restart ${app.service}`;
  const ctl = `${bin.supervisorctl || '/usr/bin/supervisorctl'}${app.supervisorConfig ? ` -c ${app.supervisorConfig}` : ''}`;
  return `${user} ALL=(root) NOPASSWD: ${ctl} status ${app.service}, ${ctl} restart ${app.service}`;
}

export function sudoersFix(line: string): string {
  return `add this line to ${SUDOERS_FILE} (mode 0440, check with visudo -cf ${SUDOERS_FILE}): ${line}`;
}

/**
 * `sudo -n supervisorctl [-c CONF] status NAME 2>&1` (supervisor only; systemd needs no sudo for
 * status). Refused by sudo → the sudoers line; supervisord not answering or not knowing the program
 * is not a sudoers problem: said, with its own fix. Example input (no rule):
 *   sudo: a password is required
 *   @@exit 1
 */
export function evaluateSudoStatus(section: string | undefined, app: AppTarget, user: string, line: string): DoctorItem {
  const { output, exit } = exitSection(section);
  const cmd = `sudo -n supervisorctl ${app.supervisorConfig ? `-c ${app.supervisorConfig} ` : ''}status ${app.service}`;
  if (exit === null) return { id: 'sudo-status', mark: 'unknown', line: `${cmd}: did not run` };
  if (REFUSED.test(output)) return { id: 'sudo-status', mark: 'fail', line: `${cmd}: refused by sudo for ${user}`, fix: sudoersFix(line) };
  if (/no such process/i.test(output))
    return {
      id: 'sudo-status',
      mark: 'fail',
      line: `${cmd}: sudo allows it, but supervisord has no program ${app.service}`,
      fix: 'set app.service to the [program:NAME] supervisord runs (sudo supervisorctl status lists them)',
    };
  if (/\.sock (no such file|refused connection)/.test(output))
    return {
      id: 'sudo-status',
      mark: 'fail',
      line: `${cmd}: sudo allows it, but supervisord does not answer (${firstLine(output)})`,
      fix: 'start supervisord (systemctl start supervisor), or point app.supervisorConfig at the config it runs with',
    };
  // supervisorctl exits 0 for RUNNING and 3 for a program that is not running: sudo let it through.
  if (new RegExp(`^${escapeRe(app.service)}\\s+[A-Z]+`, 'm').test(output))
    return { id: 'sudo-status', mark: 'pass', line: `${cmd}: allowed (${firstLine(output).replace(/\s+/g, ' ').slice(0, 80)})` };
  return { id: 'sudo-status', mark: 'unknown', line: `${cmd}: exit ${exit}: ${firstLine(output) || 'no output'}` };
}

/**
 * `sudo -n -l <the restart command>`: sudo's own answer whether it would run exactly that, without
 * running it — exit 0 and the command echoed when allowed; exit 1 when not, silent when the user has
 * other rules, "a password is required" when it has none. Example input (allowed):
 *   /usr/bin/supervisorctl -c /etc/supervisor/supervisord.conf restart moneymind
 *   @@exit 0
 */
export function evaluateSudoRestart(section: string | undefined, app: AppTarget, user: string, line: string): DoctorItem {
  const { output, exit } = exitSection(section);
  const cmd = restartShellCommandText(app);
  if (exit === null) return { id: 'sudo-restart', mark: 'unknown', line: `restart (${cmd}): sudo -n -l did not run` };
  if (exit === 0) return { id: 'sudo-restart', mark: 'pass', line: `restart allowed by sudoers: ${cmd}` };
  if (exit === 1 && (!output || REFUSED.test(output)))
    return { id: 'sudo-restart', mark: 'fail', line: `restart not allowed for ${user} by sudoers: ${cmd}`, fix: sudoersFix(line) };
  return { id: 'sudo-restart', mark: 'unknown', line: `sudo -n -l for the restart command: exit ${exit}: ${firstLine(output) || 'no output'}` };
}

function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim()) ?? '').trim().slice(0, 200);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
