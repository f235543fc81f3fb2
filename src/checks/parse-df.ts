export interface DiskUsage {
  readonly filesystem: string;
  readonly mount: string;
  readonly usedPercent: number;
  readonly availableKb: number;
}

/**
 * `df -P` (POSIX format: one line per filesystem even with long device names). Example input:
 *   Filesystem     1024-blocks     Used Available Capacity Mounted on
 *   /dev/vda         263174212 22713828 227026784      10% /
 * Duplicate mounts (/ and a log dir on the same filesystem) are kept once.
 */
export function parseDf(text: string): DiskUsage[] {
  const seen = new Set<string>();
  const out: DiskUsage[] = [];
  for (const line of text.split('\n').slice(1)) {
    const m = /^(\S+)\s+\d+\s+\d+\s+(\d+)\s+(\d+)%\s+(.+)$/.exec(line.trim());
    if (!m) continue;
    const mount = (m[4] as string).trim();
    if (seen.has(mount)) continue;
    seen.add(mount);
    out.push({ filesystem: m[1] as string, mount, usedPercent: Number(m[3]), availableKb: Number(m[2]) });
  }
  return out;
}
