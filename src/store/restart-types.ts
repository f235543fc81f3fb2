export type RestartState = 'pending' | 'running' | 'done' | 'cancelled' | 'expired' | 'abandoned';

export interface RestartRow {
  /** Opaque and random: the only thing a button carries. */
  readonly id: string;
  readonly host: string;
  readonly command: string;
  readonly requested_by: string;
  readonly requested_at: number;
  readonly expires_at: number;
  readonly state: RestartState;
  readonly decided_by: string | null;
  readonly channel: string | null;
  readonly message_ts: string | null;
  readonly thread_ts: string | null;
  readonly started_at: number | null;
  readonly finished_at: number | null;
  readonly exit_code: number | null;
  readonly outcome: string | null;
}

export interface AuditEntry {
  readonly at: number;
  readonly requestId: string | undefined;
  readonly host: string;
  readonly actor: string;
  /** requested | confirmed | cancelled | refused | expired | executed | verified | abandoned */
  readonly event: string;
  readonly detail: Record<string, unknown>;
}

export type BeginResult =
  | { readonly ok: true; readonly row: RestartRow }
  | {
      readonly ok: false;
      readonly why: 'not-found' | 'expired' | 'busy' | 'limit' | 'not-pending';
      readonly row: RestartRow | undefined;
      readonly retryAt?: number;
    };

/** The restart requests and the audit trail; every transition is one conditional UPDATE. */
export interface RestartLedger {
  create(r: { id: string; host: string; command: string; requestedBy: string; now: number; expiresAt: number }): Promise<RestartRow>;
  setMessage(id: string, channel: string, messageTs: string, threadTs: string | undefined): Promise<void>;
  get(id: string): Promise<RestartRow | undefined>;
  /** When the host may be restarted again under the limit, or undefined if it may now. */
  limitedUntil(host: string, now: number, maxPerHour: number): Promise<number | undefined>;
  /** pending → running, only if not expired, no other restart of the host runs, and under the limit. */
  begin(id: string, by: string, now: number, maxPerHour: number): Promise<BeginResult>;
  /** pending → cancelled; false if it was not pending any more. */
  cancel(id: string, by: string): Promise<boolean>;
  finish(id: string, now: number, exitCode: number | null, outcome: string): Promise<void>;
  /** Every request still pending, oldest expiry first. */
  pending(): Promise<RestartRow[]>;
  /** pending past its expiry → expired; returns those rows. */
  expireDue(now: number): Promise<RestartRow[]>;
  /** running at startup (the bot died mid-restart) → abandoned; never run again. */
  /**
   * running, started at or before `startedBefore` (default: now) → abandoned; never run again.
   * Replicas pass the time a restart of theirs could still be running: another live replica's
   * restart in progress is not the starting one's to abandon.
   */
  abandonRunning(now: number, startedBefore?: number): Promise<RestartRow[]>;
  audit(e: AuditEntry): Promise<void>;
  auditFor(host: string, limit: number): Promise<(AuditEntry & { id: number })[]>;
  recent(host: string | undefined, limit: number): Promise<RestartRow[]>;
}
