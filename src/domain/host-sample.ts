/**
 * What the watcher measured on one host in one cycle, kept for `trend` and the memory-growth
 * chart. Each value is null when that check did not say (no app process found, /health did not
 * answer, no database configured): a gap in the chart, never a zero.
 */
export interface HostSample {
  readonly host: string;
  readonly at: number;
  /** The app's RSS, all its processes. */
  readonly rssKb: number | null;
  /** /proc/meminfo's MemAvailable and MemTotal. */
  readonly memAvailableKb: number | null;
  readonly memTotalKb: number | null;
  /** /health's answer time; null when it did not answer (timeout, refused). */
  readonly healthMs: number | null;
  /** Whether /health answered 2xx: a failed answer's latency is drawn apart. */
  readonly healthOk: boolean;
  /** Threads_connected and max_connections. */
  readonly dbConnections: number | null;
  readonly dbMaxConnections: number | null;
  /** The 1-minute load average divided by the cores. */
  readonly loadPerCore: number | null;
}
