import type { WatchLeader } from '../domain/watch-leader.js';
import type { RunLog } from '../log/run-log.js';
import type { Fence, Lease, LeaseStore } from '../store/lease.js';

export interface LeadershipOptions {
  readonly lease: LeaseStore;
  /** This replica's name in the lease row (host name and pid by default). */
  readonly holder: string;
  /** watch.leaseTtl. */
  readonly ttlMs: number;
  readonly log: RunLog;
  /** Told when this replica starts leading (posts and pages left by the last leader go out). */
  readonly onLead?: (lease: Lease) => void;
  /** Monotonic ms (keeps running while the process is stopped): how long a lease is trusted here. */
  readonly monotonic?: () => number;
}

/**
 * One replica leads the watcher: it holds the store's lease, renewed every third of its TTL. The
 * others try to take it over at the same pace, and do once it expires (a dead or frozen leader).
 *
 * `fence()` is what the watcher and the posters ask before each write or send. It answers only
 * while this replica's last successful renewal, counted on the monotonic clock from before the
 * request was sent, is younger than the TTL minus a margin: a process that was paused (GC, SIGSTOP,
 * a frozen VM) wakes up past that and has no fence, before any store round trip tells it so. The
 * store then refuses any write carrying a stale token (FencedOut): the local deadline keeps a woken
 * ex-leader from sending; the token keeps a write it already started from landing.
 */
export class Leadership {
  private current: Lease | undefined;
  /** Monotonic time until which `current` is trusted here. */
  private trustedUntil = 0;
  private last: Lease | undefined;
  private since: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly monotonic: () => number;
  private readonly margin: number;

  constructor(private readonly o: LeadershipOptions) {
    this.monotonic = o.monotonic ?? (() => performance.now());
    // Time for the renewal's own round trip and scheduling delays: a fifth of the TTL, at least 1 s.
    this.margin = Math.max(1000, o.ttlMs / 5);
  }

  /** Tries at once, then every third of the TTL. */
  start(): Promise<void> {
    return this.tick();
  }

  /** The current lease if this replica leads and may still trust it; undefined otherwise. */
  fence(): Fence | undefined {
    if (!this.current) return undefined;
    if (this.monotonic() >= this.trustedUntil) {
      this.lose('its lease ran out here before it could be renewed (a pause, or the store unreachable)');
      return undefined;
    }
    return { holder: this.current.holder, token: this.current.token };
  }

  /** A write was fenced out: another replica leads. Stop at once; the next tick reads who. */
  fencedOut(): void {
    this.lose('the store refused its lease token (another replica took over)');
  }

  view(): WatchLeader {
    const leading = this.fence() !== undefined;
    const lease = leading ? this.current : this.last;
    return { self: this.o.holder, leading, holder: lease?.holder, token: lease?.token, since: leading ? this.since : undefined };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    const held = this.current;
    this.current = undefined;
    // Given back, so the other replica leads at once instead of after the TTL.
    if (held) await this.o.lease.release(held).catch((err: unknown) => this.o.log.warn({ err }, 'could not release the watch lease'));
  }

  private tick(): Promise<void> {
    this.running = this.attempt()
      .catch((err: unknown) => this.o.log.warn({ err }, 'the watch lease could not be read or renewed; trying again'))
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        this.timer = setTimeout(() => void this.tick(), Math.max(500, this.o.ttlMs / 3));
        this.timer.unref();
      });
    return this.running;
  }

  private async attempt(): Promise<void> {
    const sent = this.monotonic();
    const held = this.fence();
    const lease = held ? await this.o.lease.renew(held, this.o.ttlMs) : await this.o.lease.acquire(this.o.holder, this.o.ttlMs);
    if (this.stopped) return;
    if (lease) {
      const gained = !held;
      this.current = lease;
      this.last = lease;
      this.trustedUntil = sent + this.o.ttlMs - this.margin;
      if (gained) {
        this.since = Date.now();
        this.o.log.info({ replica: this.o.holder, token: lease.token }, 'leading the watcher');
        this.o.onLead?.(lease);
      }
      return;
    }
    if (held) this.lose('another replica holds the lease');
    this.last = await this.o.lease.current();
  }

  private lose(why: string): void {
    if (!this.current) return;
    this.o.log.warn({ replica: this.o.holder, token: this.current.token, why }, 'stepped down from leading the watcher');
    this.current = undefined;
    this.trustedUntil = 0;
  }
}
