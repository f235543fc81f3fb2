import type { DoctorItem } from './doctor-types.js';
import { exitSection } from './exit-section.js';

/** `id -un; id -nG`: the bot's user on the host and its groups. Example input: "ops\nops adm\n@@exit 0". */
export function parseId(section: string | undefined): { user: string | undefined; groups: readonly string[] } {
  const lines = exitSection(section).output.split('\n');
  return { user: lines[0]?.trim() || undefined, groups: (lines[1] ?? '').trim().split(/\s+/).filter(Boolean) };
}

const JOURNAL_GROUPS = ['systemd-journal', 'adm', 'wheel'];
const NOT_SEEING = /not seeing messages|permission denied|no access/i;

/**
 * `test -r FILE; echo "@@exit $?"; ls -ld -- FILE`: readable by the bot's user? The ls line says
 * who owns it and its mode, or that it does not exist. Example input (unreadable):
 *   @@exit 1
 *   -rw-r----- 1 root adm 1234 May  1 10:00 /opt/moneymind/logs/moneymind.log
 */
export function evaluateLogFile(section: string | undefined, file: string, user: string): DoctorItem {
  const { output, exit } = exitSection(section);
  if (exit === 0) return { id: 'log-file', mark: 'pass', line: `log file ${file} readable by ${user}` };
  if (exit === null) return { id: 'log-file', mark: 'unknown', line: `log file ${file}: test -r did not run` };
  if (/no such file/i.test(output))
    return {
      id: 'log-file',
      mark: 'fail',
      line: `log file ${file} does not exist`,
      fix: 'set app.logFile to the file the app writes (its logging config), or start the app once so it creates it',
    };
  const ls = output.split('\n').find((l) => l.trim()) ?? '';
  return {
    id: 'log-file',
    mark: 'fail',
    line: `log file ${file} not readable by ${user}${ls ? ` (${ls.trim().split(/\s+/).slice(0, 4).join(' ')})` : ''}`,
    fix: `make it readable by the bot's user: chgrp adm ${file}; chmod 0640 ${file}; usermod -aG adm ${user} (and the directories above it searchable)`,
  };
}

/**
 * With systemd: `journalctl -u SERVICE -n 0` plus the user's groups. journalctl shows a non-member
 * only its own user's entries and says so ("Hint: You are currently not seeing messages from other
 * users and the system"); membership of systemd-journal (or adm) is what the README prescribes.
 */
export function evaluateJournal(section: string | undefined, groups: readonly string[], user: string, service: string): DoctorItem {
  const { output, exit } = exitSection(section);
  const member = user === 'root' || groups.some((g) => JOURNAL_GROUPS.includes(g));
  const fix = `usermod -aG systemd-journal ${user} (then the bot's next SSH login has it)`;
  if (exit === null) return { id: 'journal', mark: 'unknown', line: `journal of ${service}: journalctl did not run` };
  if (exit === 127 || /journalctl: (command )?not found/.test(output))
    return {
      id: 'journal',
      mark: 'fail',
      line: `journal of ${service}: no journalctl on the host`,
      fix: 'set app.manager: supervisor if supervisord runs the app',
    };
  if (!member || NOT_SEEING.test(output))
    return {
      id: 'journal',
      mark: 'fail',
      line: `journal of ${service} not readable: ${user} is in ${groups.length ? groups.join(', ') : 'no group'}, not systemd-journal or adm`,
      fix,
    };
  if (exit !== 0) return { id: 'journal', mark: 'unknown', line: `journalctl -u ${service}: exit ${exit}: ${output.split('\n')[0] ?? ''}` };
  return {
    id: 'journal',
    mark: 'pass',
    line: `journal of ${service} readable (${user} is in ${groups.filter((g) => JOURNAL_GROUPS.includes(g)).join(', ') || 'root'})`,
  };
}

/**
 * Where the logs check reads the kernel's OOM lines: the journal when systemd runs the host, else
 * /var/log/kern.log. The step prints which (`journal` with journalctl's answer, `kern-log` with
 * `test -r`'s status, or `none`). Example input (kern.log unreadable):
 *   kern-log
 *   @@exit 1
 */
export function evaluateKernelLog(section: string | undefined, groups: readonly string[], user: string): DoctorItem {
  const { output, exit } = exitSection(section);
  const [where, ...rest] = output.split('\n');
  const said = rest.join('\n');
  if (where === 'journal') {
    if (user === 'root' || (groups.some((g) => JOURNAL_GROUPS.includes(g)) && !NOT_SEEING.test(said)))
      return { id: 'kernel-log', mark: 'pass', line: `kernel log (journal) readable: OOM kills are seen` };
    return {
      id: 'kernel-log',
      mark: 'fail',
      line: `kernel log (journal) not readable by ${user}: OOM kills would go unseen`,
      fix: `usermod -aG systemd-journal ${user}`,
    };
  }
  if (where === 'kern-log') {
    if (exit === 0) return { id: 'kernel-log', mark: 'pass', line: 'kernel log /var/log/kern.log readable: OOM kills are seen' };
    return {
      id: 'kernel-log',
      mark: 'fail',
      line: `kernel log /var/log/kern.log not readable by ${user}: OOM kills would go unseen`,
      fix: `usermod -aG adm ${user}`,
    };
  }
  if (where === 'none')
    return {
      id: 'kernel-log',
      mark: 'unknown',
      line: 'no kernel log to read: no systemd journal and no /var/log/kern.log, so OOM kills go unseen',
      fix: 'let rsyslog write /var/log/kern.log (apt install rsyslog), readable by group adm',
    };
  return { id: 'kernel-log', mark: 'unknown', line: `kernel log: the probe printed ${JSON.stringify(output.slice(0, 80))}` };
}
