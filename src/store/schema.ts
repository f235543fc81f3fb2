/**
 * The store's tables. One SQLite file (WAL, synchronous=FULL): a crash or a kill -9 loses at most
 * the cycle in progress, never a committed incident, thread ts or pending post.
 */
export const SCHEMA_VERSION = 4;

/** Messages not yet accepted by Slack; its own constant because migrate.ts rebuilds it from this. */
export const OUTBOX_DDL = `
-- Messages not yet accepted by Slack, in order. Deleted once posted; never dropped otherwise.
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  kind TEXT NOT NULL CHECK (kind IN ('post-parent', 'reply', 'edit-parent', 'chart')),
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  next_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
`;

export const DDL = `
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
-- The incident policy's memory, one JSON document per key (host+cause or database).
CREATE TABLE IF NOT EXISTS trackers (key TEXT PRIMARY KEY, json TEXT NOT NULL);
-- One row per incident (one thread); resolved_at is NULL while it is open.
CREATE TABLE IF NOT EXISTS incidents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL,
  subject TEXT NOT NULL,
  cause TEXT NOT NULL,
  hosts TEXT NOT NULL,
  title TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  resolved_at INTEGER,
  channel TEXT,
  thread_ts TEXT
);
CREATE INDEX IF NOT EXISTS incidents_open ON incidents (key, resolved_at);
CREATE TABLE IF NOT EXISTS silences (host TEXT PRIMARY KEY, until INTEGER NOT NULL, reason TEXT NOT NULL, by TEXT NOT NULL, created_at INTEGER NOT NULL);
-- One row per host and cycle: what trend and the memory-growth chart draw (NULL = not measured).
CREATE TABLE IF NOT EXISTS samples (
  host TEXT NOT NULL,
  at INTEGER NOT NULL,
  rss_kb INTEGER,
  mem_available_kb INTEGER,
  mem_total_kb INTEGER,
  health_ms INTEGER,
  health_ok INTEGER NOT NULL DEFAULT 1,
  db_connections INTEGER,
  db_max_connections INTEGER,
  load_per_core REAL
);
CREATE INDEX IF NOT EXISTS samples_by_host ON samples (host, at);
${OUTBOX_DDL}
-- Restart requests: the state column decides (pending → running → done), never memory.
CREATE TABLE IF NOT EXISTS restarts (
  id TEXT PRIMARY KEY,
  host TEXT NOT NULL,
  command TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'cancelled', 'expired', 'abandoned')),
  decided_by TEXT,
  channel TEXT,
  message_ts TEXT,
  thread_ts TEXT,
  started_at INTEGER,
  finished_at INTEGER,
  exit_code INTEGER,
  outcome TEXT
);
CREATE INDEX IF NOT EXISTS restarts_by_host ON restarts (host, state, started_at);
-- Append-only: who did what to which request, when.
CREATE TABLE IF NOT EXISTS audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  request_id TEXT,
  host TEXT NOT NULL,
  actor TEXT NOT NULL,
  event TEXT NOT NULL,
  detail TEXT NOT NULL
);
`;
