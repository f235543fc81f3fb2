import type { RunLog } from '../log/run-log.js';
import type { Telemetry } from '../ops/telemetry.js';
import { fallback, section } from '../slack-format/block-kit.js';
import type { SlackMessage } from '../slack-format/slack-message.js';
import type { Fencing } from '../store/lease.js';
import type { ChartPost, OutboxRow, WatchStore } from '../store/watch-store.js';
import { DrainLoop } from './drain-loop.js';

/** How alerts reach Slack: chat.postMessage, chat.update, and files.uploadV2 for a thread's chart. */
export interface AlertSender {
  post(channel: string, message: SlackMessage, threadTs?: string): Promise<{ channel: string; ts: string }>;
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
  upload(channel: string, threadTs: string, file: ChartFile): Promise<void>;
}

/** A drawn chart, ready to upload: the PNG and what it shows in words (alt text). */
export interface ChartImage {
  readonly png: Uint8Array;
  readonly altText: string;
}

export interface ChartFile extends ChartImage {
  readonly filename: string;
  readonly title: string;
  /** The message beside the image, mrkdwn. */
  readonly comment: string;
}

/** A refusal worth trying again later (429, 5xx, network), with Slack's Retry-After when given. */
export interface SendFailure {
  readonly retryAfterMs?: number;
  readonly reason: string;
}

export interface PosterOptions {
  readonly channel: string;
  /** Slack allows about one message a second per channel. */
  readonly minIntervalMs?: number;
  readonly maxBackoffMs?: number;
  /** First retry delay; doubles per attempt up to maxBackoffMs. */
  readonly baseBackoffMs?: number;
  readonly clock?: () => number;
  readonly telemetry?: Telemetry;
  /**
   * Draws a queued chart from the stored samples (the composition root's renderer); undefined
   * when none are stored. Without it, or without samples, the chart's words go out as a reply.
   */
  readonly drawChart?: (c: ChartPost) => Promise<ChartImage | undefined>;
  /** With replicas: this replica's lease while it leads (leadership.ts); it posts only then. */
  readonly fencing?: Fencing;
}

/**
 * Drains the store's outbox to Slack in order, one message at a time, paced, in the background.
 * A refused post stays in the store with a later `next_at` (exponential backoff, capped); nothing
 * is dropped and no cycle ever waits for it. A thread's replies wait for their parent.
 */
export class OutboxPoster {
  private lastSend = 0;
  private readonly loop: DrainLoop;
  private readonly minInterval: number;
  private readonly maxBackoff: number;
  private readonly baseBackoff: number;
  private readonly clock: () => number;

  constructor(
    private readonly store: WatchStore,
    private readonly sender: AlertSender,
    private readonly log: RunLog,
    private readonly opts: PosterOptions,
  ) {
    this.minInterval = opts.minIntervalMs ?? 1100;
    this.maxBackoff = opts.maxBackoffMs ?? 5 * 60_000;
    this.baseBackoff = opts.baseBackoffMs ?? 2000;
    this.clock = opts.clock ?? Date.now;
    this.loop = new DrainLoop({
      drain: () => this.drain(),
      nextAt: () => this.store.nextPostAt(),
      clock: this.clock,
      log,
      messages: { failed: 'outbox: the store failed; trying again shortly', fenced: 'outbox: fenced out, another replica leads; this one stops posting' },
      ...(opts.fencing ? { onFenced: opts.fencing.onFenced } : {}),
    });
  }

  /** Start draining now unless already at it. Never throws, never waits. */
  kick(): void {
    this.loop.kick();
  }

  /** Slack is reachable again: posts waiting out a backoff are due now, in their order. */
  retryNow(): Promise<void> {
    if (this.loop.stopped) return Promise.resolve();
    return this.store.retryPostsNow(this.clock()).then(
      () => this.kick(),
      (err: unknown) => this.log.error({ err }, 'outbox: the store failed; trying again shortly'),
    );
  }

  /** Resolves when the current drain (if any) is over; for shutdown and tests. */
  idle(): Promise<void> {
    return this.loop.idle();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async drain(): Promise<void> {
    for (let guard = 0; guard < 10_000 && !this.loop.stopped; guard++) {
      // Only the leader posts (with replicas): the others' outbox is the same table.
      if (this.opts.fencing && !this.opts.fencing.fence()) return;
      const [row] = await this.store.duePosts(this.clock(), 1);
      if (!row) return;
      const wait = this.lastSend + this.minInterval - this.clock();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      this.lastSend = this.clock();
      // Asked right before the send, in the store: a replica paused since the line above finds
      // its token stale here (FencedOut ends the drain) and Slack never hears from it.
      const fence = this.opts.fencing?.fence();
      if (this.opts.fencing && !fence) return;
      if (fence) await this.store.lease.check(fence);
      let result: { channel: string; ts: string } | undefined;
      try {
        result = await this.send(row);
      } catch (err) {
        const f = err as SendFailure;
        const backoff = Math.min(this.maxBackoff, this.baseBackoff * 2 ** Math.min(row.attempts, 10));
        const delay = Math.max(f.retryAfterMs ?? 0, backoff);
        await this.store.postFailed(row, this.clock() + delay, f.reason ?? String(err), fence);
        this.opts.telemetry?.slackError('alert', f.reason ?? 'error');
        this.log.warn(
          { outboxId: row.id, kind: row.kind, attempts: row.attempts + 1, retryInMs: delay, reason: f.reason ?? String(err) },
          'alert post refused; kept for later',
        );
        continue;
      }
      // Slack took it. Recorded with the same fence; if this replica was fenced out in between,
      // the row stays and the new leader sends it again: at-least-once, never lost.
      await this.store.posted(row, result, fence);
      this.opts.telemetry?.alertPosted(row.kind);
    }
  }

  private async send(row: OutboxRow): Promise<{ channel: string; ts: string } | undefined> {
    const message = JSON.parse(row.payload) as SlackMessage;
    const channel = row.channel ?? this.opts.channel;
    if (row.kind === 'post-parent') return this.sender.post(channel, message);
    if (!row.thread_ts) throw { reason: 'no parent yet' } satisfies SendFailure;
    if (row.kind === 'reply') {
      await this.sender.post(channel, message, row.thread_ts);
      return undefined;
    }
    if (row.kind === 'chart') {
      const c = JSON.parse(row.payload) as ChartPost;
      const image = await this.opts.drawChart?.(c);
      if (image) {
        const stamp = new Date(c.at).toISOString().slice(0, 16).replace(/[-:T]/g, '');
        await this.sender.upload(channel, row.thread_ts, { ...image, filename: `moneymind-${c.host}-${stamp}.png`, title: c.title, comment: c.comment });
      } else await this.sender.post(channel, { text: fallback(c.comment), blocks: [section(c.comment)] }, row.thread_ts);
      return undefined;
    }
    await this.sender.update(channel, row.thread_ts, message);
    return undefined;
  }
}
