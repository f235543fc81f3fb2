/** At most `max` uses per `windowMs` per key; `max` 0 = no limit. */
export interface RateLimit {
  readonly max: number;
  readonly windowMs: number;
}

export type Take = { readonly ok: true } | { readonly ok: false; readonly retryInMs: number };

/**
 * A sliding-window log per key (a Slack user): a use counts for exactly `windowMs` after it was
 * made, so "try again in N s" is exact — the moment the oldest use in the window leaves it. Only
 * accepted uses are logged: someone refused and retrying does not push their own wait further out.
 * Pure apart from the injected clock; keys whose uses have all left the window are forgotten.
 */
export class RateLimiter {
  private readonly uses = new Map<string, number[]>();

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: () => number,
  ) {}

  take(key: string): Take {
    if (this.limit.max <= 0) return { ok: true };
    const now = this.clock();
    this.forgetIdle(now);
    const recent = (this.uses.get(key) ?? []).filter((at) => at > now - this.limit.windowMs);
    if (recent.length >= this.limit.max) {
      this.uses.set(key, recent);
      return { ok: false, retryInMs: recent[recent.length - this.limit.max]! + this.limit.windowMs - now };
    }
    recent.push(now);
    this.uses.set(key, recent);
    return { ok: true };
  }

  /** Keys held (for tests: memory stays bounded by the people active within one window). */
  get size(): number {
    return this.uses.size;
  }

  private forgetIdle(now: number): void {
    for (const [key, times] of this.uses) if ((times.at(-1) ?? 0) <= now - this.limit.windowMs) this.uses.delete(key);
  }
}
