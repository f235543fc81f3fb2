import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Store } from '../../src/store/store.js';
import { rssOnly } from '../support/rss-leak.js';

/* The store's files are the owner's only, whatever the umask; an older world-readable one is tightened. */
const dir = mkdtempSync(join(tmpdir(), 'mm-store-mode-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const mode = (file: string): string => (statSync(file).mode & 0o777).toString(8);
const commit = (s: Store) => s.commitCycle({ now: 1, trackers: [], opened: [], posts: [], closed: [], samples: [rssOnly('h', 1, 1)], keepSamplesMs: 10 });

describe('the store file and its -wal and -shm files are created 0600', () => {
  for (const umask of [0o022, 0o002, 0o000]) {
    it(`with umask ${umask.toString(8).padStart(3, '0')}`, async () => {
      const file = join(dir, `new-${umask}`, 'data', 'moneymind.db');
      const warnings: string[] = [];
      const old = process.umask(umask);
      let store: Store | undefined;
      try {
        store = new Store(file, { warn: (m) => warnings.push(m) });
        await commit(store); // a write: SQLite now has its -wal and -shm files
        for (const f of [file, `${file}-wal`, `${file}-shm`]) {
          assert.ok(existsSync(f), f);
          assert.equal(mode(f), '600', f);
        }
        assert.equal(mode(join(dir, `new-${umask}`, 'data')), '700', 'a directory it creates is private too');
        assert.deepEqual(warnings, [], 'nothing to warn about in a new store');
      } finally {
        await store?.close();
        process.umask(old);
      }
    });
  }
});

describe('an existing store readable by others', () => {
  it('is made 0600, with its -wal and -shm, and each change is reported', async () => {
    const file = join(dir, 'old.db');
    const first = new Store(file);
    await commit(first);
    // What an older bot left: 0644 files, and -wal/-shm of a process that died without closing.
    for (const f of [file, `${file}-wal`, `${file}-shm`]) chmodSync(f, 0o644);
    const warnings: { msg: string; detail: Record<string, unknown> }[] = [];
    const second = new Store(file, { warn: (msg, detail) => warnings.push({ msg, detail }) });
    try {
      await first.close();
      for (const f of [file, `${file}-wal`, `${file}-shm`]) assert.equal(mode(f), '600', f);
      assert.deepEqual(
        warnings.map((w) => w.msg),
        [file, `${file}-wal`, `${file}-shm`].map((f) => `the store file ${f} was readable by other users (mode 644); made it 0600`),
      );
      assert.deepEqual(warnings[0]!.detail, { file, mode: '644' });
      assert.equal((await second.history(undefined, 10)).length, 0, 'and it opens as before');
    } finally {
      await second.close();
    }
  });

  it('an empty file someone created (0666) is used, tightened', async () => {
    const file = join(dir, 'touched.db');
    writeFileSync(file, '');
    chmodSync(file, 0o666);
    const warnings: string[] = [];
    const s = new Store(file, { warn: (m) => warnings.push(m) });
    await s.close();
    assert.equal(mode(file), '600');
    assert.match(warnings[0] ?? '', /mode 666\); made it 0600/);
  });
});
