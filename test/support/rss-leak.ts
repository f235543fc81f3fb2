/** A leak as the watcher stores it: one sample per 5-minute cycle over 6 h before `now`, +21 MB/h with GC wobble. */
export function rssLeak(host: string, now: number): { host: string; at: number; rssKb: number }[] {
  return Array.from({ length: 72 }, (_, i) => ({
    host,
    at: now - 6 * 3_600_000 + (i + 1) * 5 * 60_000,
    rssKb: Math.round((212 + i * 1.75 + 4 * Math.sin(i)) * 1024),
  }));
}
