/**
 * Which replica leads the watcher, and the fencing token that proves it (issue 18). One row,
 * `name = 'watch'`. Taking the lease over (free, or expired) increments the token; renewing keeps
 * it. Time is the store's own clock where it has one (MySQL's NOW(3): replicas' clocks may drift),
 * else the caller's machine (SQLite: every replica on one machine).
 */
export interface Lease {
  readonly holder: string;
  /** Monotonically increasing across takeovers: a write carrying an older one is refused. */
  readonly token: number;
  /** Epoch ms (store clock) after which another replica may take it over. */
  readonly expiresAt: number;
}

/**
 * A write the leader makes (a cycle's commit, a post marked sent, a page marked delivered) carries
 * its lease; the store applies it only if that lease is still the current one and unexpired, in
 * the same transaction as the write. Otherwise it throws FencedOut and changes nothing.
 */
export type Fence = Pick<Lease, 'holder' | 'token'>;

export interface LeaseStore {
  /**
   * Takes the lease for `holder` if nobody holds it or its holder's time ran out (token + 1), or
   * renews it if `holder` holds it (same token). Undefined when another replica holds it.
   */
  acquire(holder: string, ttlMs: number): Promise<Lease | undefined>;
  /** Extends `lease` only if it is still the current one and unexpired; undefined if it was lost. */
  renew(lease: Fence, ttlMs: number): Promise<Lease | undefined>;
  /** The current lease (expired or not), for /healthz, /metrics and `hosts`. */
  current(): Promise<Lease | undefined>;
  /** Gives it up at shutdown (expires it now) if still held: the other replica takes over at once. */
  release(lease: Fence): Promise<void>;
  /** Throws FencedOut unless `fence` is the current, unexpired lease: the check right before a send. */
  check(fence: Fence): Promise<void>;
}

/**
 * How the watcher and the posters ask whether this replica leads (watch/leadership.ts): `fence()`
 * is its lease while it may trust it, else undefined; `onFenced()` tells it the store refused it.
 * Absent (a single bot, the CLI, tests): always leads, writes unfenced.
 */
export interface Fencing {
  readonly fence: () => Fence | undefined;
  readonly onFenced: () => void;
}

/** A write refused because the writer's lease is no longer the current one. */
export class FencedOut extends Error {
  constructor(readonly fence: Fence) {
    super(`fenced out: lease token ${fence.token} of ${fence.holder} is no longer the current one`);
    this.name = 'FencedOut';
  }
}
