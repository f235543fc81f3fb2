export interface SupervisorStatus {
  readonly name: string;
  /** RUNNING, STARTING, BACKOFF, STOPPING, STOPPED, EXITED, FATAL, UNKNOWN */
  readonly state: string;
  readonly pid: number | null;
  readonly uptimeSec: number | null;
  /** The rest of the line: "Exited too quickly (process log may have details)", "Not started". */
  readonly description: string;
}

/**
 * `supervisorctl status NAME` prints one line per program. Example inputs:
 *   moneymind                        RUNNING   pid 1234, uptime 3 days, 4:05:06
 *   moneymind                        STOPPED   Nov 25 09:12 PM
 *   broken                           FATAL     Exited too quickly (process log may have details)
 * Returns null when the output has no status line for `name` (no such process, supervisord down).
 */
export function parseSupervisorctlStatus(text: string, name: string): SupervisorStatus | null {
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(RUNNING|STARTING|BACKOFF|STOPPING|STOPPED|EXITED|FATAL|UNKNOWN)\b\s*(.*)$/.exec(line.trim());
    if (!m || (m[1] !== name && !m[1]?.endsWith(`:${name}`))) continue;
    const rest = m[3] ?? '';
    const pid = /pid (\d+)/.exec(rest);
    return { name: m[1] as string, state: m[2] as string, pid: pid ? Number(pid[1]) : null, uptimeSec: parseSupervisorUptime(rest), description: rest };
  }
  return null;
}

/** "uptime 3 days, 4:05:06" | "uptime 0:00:07" | "uptime 1 day, 0:00:01" → seconds. */
export function parseSupervisorUptime(text: string): number | null {
  const m = /uptime (?:(\d+) days?, )?(\d+):(\d\d):(\d\d)/.exec(text);
  if (!m) return null;
  return Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}
