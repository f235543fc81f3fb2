/**
 * `systemctl show UNIT --property=…` prints KEY=VALUE lines. Example input:
 *   LoadState=loaded
 *   ActiveState=active
 *   SubState=running
 *   NRestarts=0
 *   MainPID=812
 *   ActiveEnterTimestampMonotonic=5284115
 */
export function parseSystemctlShow(text: string): Record<string, string> {
  const props: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) props[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return props;
}

/** `/proc/uptime` → seconds since boot. Example input: "350735.47 234388.90" */
export function parseProcUptime(text: string): number | null {
  const v = Number.parseFloat(text.trim().split(/\s+/)[0] ?? '');
  return Number.isFinite(v) ? v : null;
}
