import type { RssSample } from '../../diagnosis/cause.js';
import type { HostSample } from '../../domain/host-sample.js';
import type { IncidentKey } from '../../domain/incident-key.js';
import type { Tracker } from '../../watch/incident-policy.js';
import type { BotStore } from '../bot-store.js';
import type { PageRequest } from '../deliveries.js';
import type { Fence, LeaseStore } from '../lease.js';
import type { CycleCommit, IncidentRow, OutboxPost, OutboxRow, Silence } from '../watch-store.js';
import { SqlIncidentAcks } from './sql-acks.js';
import { type SqlDb, upsert } from './sql-db.js';
import { addIn, SqlDeliveries } from './sql-deliveries.js';
import { fenceIn, SqlLease } from './sql-lease.js';
import { SqlRestartLedger } from './sql-restart-ledger.js';

const OPEN_INCIDENT = 'SELECT * FROM incidents WHERE `key` = ? AND resolved_at IS NULL ORDER BY id DESC LIMIT 1';
const ENQUEUE = 'INSERT INTO outbox (incident_id, kind, payload, created_at, next_at) VALUES (?, ?, ?, ?, ?)';
const SAMPLE_COLS = 'host, at, rss_kb, mem_available_kb, mem_total_kb, health_ms, health_ok, db_connections, db_max_connections, load_per_core';
// A thread's replies wait until its parent is out, and every post behind the incident's earlier ones.
const SENDABLE =
  "(o.kind = 'post-parent' OR i.thread_ts IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.incident_id = o.incident_id AND e.id < o.id)";

/**
 * The store's logic, once, over either backend (sql-db.ts): SQLite (`store.ts`) or MySQL/MariaDB
 * (`open-store.ts`). Each cycle's commit is one transaction, so a crash loses at most the cycle in
 * progress. The leader's writes (a commit, a post marked sent) may carry its fence: checked in
 * the same transaction (sql-lease.ts), refused with FencedOut when another replica took over.
 */
export class SqlStore implements BotStore {
  readonly restarts: SqlRestartLedger;
  readonly acks: SqlIncidentAcks;
  readonly deliveries: SqlDeliveries;
  readonly lease: LeaseStore;

  constructor(protected readonly db: SqlDb) {
    this.restarts = new SqlRestartLedger(db);
    this.acks = new SqlIncidentAcks(db);
    this.deliveries = new SqlDeliveries(db);
    this.lease = new SqlLease(db);
  }

  async loadTrackers(): Promise<Tracker[]> {
    return (await this.db.all<{ json: string }>('SELECT `json` FROM trackers')).map((r) => JSON.parse(r.json) as Tracker);
  }

  /** Trackers, new incidents, their posts, pages and closings, samples: all or nothing. */
  commitCycle(c: CycleCommit, fence?: Fence): Promise<void> {
    return this.db.transaction(async (tx) => {
      if (fence) await fenceIn(tx, fence);
      await tx.run('DELETE FROM trackers');
      for (const t of c.trackers) await tx.run('INSERT INTO trackers (`key`, `json`) VALUES (?, ?)', [t.key, JSON.stringify(t)]);
      for (const o of c.opened) {
        if (!(await tx.get(OPEN_INCIDENT, [o.key])))
          await tx.run('INSERT INTO incidents (`key`, subject, cause, `hosts`, title, opened_at) VALUES (?, ?, ?, ?, ?, ?)', [
            o.key,
            o.subject,
            o.cause,
            JSON.stringify(o.hosts),
            o.title,
            o.at,
          ]);
      }
      for (const p of c.posts) {
        const inc = await tx.get<IncidentRow>(OPEN_INCIDENT, [p.key]);
        if (inc) await tx.run(ENQUEUE, [inc.id, p.kind, payloadOf(p), c.now, c.now]);
      }
      // Before the closings below: a resolve's page still finds its incident open.
      await addIn(tx, c.pages ?? [], c.now);
      for (const x of c.closed) await tx.run('UPDATE incidents SET resolved_at = ? WHERE `key` = ? AND resolved_at IS NULL', [c.now, x.key]);
      for (const s of c.samples)
        await tx.run(`INSERT INTO samples (${SAMPLE_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
          s.host,
          s.at,
          s.rssKb,
          s.memAvailableKb,
          s.memTotalKb,
          s.healthMs,
          s.healthOk ? 1 : 0,
          s.dbConnections,
          s.dbMaxConnections,
          s.loadPerCore,
        ]);
      await tx.run('DELETE FROM samples WHERE at < ?', [c.now - c.keepSamplesMs]);
    });
  }

  /** Posts made outside a cycle (an acknowledgement's edit and reply), queued behind the incident's others. */
  enqueue(key: IncidentKey, posts: CycleCommit['posts'], now: number, pages: readonly PageRequest[] = []): Promise<void> {
    return this.db.transaction(async (tx) => {
      const inc = await tx.get<IncidentRow>(OPEN_INCIDENT, [key]);
      if (!inc) return;
      for (const p of posts) await tx.run(ENQUEUE, [inc.id, p.kind, payloadOf(p), now, now]);
      await addIn(tx, pages, now);
    });
  }

  openIncident(key: IncidentKey): Promise<IncidentRow | undefined> {
    return this.db.get<IncidentRow>(OPEN_INCIDENT, [key]);
  }

  async history(host: string | undefined, limit: number): Promise<IncidentRow[]> {
    const rows = await this.db.all<IncidentRow>(
      'SELECT i.*, a.first_at AS acked_at FROM incidents i LEFT JOIN incident_acks a ON a.incident_id = i.id ORDER BY opened_at DESC, id DESC LIMIT ?',
      [host ? 1000 : limit],
    );
    return (host ? rows.filter((r) => (JSON.parse(r.hosts) as string[]).includes(host)) : rows).slice(0, limit);
  }

  async rssHistory(host: string, since: number): Promise<RssSample[]> {
    const rows = await this.db.all<{ at: number; rss_kb: number }>(
      'SELECT at, rss_kb FROM samples WHERE host = ? AND at >= ? AND rss_kb IS NOT NULL ORDER BY at',
      [host, since],
    );
    return rows.map((r) => ({ at: r.at, rssKb: r.rss_kb }));
  }

  async samples(host: string, since: number): Promise<HostSample[]> {
    const rows = await this.db.all<SampleRow>(`SELECT ${SAMPLE_COLS} FROM samples WHERE host = ? AND at >= ? ORDER BY at`, [host, since]);
    return rows.map((r) => ({
      host: r.host,
      at: r.at,
      rssKb: r.rss_kb,
      memAvailableKb: r.mem_available_kb,
      memTotalKb: r.mem_total_kb,
      healthMs: r.health_ms,
      healthOk: r.health_ok === 1,
      dbConnections: r.db_connections,
      dbMaxConnections: r.db_max_connections,
      loadPerCore: r.load_per_core,
    }));
  }

  /** Due posts in order; a thread's replies wait until its parent is out. */
  duePosts(now: number, limit: number): Promise<OutboxRow[]> {
    return this.db.all<OutboxRow>(
      `SELECT o.*, i.thread_ts, i.channel FROM outbox o JOIN incidents i ON i.id = o.incident_id
       WHERE o.next_at <= ? AND ${SENDABLE} ORDER BY o.id LIMIT ?`,
      [now, limit],
    );
  }

  async pendingPosts(): Promise<number> {
    return Number((await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM outbox'))?.n ?? 0);
  }

  /**
   * When the next post can go: only rows duePosts could return count. A reply waiting behind its
   * parent (in backoff, or not yet posted) is not due at its own next_at: counting it had the
   * poster wake at once, find nothing, and wake again, in a loop, for as long as the parent waited.
   */
  async nextPostAt(): Promise<number | undefined> {
    const row = await this.db.get<{ t: number | null }>(`SELECT MIN(o.next_at) AS t FROM outbox o JOIN incidents i ON i.id = o.incident_id WHERE ${SENDABLE}`);
    return row?.t ?? undefined;
  }

  /** Slack took it: the thread's ts kept (a parent), the row gone, in one transaction with the fence if given. */
  posted(row: OutboxRow, result: { channel: string; ts: string } | undefined, fence?: Fence): Promise<void> {
    return this.db.transaction(async (tx) => {
      if (fence) await fenceIn(tx, fence);
      if (row.kind === 'post-parent' && result)
        await tx.run('UPDATE incidents SET channel = ?, thread_ts = ? WHERE id = ?', [result.channel, result.ts, row.incident_id]);
      await tx.run('DELETE FROM outbox WHERE id = ?', [row.id]);
    });
  }

  postFailed(row: OutboxRow, nextAt: number, error: string, fence?: Fence): Promise<void> {
    return this.db.transaction(async (tx) => {
      if (fence) await fenceIn(tx, fence);
      await tx.run('UPDATE outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?', [nextAt, error.slice(0, 500), row.id]);
    });
  }

  async retryPostsNow(now: number): Promise<void> {
    await this.db.run('UPDATE outbox SET next_at = ? WHERE next_at > ?', [now, now]);
  }

  async setSilence(s: Silence): Promise<void> {
    const sql = upsert(this.db, 'silences', ['host', 'until', 'reason', 'by', 'created_at'], 'host', ['until', 'reason', 'by', 'created_at']);
    await this.db.run(sql, [s.host, s.until, s.reason, s.by, s.createdAt]);
  }

  async removeSilence(host: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM silences WHERE host = ?', [host])).changes > 0;
  }

  async activeSilences(now: number): Promise<Silence[]> {
    const rows = await this.db.all<{ host: string; until: number; reason: string; by: string; created_at: number }>(
      'SELECT host, `until`, reason, `by`, created_at FROM silences WHERE `until` > ?',
      [now],
    );
    return rows.map((r) => ({ host: r.host, until: r.until, reason: r.reason, by: r.by, createdAt: r.created_at }));
  }

  async openThreadFor(host: string): Promise<{ channel: string; ts: string } | undefined> {
    const rows = await this.db.all<{ hosts: string; channel: string; thread_ts: string }>(
      'SELECT `hosts`, channel, thread_ts FROM incidents WHERE resolved_at IS NULL AND thread_ts IS NOT NULL ORDER BY id DESC',
    );
    const hit = rows.find((r) => (JSON.parse(r.hosts) as string[]).includes(host));
    return hit ? { channel: hit.channel, ts: hit.thread_ts } : undefined;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

interface SampleRow {
  host: string;
  at: number;
  rss_kb: number | null;
  mem_available_kb: number | null;
  mem_total_kb: number | null;
  health_ms: number | null;
  health_ok: number;
  db_connections: number | null;
  db_max_connections: number | null;
  load_per_core: number | null;
}

const payloadOf = (p: OutboxPost): string => JSON.stringify(p.kind === 'chart' ? p.chart : p.message);
