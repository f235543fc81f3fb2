import type Database from 'better-sqlite3';
import type { AuditEntry, BeginResult, RestartLedger, RestartRow } from './restart-types.js';

const HOUR = 3_600_000;

export class SqliteRestartLedger implements RestartLedger {
  constructor(private readonly db: Database.Database) {}

  async create(r: { id: string; host: string; command: string; requestedBy: string; now: number; expiresAt: number }): Promise<RestartRow> {
    this.db
      .prepare("INSERT INTO restarts (id, host, command, requested_by, requested_at, expires_at, state) VALUES (?, ?, ?, ?, ?, ?, 'pending')")
      .run(r.id, r.host, r.command, r.requestedBy, r.now, r.expiresAt);
    return this.getSync(r.id)!;
  }

  async setMessage(id: string, channel: string, messageTs: string, threadTs: string | undefined): Promise<void> {
    this.db.prepare('UPDATE restarts SET channel = ?, message_ts = ?, thread_ts = ? WHERE id = ?').run(channel, messageTs, threadTs ?? null, id);
  }

  async get(id: string): Promise<RestartRow | undefined> {
    return this.getSync(id);
  }

  private getSync(id: string): RestartRow | undefined {
    return this.db.prepare('SELECT * FROM restarts WHERE id = ?').get(id) as RestartRow | undefined;
  }

  async limitedUntil(host: string, now: number, maxPerHour: number): Promise<number | undefined> {
    return this.limitedUntilSync(host, now, maxPerHour);
  }

  private limitedUntilSync(host: string, now: number, maxPerHour: number): number | undefined {
    const starts = (
      this.db.prepare('SELECT started_at FROM restarts WHERE host = ? AND started_at > ? ORDER BY started_at').all(host, now - HOUR) as { started_at: number }[]
    ).map((r) => r.started_at);
    return starts.length >= maxPerHour ? starts[starts.length - maxPerHour]! + HOUR : undefined;
  }

  async begin(id: string, by: string, now: number, maxPerHour: number): Promise<BeginResult> {
    // One transaction, one conditional UPDATE: of two clicks (or two bots on one store) exactly
    // one sees changes === 1; the other reads why it lost.
    return this.db
      .transaction((): BeginResult => {
        const row = this.getSync(id);
        if (!row) return { ok: false, why: 'not-found', row };
        if (row.state !== 'pending') return { ok: false, why: 'not-pending', row };
        if (row.expires_at <= now) return { ok: false, why: 'expired', row };
        const running = this.db.prepare("SELECT 1 FROM restarts WHERE host = ? AND state = 'running'").get(row.host);
        if (running) return { ok: false, why: 'busy', row };
        const until = this.limitedUntilSync(row.host, now, maxPerHour);
        if (until !== undefined) return { ok: false, why: 'limit', row, retryAt: until };
        const changed = this.db
          .prepare("UPDATE restarts SET state = 'running', decided_by = ?, started_at = ? WHERE id = ? AND state = 'pending'")
          .run(by, now, id).changes;
        return changed === 1 ? { ok: true, row: this.getSync(id)! } : { ok: false, why: 'not-pending', row: this.getSync(id) };
      })
      .immediate();
  }

  async cancel(id: string, by: string): Promise<boolean> {
    return this.db.prepare("UPDATE restarts SET state = 'cancelled', decided_by = ? WHERE id = ? AND state = 'pending'").run(by, id).changes === 1;
  }

  async finish(id: string, now: number, exitCode: number | null, outcome: string): Promise<void> {
    this.db
      .prepare("UPDATE restarts SET state = 'done', finished_at = ?, exit_code = ?, outcome = ? WHERE id = ? AND state = 'running'")
      .run(now, exitCode, outcome, id);
  }

  async pending(): Promise<RestartRow[]> {
    return this.db.prepare("SELECT * FROM restarts WHERE state = 'pending' ORDER BY expires_at").all() as RestartRow[];
  }

  async expireDue(now: number): Promise<RestartRow[]> {
    return this.db.transaction(() => {
      const due = this.db.prepare("SELECT * FROM restarts WHERE state = 'pending' AND expires_at <= ?").all(now) as RestartRow[];
      for (const r of due) this.db.prepare("UPDATE restarts SET state = 'expired' WHERE id = ? AND state = 'pending'").run(r.id);
      return due;
    })();
  }

  async abandonRunning(now: number): Promise<RestartRow[]> {
    return this.db.transaction(() => {
      const running = this.db.prepare("SELECT * FROM restarts WHERE state = 'running'").all() as RestartRow[];
      for (const r of running)
        this.db.prepare("UPDATE restarts SET state = 'abandoned', finished_at = ?, outcome = 'bot restarted during the restart' WHERE id = ?").run(now, r.id);
      return running;
    })();
  }

  async audit(e: AuditEntry): Promise<void> {
    this.db
      .prepare('INSERT INTO audit (at, request_id, host, actor, event, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(e.at, e.requestId ?? null, e.host, e.actor, e.event, JSON.stringify(e.detail));
  }

  async auditFor(host: string, limit: number): Promise<(AuditEntry & { id: number })[]> {
    const rows = this.db.prepare('SELECT * FROM audit WHERE host = ? ORDER BY id DESC LIMIT ?').all(host, limit) as {
      id: number;
      at: number;
      request_id: string | null;
      host: string;
      actor: string;
      event: string;
      detail: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      requestId: r.request_id ?? undefined,
      host: r.host,
      actor: r.actor,
      event: r.event,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }

  async recent(host: string | undefined, limit: number): Promise<RestartRow[]> {
    return (
      host
        ? this.db.prepare('SELECT * FROM restarts WHERE host = ? ORDER BY requested_at DESC LIMIT ?').all(host, limit)
        : this.db.prepare('SELECT * FROM restarts ORDER BY requested_at DESC LIMIT ?').all(limit)
    ) as RestartRow[];
  }
}
