import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/open-store.js';
import { Store } from '../../src/store/store.js';
import { storeContract } from './store-contract.js';

// The store contract on the embedded backend: a temp file per case, `another()` a second connection to it.
const dir = mkdtempSync(join(tmpdir(), 'mm-sqlite-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

storeContract('SQLite', {
  async fresh() {
    const path = join(dir, `s${++n}.db`);
    return { store: await openStore({ store: path }), another: async () => new Store(path), ref: path };
  },
  async setSchemaVersion(f, v) {
    const db = new Database(f.ref);
    db.prepare("UPDATE meta SET v = ? WHERE k = 'schema'").run(String(v));
    db.close();
  },
  async openTwiceAtOnce() {
    const path = join(dir, `twice${++n}.db`);
    return Promise.all([openStore({ store: path }), openStore({ store: path })]);
  },
});
