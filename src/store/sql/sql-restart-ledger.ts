import type { AuditEntry, BeginResult, RestartLedger, RestartRow } from '../restart-types.js';
import { forUpdate, insertIgnore, type SqlDb } from './sql-db.js';

const HOUR = 3_600_000;

/**
 * Restart requests and the audit trail. Every transition is one conditional UPDATE; `begin` also
 * claims the host's row in restart_slots (running_id NULL → this request), released by `finish`
 * and `abandonRunning`. That row is what makes "one restart per host at a time" hold across
 * replicas: two approvals of two requests for one host both write it, so one waits for the other
 * (one server) or one of them fails certification (Galera, where row locks are per node).
 */
export class SqlRestartLedger implements RestartLedger {
  constructor(private readonly db: SqlDb) {}

  async create(r: { id: string; host: string; command: string; requestedBy: string; now: number; expiresAt: number }): Promise<RestartRow> {
    await this.db.run("INSERT INTO restarts (id, host, command, requested_by, requested_at, expires_at, state) VALUES (?, ?, ?, ?, ?, ?, 'pending')", [
      r.id,
      r.host,
      r.command,
      r.requestedBy,
      r.now,
      r.expiresAt,
    ]);
    return (await this.get(r.id))!;
  }

  async setMessage(id: string, channel: string, messageTs: string, threadTs: string | undefined): Promise<void> {
    await this.db.run('UPDATE restarts SET channel = ?, message_ts = ?, thread_ts = ? WHERE id = ?', [channel, messageTs, threadTs ?? null, id]);
  }

  get(id: string): Promise<RestartRow | undefined> {
    return this.db.get<RestartRow>('SELECT * FROM restarts WHERE id = ?', [id]);
  }

  limitedUntil(host: string, now: number, maxPerHour: number): Promise<number | undefined> {
    return limitedUntil(this.db, host, now, maxPerHour);
  }

  /** pending → running in one transaction: of two clicks (or two replicas) exactly one wins; the other reads why it lost. */
  async begin(id: string, by: string, now: number, maxPerHour: number): Promise<BeginResult> {
    return this.db.transaction(async (tx): Promise<BeginResult> => {
      const row = await tx.get<RestartRow>(`SELECT * FROM restarts WHERE id = ?${forUpdate(tx)}`, [id]);
      if (!row) return { ok: false, why: 'not-found', row };
      if (row.state !== 'pending') return { ok: false, why: 'not-pending', row };
      if (row.expires_at <= now) return { ok: false, why: 'expired', row };
      await tx.run(`${insertIgnore(tx)} INTO restart_slots (host, running_id) VALUES (?, NULL)`, [row.host]);
      const slot = await tx.run('UPDATE restart_slots SET running_id = ? WHERE host = ? AND running_id IS NULL', [id, row.host]);
      if (slot.changes !== 1) return { ok: false, why: 'busy', row };
      const until = await limitedUntil(tx, row.host, now, maxPerHour);
      if (until !== undefined) {
        await tx.run('UPDATE restart_slots SET running_id = NULL WHERE host = ? AND running_id = ?', [row.host, id]);
        return { ok: false, why: 'limit', row, retryAt: until };
      }
      const changed = await tx.run("UPDATE restarts SET state = 'running', decided_by = ?, started_at = ? WHERE id = ? AND state = 'pending'", [by, now, id]);
      if (changed.changes !== 1) {
        await tx.run('UPDATE restart_slots SET running_id = NULL WHERE host = ? AND running_id = ?', [row.host, id]);
        return { ok: false, why: 'not-pending', row: await tx.get<RestartRow>('SELECT * FROM restarts WHERE id = ?', [id]) };
      }
      return { ok: true, row: (await tx.get<RestartRow>('SELECT * FROM restarts WHERE id = ?', [id]))! };
    });
  }

  async cancel(id: string, by: string): Promise<boolean> {
    return (await this.db.run("UPDATE restarts SET state = 'cancelled', decided_by = ? WHERE id = ? AND state = 'pending'", [by, id])).changes === 1;
  }

  async finish(id: string, now: number, exitCode: number | null, outcome: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run("UPDATE restarts SET state = 'done', finished_at = ?, exit_code = ?, outcome = ? WHERE id = ? AND state = 'running'", [
        now,
        exitCode,
        outcome,
        id,
      ]);
      await tx.run('UPDATE restart_slots SET running_id = NULL WHERE running_id = ?', [id]);
    });
  }

  pending(): Promise<RestartRow[]> {
    return this.db.all<RestartRow>("SELECT * FROM restarts WHERE state = 'pending' ORDER BY expires_at");
  }

  /** pending past its expiry → expired; returns the rows this call expired (another replica's are its own). */
  async expireDue(now: number): Promise<RestartRow[]> {
    return this.db.transaction(async (tx) => {
      const due = await tx.all<RestartRow>(`SELECT * FROM restarts WHERE state = 'pending' AND expires_at <= ?${forUpdate(tx)}`, [now]);
      const expired: RestartRow[] = [];
      for (const r of due)
        if ((await tx.run("UPDATE restarts SET state = 'expired' WHERE id = ? AND state = 'pending'", [r.id])).changes === 1) expired.push(r);
      return expired;
    });
  }

  async abandonRunning(now: number, startedBefore: number = now): Promise<RestartRow[]> {
    return this.db.transaction(async (tx) => {
      const running = await tx.all<RestartRow>(`SELECT * FROM restarts WHERE state = 'running' AND started_at <= ?${forUpdate(tx)}`, [startedBefore]);
      for (const r of running) {
        await tx.run("UPDATE restarts SET state = 'abandoned', finished_at = ?, outcome = 'bot restarted during the restart' WHERE id = ?", [now, r.id]);
        await tx.run('UPDATE restart_slots SET running_id = NULL WHERE running_id = ?', [r.id]);
      }
      return running;
    });
  }

  async audit(e: AuditEntry): Promise<void> {
    await this.db.run('INSERT INTO audit (at, request_id, host, actor, `event`, detail) VALUES (?, ?, ?, ?, ?, ?)', [
      e.at,
      e.requestId ?? null,
      e.host,
      e.actor,
      e.event,
      JSON.stringify(e.detail),
    ]);
  }

  async auditFor(host: string, limit: number): Promise<(AuditEntry & { id: number })[]> {
    const rows = await this.db.all<{ id: number; at: number; request_id: string | null; host: string; actor: string; event: string; detail: string }>(
      'SELECT * FROM audit WHERE host = ? ORDER BY id DESC LIMIT ?',
      [host, limit],
    );
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

  recent(host: string | undefined, limit: number): Promise<RestartRow[]> {
    return host
      ? this.db.all<RestartRow>('SELECT * FROM restarts WHERE host = ? ORDER BY requested_at DESC LIMIT ?', [host, limit])
      : this.db.all<RestartRow>('SELECT * FROM restarts ORDER BY requested_at DESC LIMIT ?', [limit]);
  }
}

async function limitedUntil(db: SqlDb, host: string, now: number, maxPerHour: number): Promise<number | undefined> {
  const starts = (
    await db.all<{ started_at: number }>('SELECT started_at FROM restarts WHERE host = ? AND started_at > ? ORDER BY started_at', [host, now - HOUR])
  ).map((r) => r.started_at);
  return starts.length >= maxPerHour ? starts[starts.length - maxPerHour]! + HOUR : undefined;
}
