import type { RunLog } from '../log/run-log.js';
import { FencedOut } from '../store/lease.js';

export interface DrainLoopOptions {
  /** Sends what is due, until nothing is or it must stop; may throw (a store down, FencedOut). */
  readonly drain: () => Promise<void>;
  /** When the next row is due, if any. */
  readonly nextAt: () => Promise<number | undefined>;
  readonly clock: () => number;
  readonly log: RunLog;
  /** Log lines: the store failed (tried again later); this replica was fenced out. */
  readonly messages: { readonly failed: string; readonly fenced: string };
  /** The store refused this replica's lease token: it stops leading. */
  readonly onFenced?: () => void;
}

/**
 * The background loop both posters run (Slack's outbox, the pages): one drain at a time, started by
 * `kick()` or when the next row falls due, never awaited by whoever kicks it. A drain that throws
 * is logged and tried again on the next schedule: the store can fail (a database restarting) and
 * nothing is given up; a rejection here would reach no one.
 */
export class DrainLoop {
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private halted = false;

  constructor(private readonly o: DrainLoopOptions) {}

  get stopped(): boolean {
    return this.halted;
  }

  /** Start draining now unless already at it. Never throws, never waits. */
  kick(): void {
    if (this.halted || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.o
      .drain()
      .catch((err: unknown) => {
        if (!(err instanceof FencedOut)) return this.o.log.error({ err }, this.o.messages.failed);
        this.o.log.warn({ token: err.fence.token }, this.o.messages.fenced);
        this.o.onFenced?.();
      })
      .finally(() => {
        this.running = undefined;
        void this.scheduleNext();
      });
  }

  /** Resolves when the current drain (if any) is over; for shutdown and tests. */
  async idle(): Promise<void> {
    await this.running;
  }

  /** No new drain; the one running finishes (the caller aborts what it sends, if it can). */
  async stop(): Promise<void> {
    this.halted = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async scheduleNext(): Promise<void> {
    if (this.halted) return;
    // A store that cannot answer is asked again in 5 s.
    const next = await this.o.nextAt().catch(() => this.o.clock() + 5000);
    if (next === undefined || this.halted || this.running) return;
    // At least 50 ms: should a row ever look due and not be drained, this is a slow poll, not a spin.
    const delay = Math.min(Math.max(50, next - this.o.clock()), 60_000);
    this.timer = setTimeout(() => this.kick(), delay);
    this.timer.unref();
  }
}
