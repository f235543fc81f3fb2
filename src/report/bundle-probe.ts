import { serviceProbeCommand } from '../checks/service-check.js';
import { PS_COMMAND } from '../checks/parse-ps.js';
import type { AppTarget } from '../config/types.js';
import { shq } from '../remote/shell-quote.js';

/** The runbook's "asking for help" list, in the order a reader wants it. */
export const BUNDLE_LOG_LINES = 200;

/**
 * One exec collects the host side of the support bundle: each part is printed after an `@@name`
 * marker (see checks/sections.ts) so a part that fails cannot hide the others. Every value from
 * config is quoted; nothing typed in Slack reaches this string (the host is looked up by name).
 */
export function bundleProbeCommand(app: AppTarget): string {
  return [
    'echo @@os; cat /etc/os-release 2>&1',
    'echo @@kernel; uname -srvmo 2>&1',
    'echo @@uptime; uptime 2>&1',
    // The system python; a virtualenv's interpreter shows in the app's command line under @@processes.
    'echo @@python; python3 --version 2>&1',
    `echo @@service; ${serviceStateCommand(app)}`,
    `echo @@service-config; ${serviceConfigCommand(app)}`,
    'echo @@memory; free -m 2>&1',
    'echo @@load; cat /proc/loadavg; nproc 2>&1',
    `echo @@disk; df -hP / ${shq(dirOf(app.logFile))} 2>&1`,
    `echo @@processes; ${PS_COMMAND} 2>&1 | head -n 15`,
    `echo @@listeners; (ss -tlnH 2>/dev/null || cat /proc/net/tcp) | head -n 40`,
    // tail's own complaint goes into the section; @@log-failed marks it as not being log lines.
    `echo @@log; tail -n ${BUNDLE_LOG_LINES} -- ${shq(app.logFile)} 2>&1 || echo @@log-failed`,
  ].join('; ');
}

function serviceStateCommand(app: AppTarget): string {
  if (app.manager === 'systemd') return `systemctl status ${shq(app.service)} --no-pager -n 0 2>&1 | head -n 20`;
  return serviceProbeCommand(app);
}

/**
 * The unit file, or the `[program:NAME]` section wherever supervisord's config keeps it (the
 * main file or its conf.d includes). Only files readable by the bot's user are shown.
 */
function serviceConfigCommand(app: AppTarget): string {
  if (app.manager === 'systemd') return `systemctl cat ${shq(app.service)} --no-pager 2>&1`;
  const files = [
    app.supervisorConfig ? shq(app.supervisorConfig) : '',
    '/etc/supervisor/supervisord.conf',
    '/etc/supervisor/conf.d/*.conf',
    '/etc/supervisord.conf',
    '/etc/supervisord.d/*.ini',
  ]
    .filter(Boolean)
    .join(' ');
  const section = shq(`[program:${app.service}]`);
  // sudo is not needed: program sections are world-readable on Debian; the socket is not.
  return (
    `found=; for f in ${files}; do [ -r "$f" ] || continue; ` +
    `out=$(awk -v s=${section} '$0==s{p=1} /^\\[/&&$0!=s{p=0} p' "$f"); [ -n "$out" ] && { echo "# $f"; echo "$out"; found=1; }; done; ` +
    `[ -n "$found" ] || echo ${shq(`no readable [program:${app.service}] section in ${files}`)}`
  );
}

function dirOf(path: string): string {
  return path.slice(0, Math.max(1, path.lastIndexOf('/')));
}
