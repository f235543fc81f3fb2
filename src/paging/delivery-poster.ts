import type { PageTarget } from '../config/types.js';
import type { RunLog } from '../log/run-log.js';
import type { Telemetry } from '../ops/telemetry.js';
import type { DeliveryQueue, DeliveryRow } from '../store/deliveries.js';
import type { Fencing, LeaseStore } from '../store/lease.js';
import { DrainLoop } from '../watch/drain-loop.js';
import { deliveryRequest } from './delivery-request.js';
import { type PageOutcome, type PageRequestHttp, postPage } from './page-http.js';

export interface DeliveryPosterOptions {
  /** First retry delay; doubles per attempt up to maxBackoffMs. */
  readonly baseBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Per request: a target that does not answer is tried again later. */
  readonly timeoutMs?: number;
  readonly clock?: () => number;
  /** The HTTP call (tests may count or fail them); Node's fetch by default. */
  readonly post?: (req: PageRequestHttp, signal: AbortSignal) => Promise<PageOutcome>;
  /**
   * With replicas: this replica's lease while it leads, checked in the store (`lease.check`) right
   * before each page is sent and carried by every write; it pages only then. Absent: always.
   */
  /** Each attempt's outcome, for /metrics (moneymind_pages_total). */
  readonly telemetry?: Pick<Telemetry, 'page'>;
  readonly fencing?: Fencing & { readonly lease: Pick<LeaseStore, 'check'> };
}

/**
 * Drains the store's pages to their targets in the background, as OutboxPoster drains Slack's:
 * an incident's events go to a target in order (trigger before acknowledge before resolve), each
 * target on its own so a slow or failing one holds up no other. A refusal stays in the store with
 * a later `next_at` (exponential backoff, capped; Retry-After honoured); a delivery is deleted only
 * once accepted, so after a restart the pending ones go out (at-least-once, same dedup key). No
 * watch cycle ever waits for this.
 */
export class DeliveryPoster {
  private readonly loop: DrainLoop;
  private orphansChecked = false;
  private readonly abort = new AbortController();
  private readonly base: number;
  private readonly max: number;
  private readonly timeout: number;
  private readonly clock: () => number;
  private readonly post: (req: PageRequestHttp, signal: AbortSignal) => Promise<PageOutcome>;
  private readonly fencing: DeliveryPosterOptions['fencing'];
  private readonly telemetry: DeliveryPosterOptions['telemetry'];

  constructor(
    private readonly store: DeliveryQueue,
    private readonly targets: readonly PageTarget[],
    private readonly log: RunLog,
    opts: DeliveryPosterOptions = {},
  ) {
    this.base = opts.baseBackoffMs ?? 2000;
    this.max = opts.maxBackoffMs ?? 5 * 60_000;
    this.timeout = opts.timeoutMs ?? 10_000;
    this.clock = opts.clock ?? Date.now;
    this.post = opts.post ?? ((req, signal) => postPage(req, signal, this.clock));
    this.fencing = opts.fencing;
    this.telemetry = opts.telemetry;
    this.loop = new DrainLoop({
      drain: () => this.drain(),
      nextAt: () => this.store.nextAt(),
      clock: this.clock,
      log,
      messages: {
        failed: 'page deliveries stopped on an error; trying again later',
        fenced: 'pages: fenced out, another replica leads; this one stops paging',
      },
      ...(opts.fencing ? { onFenced: opts.fencing.onFenced } : {}),
    });
  }

  /** Start draining now unless already at it. Never throws, never waits. */
  kick(): void {
    this.loop.kick();
  }

  /** Resolves when the current drain (if any) is over; for shutdown and tests. */
  idle(): Promise<void> {
    return this.loop.idle();
  }

  /** No new drain; a request in flight is abandoned and stays pending for the next start. */
  async stop(): Promise<void> {
    // Halted first (synchronously), then aborted: the aborted request is kept due now, not backed off.
    const halted = this.loop.stop();
    this.abort.abort();
    await halted;
  }

  private async drain(): Promise<void> {
    if (!this.orphansChecked) await this.refuseOrphans();
    await Promise.all(this.targets.map((t) => this.drainTarget(t)));
  }

  private async drainTarget(target: PageTarget): Promise<void> {
    for (let guard = 0; guard < 1000 && !this.loop.stopped; guard++) {
      if (this.fencing && !this.fencing.fence()) return;
      const [row] = await this.store.due(target.id, this.clock(), 1);
      if (!row) return;
      await this.deliver(target, row);
    }
  }

  private async deliver(target: PageTarget, row: DeliveryRow): Promise<void> {
    const where = { target: target.label, event: row.event, incidentId: row.incident_id, deliveryId: row.id, attempts: row.attempts + 1 };
    const req = deliveryRequest(target, row, this.clock());
    if (!req) {
      await this.store.refused(row, this.clock(), `${target.label} takes no ${row.event} event`);
      this.log.error(where, 'page delivery impossible for this target; kept as failed');
      return;
    }
    // The last word before the page leaves: a replica paused since it read the row is stale here.
    const fence = this.fencing?.fence();
    if (this.fencing && !fence) return;
    if (fence) await this.fencing?.lease.check(fence);
    const signal = AbortSignal.any([AbortSignal.timeout(this.timeout), this.abort.signal]);
    const outcome = await this.post(req, signal);
    if (outcome.ok) {
      await this.store.delivered(row, fence);
      this.telemetry?.page(target.kind, row.event, 'delivered');
      this.log.info(where, 'page delivered');
    } else if (outcome.permanent) {
      // Never dropped silently, never retried forever: the same body would be refused again.
      await this.store.refused(row, this.clock(), outcome.reason, fence);
      this.telemetry?.page(target.kind, row.event, 'refused');
      this.log.error({ ...where, reason: outcome.reason }, 'page delivery refused for good (the event is invalid); kept as failed');
    } else {
      const backoff = Math.min(this.max, this.base * 2 ** Math.min(row.attempts, 20));
      // Retry-After is honoured (up to an hour: a target asking for days is asking to be forgotten).
      const retryInMs = this.loop.stopped ? 0 : Math.max(Math.min(outcome.retryAfterMs ?? 0, 3_600_000), backoff);
      await this.store.retryLater(row, this.clock() + retryInMs, outcome.reason, fence);
      this.telemetry?.page(target.kind, row.event, 'retry');
      this.log.warn({ ...where, retryInMs, reason: outcome.reason }, 'page delivery refused; kept for later');
    }
  }

  /** Pages queued for a target since removed from the config would wait forever: failed, said once. */
  private async refuseOrphans(): Promise<void> {
    for (const row of await this.store.orphans(this.targets.map((t) => t.id))) {
      await this.store.refused(row, this.clock(), `target ${row.target} is no longer in the config`);
      this.log.warn({ target: row.target, event: row.event, incidentId: row.incident_id }, 'page for a target no longer configured; kept as failed');
    }
    this.orphansChecked = true;
  }
}
