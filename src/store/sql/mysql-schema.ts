/**
 * The MySQL/MariaDB tables, the same as SQLite's (schema.ts and the DDL beside acks and
 * deliveries) with the types MySQL needs: VARCHAR keys (an index cannot take a TEXT column
 * whole), BIGINT epoch ms, MEDIUMTEXT for JSON that may pass 64 KB, utf8mb4 with a binary
 * collation (restart ids are case-sensitive, like every SQLite comparison), InnoDB, and a primary
 * key on every table (Galera replicates rows by it; samples get an id for that). No foreign keys:
 * the store's code keeps the references, and on Galera a cascade is one more cross-node conflict.
 * Each statement is idempotent (MySQL DDL commits on its own, so a step cut short is run again).
 */
const T = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';

const V3 = [
  'CREATE TABLE IF NOT EXISTS trackers (`key` VARCHAR(255) NOT NULL PRIMARY KEY, `json` MEDIUMTEXT NOT NULL)',
  `CREATE TABLE IF NOT EXISTS incidents (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, \`key\` VARCHAR(255) NOT NULL, subject VARCHAR(255) NOT NULL, cause VARCHAR(64) NOT NULL,
    \`hosts\` TEXT NOT NULL, title TEXT NOT NULL, opened_at BIGINT NOT NULL, resolved_at BIGINT NULL, channel VARCHAR(64) NULL, thread_ts VARCHAR(64) NULL,
    INDEX incidents_open (\`key\`, resolved_at))`,
  'CREATE TABLE IF NOT EXISTS silences (host VARCHAR(64) NOT NULL PRIMARY KEY, `until` BIGINT NOT NULL, reason TEXT NOT NULL, ' +
    '`by` VARCHAR(255) NOT NULL, created_at BIGINT NOT NULL)',
  `CREATE TABLE IF NOT EXISTS samples (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, host VARCHAR(64) NOT NULL, at BIGINT NOT NULL, rss_kb BIGINT NULL, mem_available_kb BIGINT NULL,
    mem_total_kb BIGINT NULL, health_ms BIGINT NULL, health_ok TINYINT NOT NULL DEFAULT 1, db_connections INT NULL, db_max_connections INT NULL,
    load_per_core DOUBLE NULL, INDEX samples_by_host (host, at), INDEX samples_by_time (at))`,
  `CREATE TABLE IF NOT EXISTS outbox (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, incident_id BIGINT NOT NULL,
    kind VARCHAR(16) NOT NULL CHECK (kind IN ('post-parent', 'reply', 'edit-parent', 'chart')),
    payload MEDIUMTEXT NOT NULL, created_at BIGINT NOT NULL, next_at BIGINT NOT NULL, attempts INT NOT NULL DEFAULT 0, last_error TEXT NULL,
    INDEX outbox_by_incident (incident_id, id))`,
  `CREATE TABLE IF NOT EXISTS restarts (
    id VARCHAR(64) NOT NULL PRIMARY KEY, host VARCHAR(64) NOT NULL, command TEXT NOT NULL, requested_by VARCHAR(255) NOT NULL,
    requested_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
    state VARCHAR(16) NOT NULL CHECK (state IN ('pending', 'running', 'done', 'cancelled', 'expired', 'abandoned')),
    decided_by VARCHAR(255) NULL, channel VARCHAR(64) NULL, message_ts VARCHAR(64) NULL, thread_ts VARCHAR(64) NULL, started_at BIGINT NULL,
    finished_at BIGINT NULL, exit_code INT NULL, outcome TEXT NULL, INDEX restarts_by_host (host, state, started_at))`,
  `CREATE TABLE IF NOT EXISTS audit (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, at BIGINT NOT NULL, request_id VARCHAR(64) NULL, host VARCHAR(64) NOT NULL,
    actor VARCHAR(255) NOT NULL, \`event\` VARCHAR(32) NOT NULL, detail MEDIUMTEXT NOT NULL, INDEX audit_by_host (host, id))`,
  'CREATE TABLE IF NOT EXISTS incident_acks (incident_id BIGINT NOT NULL PRIMARY KEY, acked_by VARCHAR(255) NULL, acked_at BIGINT NULL, ' +
    'first_at BIGINT NOT NULL)',
  `CREATE TABLE IF NOT EXISTS deliveries (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, incident_id BIGINT NOT NULL, target VARCHAR(128) NOT NULL,
    \`event\` VARCHAR(16) NOT NULL CHECK (\`event\` IN ('trigger', 'acknowledge', 'unacknowledge', 'escalate', 'resolve')),
    notice MEDIUMTEXT NOT NULL, created_at BIGINT NOT NULL, next_at BIGINT NOT NULL, attempts INT NOT NULL DEFAULT 0, last_error TEXT NULL,
    failed_at BIGINT NULL, INDEX deliveries_due (target, failed_at, next_at), INDEX deliveries_by_incident (incident_id, target))`,
];

const V4 = [
  'CREATE TABLE IF NOT EXISTS lease (name VARCHAR(40) NOT NULL PRIMARY KEY, holder VARCHAR(255) NOT NULL, token BIGINT NOT NULL, ' +
    'expires_at BIGINT NOT NULL, fenced_at BIGINT NULL)',
  'CREATE TABLE IF NOT EXISTS restart_slots (host VARCHAR(64) NOT NULL PRIMARY KEY, running_id VARCHAR(64) NULL)',
  "INSERT IGNORE INTO restart_slots (host, running_id) SELECT host, MAX(id) FROM restarts WHERE state = 'running' GROUP BY host",
];

/** Versions as in SQLite's meta.schema (a MySQL store starts at 3: it never had 1 and 2's shapes). */
export const MYSQL_STEPS: readonly { readonly version: number; readonly statements: readonly string[] }[] = [
  { version: 3, statements: V3.map((s) => `${s} ${T}`) },
  { version: 4, statements: V4.map((s) => (s.startsWith('CREATE') ? `${s} ${T}` : s)) },
];
