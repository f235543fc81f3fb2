import Database from 'better-sqlite3';
import type { RssSample } from '../diagnosis/cause.js';
import type { HostSample } from '../domain/host-sample.js';
import type { IncidentKey } from '../domain/incident-key.js';
import { OpsError } from '../errors.js';
import type { Tracker } from '../watch/incident-policy.js';
import type { BotStore } from './bot-store.js';
import { DELIVERIES_DDL, type PageRequest, SqliteDeliveries } from './deliveries.js';
import { ACK_DDL, SqliteIncidentAcks } from './incident-acks.js';
import { privateStoreFiles } from './private-file.js';
import { migrate } from './migrate.js';
import { DDL, SCHEMA_VERSION } from './schema.js';
import { SqliteRestartLedger } from './restart-ledger.js';
import type { RestartLedger } from './restart-types.js';
import type { CycleCommit, IncidentRow, OutboxPost, OutboxRow, Silence } from './watch-store.js';

export interface StoreOptions {
  /** Told when the store's files were readable by other users (and were made 0600, or could not be). */
  readonly warn?: (msg: string, detail: Record<string, unknown>) => void;
}

/**
 * The embedded store (better-sqlite3: synchronous, so each cycle's commit is one transaction).
 * Its files are the owner's only (0600): see private-file.ts.
 */
export class Store implements BotStore {
  private readonly db: Database.Database;
  readonly restarts: RestartLedger;
  readonly acks: SqliteIncidentAcks;
  readonly deliveries: SqliteDeliveries;

  constructor(path: string, opts: StoreOptions = {}) {
    try {
      for (const t of privateStoreFiles(path)) {
        if (t.error)
          opts.warn?.(
            `the store file ${t.file} is readable by other users (mode ${t.was}) ` +
              `and could not be made 0600 (${t.error}) — run chmod 600 ${t.file} as its owner`,
            { file: t.file, mode: t.was },
          );
        else opts.warn?.(`the store file ${t.file} was readable by other users (mode ${t.was}); made it 0600`, { file: t.file, mode: t.was });
      }
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(DDL);
      this.db.exec(ACK_DDL);
      this.db.exec(DELIVERIES_DDL);
      const v = this.db.prepare('SELECT v FROM meta WHERE k = ?').get('schema') as { v: string } | undefined;
      // New tables come from CREATE IF NOT EXISTS above, changed ones from migrate(); a newer file
      // is refused, not guessed at.
      if (v && Number(v.v) > SCHEMA_VERSION) throw new Error(`schema version ${v.v} is newer than this bot's ${SCHEMA_VERSION}`);
      migrate(this.db);
      this.db.prepare('INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v').run('schema', String(SCHEMA_VERSION));
      this.restarts = new SqliteRestartLedger(this.db);
      this.acks = new SqliteIncidentAcks(this.db);
      this.deliveries = new SqliteDeliveries(this.db);
    } catch (err) {
      throw new OpsError('CONFIG', `cannot open the store ${path}: ${(err as Error).message}`, {
        fix: 'set watch.store to a writable file path (default ./data/moneymind.db)',
        cause: err,
      });
    }
  }

  async loadTrackers(): Promise<Tracker[]> {
    return (this.db.prepare('SELECT json FROM trackers').all() as { json: string }[]).map((r) => JSON.parse(r.json) as Tracker);
  }

  /** Trackers, new incidents, their posts and closings: all or nothing. */
  async commitCycle(c: CycleCommit): Promise<void> {
    const tx = this.db.transaction(() => {
      this.db.prepare('DELETE FROM trackers').run();
      const put = this.db.prepare('INSERT INTO trackers (key, json) VALUES (?, ?)');
      for (const t of c.trackers) put.run(t.key, JSON.stringify(t));
      for (const o of c.opened) {
        if (!this.openIncidentSync(o.key))
          this.db
            .prepare('INSERT INTO incidents (key, subject, cause, hosts, title, opened_at) VALUES (?, ?, ?, ?, ?, ?)')
            .run(o.key, o.subject, o.cause, JSON.stringify(o.hosts), o.title, o.at);
      }
      const enqueue = this.db.prepare('INSERT INTO outbox (incident_id, kind, payload, created_at, next_at) VALUES (?, ?, ?, ?, ?)');
      for (const p of c.posts) {
        const inc = this.openIncidentSync(p.key);
        if (inc) enqueue.run(inc.id, p.kind, payloadOf(p), c.now, c.now);
      }
      // Before the closings below: a resolve's page still finds its incident open.
      this.deliveries.addSync(c.pages ?? [], c.now);
      for (const x of c.closed) this.db.prepare('UPDATE incidents SET resolved_at = ? WHERE key = ? AND resolved_at IS NULL').run(c.now, x.key);
      const sample = this.db.prepare(
        'INSERT INTO samples (host, at, rss_kb, mem_available_kb, mem_total_kb, health_ms, health_ok, db_connections, db_max_connections, load_per_core) ' +
          'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const s of c.samples)
        sample.run(s.host, s.at, s.rssKb, s.memAvailableKb, s.memTotalKb, s.healthMs, s.healthOk ? 1 : 0, s.dbConnections, s.dbMaxConnections, s.loadPerCore);
      this.db.prepare('DELETE FROM samples WHERE at < ?').run(c.now - c.keepSamplesMs);
    });
    tx();
  }

  /** Posts made outside a cycle (an acknowledgement's edit and reply), queued behind the incident's others. */
  async enqueue(key: IncidentKey, posts: CycleCommit['posts'], now: number, pages: readonly PageRequest[] = []): Promise<void> {
    const inc = this.openIncidentSync(key);
    if (!inc) return;
    const put = this.db.prepare('INSERT INTO outbox (incident_id, kind, payload, created_at, next_at) VALUES (?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const p of posts) put.run(inc.id, p.kind, payloadOf(p), now, now);
      this.deliveries.addSync(pages, now);
    })();
  }

  async openIncident(key: IncidentKey): Promise<IncidentRow | undefined> {
    return this.openIncidentSync(key);
  }

  private openIncidentSync(key: IncidentKey): IncidentRow | undefined {
    return this.db.prepare('SELECT * FROM incidents WHERE key = ? AND resolved_at IS NULL ORDER BY id DESC LIMIT 1').get(key) as IncidentRow | undefined;
  }

  async history(host: string | undefined, limit: number): Promise<IncidentRow[]> {
    const rows = this.db
      .prepare('SELECT i.*, a.first_at AS acked_at FROM incidents i LEFT JOIN incident_acks a ON a.incident_id = i.id ORDER BY opened_at DESC, id DESC LIMIT ?')
      .all(host ? 1000 : limit) as IncidentRow[];
    return (host ? rows.filter((r) => (JSON.parse(r.hosts) as string[]).includes(host)) : rows).slice(0, limit);
  }

  async rssHistory(host: string, since: number): Promise<RssSample[]> {
    const rows = this.db.prepare('SELECT at, rss_kb FROM samples WHERE host = ? AND at >= ? AND rss_kb IS NOT NULL ORDER BY at').all(host, since);
    return (rows as { at: number; rss_kb: number }[]).map((r) => ({ at: r.at, rssKb: r.rss_kb }));
  }

  async samples(host: string, since: number): Promise<HostSample[]> {
    return (this.db.prepare('SELECT * FROM samples WHERE host = ? AND at >= ? ORDER BY at').all(host, since) as SampleRow[]).map((r) => ({
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
  async duePosts(now: number, limit: number): Promise<OutboxRow[]> {
    return this.db
      .prepare(
        `SELECT o.*, i.thread_ts, i.channel FROM outbox o JOIN incidents i ON i.id = o.incident_id
         WHERE o.next_at <= ? AND (o.kind = 'post-parent' OR i.thread_ts IS NOT NULL)
         AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.incident_id = o.incident_id AND e.id < o.id)
         ORDER BY o.id LIMIT ?`,
      )
      .all(now, limit) as OutboxRow[];
  }

  async pendingPosts(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
  }

  /**
   * When the next post can go: only rows duePosts could return count. A reply waiting behind its
   * parent (in backoff, or not yet posted) is not due at its own next_at: counting it had the
   * poster wake at once, find nothing, and wake again, in a loop, for as long as the parent waited.
   */
  async nextPostAt(): Promise<number | undefined> {
    const row = this.db
      .prepare(
        `SELECT MIN(o.next_at) AS t FROM outbox o JOIN incidents i ON i.id = o.incident_id
         WHERE (o.kind = 'post-parent' OR i.thread_ts IS NOT NULL)
         AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.incident_id = o.incident_id AND e.id < o.id)`,
      )
      .get() as { t: number | null };
    return row.t ?? undefined;
  }

  async posted(row: OutboxRow, result: { channel: string; ts: string } | undefined): Promise<void> {
    this.db.transaction(() => {
      if (row.kind === 'post-parent' && result)
        this.db.prepare('UPDATE incidents SET channel = ?, thread_ts = ? WHERE id = ?').run(result.channel, result.ts, row.incident_id);
      this.db.prepare('DELETE FROM outbox WHERE id = ?').run(row.id);
    })();
  }

  async postFailed(row: OutboxRow, nextAt: number, error: string): Promise<void> {
    this.db.prepare('UPDATE outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?').run(nextAt, error.slice(0, 500), row.id);
  }

  async retryPostsNow(now: number): Promise<void> {
    this.db.prepare('UPDATE outbox SET next_at = ? WHERE next_at > ?').run(now, now);
  }

  async setSilence(s: Silence): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO silences (host, until, reason, by, created_at) VALUES (?, ?, ?, ?, ?) ' +
          'ON CONFLICT (host) DO UPDATE SET until = excluded.until, reason = excluded.reason, by = excluded.by, created_at = excluded.created_at',
      )
      .run(s.host, s.until, s.reason, s.by, s.createdAt);
  }

  async removeSilence(host: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM silences WHERE host = ?').run(host).changes > 0;
  }

  async activeSilences(now: number): Promise<Silence[]> {
    return (
      this.db.prepare('SELECT host, until, reason, by, created_at FROM silences WHERE until > ?').all(now) as {
        host: string;
        until: number;
        reason: string;
        by: string;
        created_at: number;
      }[]
    ).map((r) => ({ host: r.host, until: r.until, reason: r.reason, by: r.by, createdAt: r.created_at }));
  }

  async openThreadFor(host: string): Promise<{ channel: string; ts: string } | undefined> {
    const rows = this.db
      .prepare('SELECT hosts, channel, thread_ts FROM incidents WHERE resolved_at IS NULL AND thread_ts IS NOT NULL ORDER BY id DESC')
      .all() as { hosts: string; channel: string; thread_ts: string }[];
    const hit = rows.find((r) => (JSON.parse(r.hosts) as string[]).includes(host));
    return hit ? { channel: hit.channel, ts: hit.thread_ts } : undefined;
  }

  async close(): Promise<void> {
    this.db.close();
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
