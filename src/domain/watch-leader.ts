/**
 * Which replica leads the watcher (replicas share one store; see watch/leadership.ts): what
 * /healthz, /metrics and `hosts` say. One shape for all three, made by Leadership.view().
 */
export interface WatchLeader {
  /** This replica's name (host name, pid and a random suffix). */
  readonly self: string;
  readonly leading: boolean;
  /** The lease's holder and fencing token as last read; undefined before the first read or when none. */
  readonly holder: string | undefined;
  readonly token: number | undefined;
  /** Epoch ms this replica began leading (its watcher's staleness counts from there at most). */
  readonly since?: number | undefined;
}
