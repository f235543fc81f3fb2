/**
 * The watcher's pending re-checks: hosts armed together after one cycle share one timer and are
 * re-checked in one cycle (so a fleet-wide failure stays within watch.concurrency, instead of a
 * cycle per host). A host is in at most one batch; cancelling it (its checks are starting anyway)
 * takes it out, and a batch left empty drops its timer.
 */
export class RetryTimers {
  private readonly batches = new Set<{ readonly hosts: Set<string>; readonly timer: NodeJS.Timeout }>();

  /** `fire` gets the batch's hosts when its timer ends; intervalMs 0 = retries off. */
  constructor(
    private readonly intervalMs: number,
    private readonly fire: (hosts: readonly string[]) => void,
  ) {}

  arm(hosts: readonly string[]): void {
    if (this.intervalMs <= 0 || hosts.length === 0) return;
    for (const h of hosts) this.cancel(h);
    const batch = {
      hosts: new Set(hosts),
      timer: setTimeout(() => {
        this.batches.delete(batch);
        if (batch.hosts.size) this.fire([...batch.hosts]);
      }, this.intervalMs),
    };
    this.batches.add(batch);
  }

  cancel(host: string): void {
    for (const b of this.batches) {
      if (!b.hosts.delete(host) || b.hosts.size) continue;
      clearTimeout(b.timer);
      this.batches.delete(b);
    }
  }

  clear(): void {
    for (const b of this.batches) clearTimeout(b.timer);
    this.batches.clear();
  }

  /** Hosts waiting for a re-check. */
  get armed(): string[] {
    return [...this.batches].flatMap((b) => [...b.hosts]);
  }
}
