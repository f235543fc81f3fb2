import type { RssSample } from '../diagnosis/cause.js';
import type { CauseId } from '../domain/ids.js';
import type { HostSample } from '../domain/host-sample.js';
import type { IncidentKey } from '../domain/incident-key.js';
import type { SlackMessage } from '../slack-format/slack-message.js';
import type { Tracker } from '../watch/incident-policy.js';
import type { DeliveryQueue, PageRequest } from './deliveries.js';
import type { IncidentAcks } from './incident-acks.js';
import type { Fence, LeaseStore } from './lease.js';

/**
 * What the watcher and the commands need from the store; sql/sql-store.ts implements it over SQLite
 * (store.ts) and MySQL/MariaDB (open-store.ts). A `fence` makes a leader's write conditional on its
 * lease, checked in the write's own transaction: FencedOut, and nothing changed, once another
 * replica took over. Without one (the CLI, the terminal, tests) writes are unconditional.
 */
export interface WatchStore {
  loadTrackers(): Promise<Tracker[]>;
  commitCycle(c: CycleCommit, fence?: Fence): Promise<void>;
  openIncident(key: IncidentKey): Promise<IncidentRow | undefined>;
  /** Queues posts for an open incident's thread outside a cycle (an acknowledgement's). */
  enqueue(key: IncidentKey, posts: CycleCommit['posts'], now: number, pages?: readonly PageRequest[]): Promise<void>;
  /** Who acknowledged which open incident. */
  readonly acks: IncidentAcks;
  /** Pages (PagerDuty, webhooks) waiting to be accepted, apart from the Slack outbox. */
  readonly deliveries: DeliveryQueue;
  /** Which replica leads the watcher (lease.ts). */
  readonly lease: LeaseStore;
  history(host: string | undefined, limit: number): Promise<IncidentRow[]>;
  rssHistory(host: string, since: number): Promise<RssSample[]>;
  /** Every series the watcher stored for a host since then, oldest first. */
  samples(host: string, since: number): Promise<HostSample[]>;
  duePosts(now: number, limit: number): Promise<OutboxRow[]>;
  pendingPosts(): Promise<number>;
  nextPostAt(): Promise<number | undefined>;
  posted(row: OutboxRow, result: { channel: string; ts: string } | undefined, fence?: Fence): Promise<void>;
  postFailed(row: OutboxRow, nextAt: number, error: string, fence?: Fence): Promise<void>;
  /** Every post waiting for a later retry becomes due at `now` (Slack is back). */
  retryPostsNow(now: number): Promise<void>;
  setSilence(s: Silence): Promise<void>;
  removeSilence(host: string): Promise<boolean>;
  activeSilences(now: number): Promise<Silence[]>;
  /** The alert thread of an open incident involving the host, if one was posted. */
  openThreadFor(host: string): Promise<{ channel: string; ts: string } | undefined>;
  close(): Promise<void>;
}

export interface CycleCommit {
  readonly now: number;
  readonly trackers: readonly Tracker[];
  readonly opened: readonly { key: IncidentKey; subject: string; cause: CauseId; hosts: readonly string[]; title: string; at: number }[];
  readonly posts: readonly OutboxPost[];
  readonly closed: readonly { key: IncidentKey }[];
  /** Pages for the configured targets (none when paging is off), queued in the same transaction. */
  readonly pages?: readonly PageRequest[];
  readonly samples: readonly HostSample[];
  readonly keepSamplesMs: number;
}

/** What goes in an incident's thread: a message, or a chart drawn from the samples when it is sent. */
export type OutboxPost =
  | { readonly key: IncidentKey; readonly kind: 'post-parent' | 'reply' | 'edit-parent'; readonly message: SlackMessage }
  | { readonly key: IncidentKey; readonly kind: 'chart'; readonly chart: ChartPost };

/**
 * A chart for a thread. Only what to draw is stored (a PNG is tens of KB): it is drawn from the
 * samples when it is sent, over the window ending at `at`, so a post delayed by a Slack outage
 * still shows the moment the incident opened.
 */
export interface ChartPost {
  readonly host: string;
  readonly windowMs: number;
  readonly at: number;
  readonly title: string;
  /** The message beside the image (mrkdwn, already escaped): the numbers in words. */
  readonly comment: string;
  /** Plain text drawn under the chart's title (the projection). */
  readonly headline?: string;
}

export interface IncidentRow {
  readonly id: number;
  readonly key: IncidentKey;
  readonly subject: string;
  readonly cause: CauseId;
  /** JSON array of host names. */
  readonly hosts: string;
  readonly title: string;
  readonly opened_at: number;
  readonly resolved_at: number | null;
  readonly channel: string | null;
  readonly thread_ts: string | null;
  /** When it was first acknowledged (history only). */
  readonly acked_at?: number | null;
}

export interface OutboxRow {
  readonly id: number;
  readonly incident_id: number;
  /** chart: a PNG uploaded into the thread, drawn when it is sent (payload: a ChartPost). */
  readonly kind: 'post-parent' | 'reply' | 'edit-parent' | 'chart';
  /** JSON SlackMessage, kept until Slack takes it. */
  readonly payload: string;
  readonly attempts: number;
  readonly thread_ts: string | null;
  readonly channel: string | null;
}

/** What an [Acknowledge] / [Unacknowledge] click did. */
export type AckOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly why: 'stale' }
  | { readonly ok: false; readonly why: 'already'; readonly by: string | undefined };

export interface Silence {
  readonly host: string;
  readonly until: number;
  readonly reason: string;
  readonly by: string;
  readonly createdAt: number;
}
