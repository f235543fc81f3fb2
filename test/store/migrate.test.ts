import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { Store } from '../../src/store/store.js';

/*
 * A store written by the previous version (schema 2: RSS in rss_samples, an outbox without
 * 'chart' rows), made with that version's own DDL, opened by this one: its samples, incidents and
 * waiting posts are all still there, in order, and the new shapes work.
 */
const dir = mkdtempSync(join(tmpdir(), 'mm-migrate-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const V2_DDL = readFileSync(new URL('../fixtures/store/schema-v2.sql', import.meta.url), 'utf8');

function v2File(path: string): void {
  const db = new Database(path);
  db.exec(V2_DDL);
  db.prepare("INSERT INTO meta (k, v) VALUES ('schema', '2')").run();
  db.prepare(
    'INSERT INTO incidents (key, subject, cause, hosts, title, opened_at) ' +
      "VALUES ('host:prod-1|memory-growth', 'prod-1', 'memory-growth', '[\"prod-1\"]', 'grows', 1)",
  ).run();
  const post = db.prepare('INSERT INTO outbox (incident_id, kind, payload, created_at, next_at) VALUES (1, ?, ?, 1, 1)');
  post.run('post-parent', '{"text":"parent"}');
  post.run('reply', '{"text":"reply"}');
  for (let i = 0; i < 5; i++) db.prepare('INSERT INTO rss_samples (host, at, rss_kb) VALUES (?, ?, ?)').run('prod-1', 1000 + i, 200_000 + i);
  db.close();
}

describe('opening a schema-2 store', () => {
  it('moves the RSS samples into samples, keeps the outbox rows and their order, and takes chart rows', async () => {
    const path = join(dir, 'v2.db');
    v2File(path);
    const store = new Store(path);
    assert.deepEqual(
      (await store.rssHistory('prod-1', 0)).map((s) => s.rssKb),
      [200_000, 200_001, 200_002, 200_003, 200_004],
    );
    const [first] = await store.samples('prod-1', 0);
    assert.equal(first?.rssKb, 200_000);
    assert.equal(first?.healthMs, null, 'series the old file never had are gaps, not zeros');
    const due = await store.duePosts(10, 10);
    assert.deepEqual(
      due.map((r) => [r.id, r.kind, r.payload]),
      [[1, 'post-parent', '{"text":"parent"}']],
      'the parent first; its reply waits for it as before',
    );
    await store.posted(due[0]!, { channel: 'C1', ts: '1.1' });
    assert.deepEqual(
      (await store.duePosts(10, 10)).map((r) => r.id),
      [2],
    );
    await store.enqueue(
      'host:prod-1|memory-growth',
      [{ key: 'host:prod-1|memory-growth', kind: 'chart', chart: { host: 'prod-1', windowMs: 60_000, at: 5, comment: 'c', title: 't' } }],
      10,
    );
    await store.close();

    const db = new Database(path, { readonly: true });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    assert.ok(!tables.includes('rss_samples') && !tables.some((t) => t.startsWith('outbox_before')), tables.join(','));
    assert.deepEqual(db.prepare("SELECT v FROM meta WHERE k = 'schema'").get(), { v: String(SCHEMA_VERSION) });
    assert.ok(tables.includes('lease') && tables.includes('restart_slots'), 'and on to the latest schema (v4: the watch lease)');
    assert.deepEqual(
      (db.prepare('SELECT id, kind FROM outbox ORDER BY id').all() as { id: number; kind: string }[]).map((r) => `${r.id} ${r.kind}`),
      ['2 reply', '3 chart'],
      'ids go on from where the old table left them',
    );
    db.close();
  });

  it('a second open changes nothing', async () => {
    const path = join(dir, 'twice.db');
    v2File(path);
    await new Store(path).close();
    const again = new Store(path);
    assert.equal((await again.rssHistory('prod-1', 0)).length, 5);
    assert.equal(await again.pendingPosts(), 2);
    await again.close();
  });
});
