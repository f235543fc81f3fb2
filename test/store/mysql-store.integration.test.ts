import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../../src/config/secret.js';
import { OpsError } from '../../src/errors.js';
import { openStore, type StoreSettings } from '../../src/store/open-store.js';
import { type MariadbHandle, startMariadb } from '../support/mariadb.js';
import { storeContract } from './store-contract.js';

/*
 * The store contract on a real MariaDB: a database per case, opened as a user holding only the
 * grants the README lists (CREATE, ALTER, INDEX, SELECT, INSERT, UPDATE, DELETE on its own database).
 */
let db: MariadbHandle;
const PASSWORD = 'store-pass-7f3a91c2';
let n = 0;

before(async () => {
  db = await startMariadb();
  await db.sql(`CREATE USER 'bot'@'127.0.0.1' IDENTIFIED BY '${PASSWORD}'`);
});
after(async () => db?.destroy());

const settings = (database: string, password = PASSWORD): StoreSettings => ({
  store: `mysql://bot@127.0.0.1:${db.port}/${database}`,
  storeMysql: {
    host: '127.0.0.1',
    port: db.port,
    user: 'bot',
    database,
    url: `mysql://bot@127.0.0.1:${db.port}/${database}`,
    password: new Secret(password),
    passwordEnv: 'MONEYMIND_STORE_PASSWORD',
  },
});

async function database(): Promise<string> {
  const name = `store_${++n}`;
  await db.sql(`CREATE DATABASE ${name}; GRANT CREATE, ALTER, INDEX, SELECT, INSERT, UPDATE, DELETE ON ${name}.* TO 'bot'@'127.0.0.1'`);
  return name;
}

storeContract('MariaDB', {
  async fresh() {
    const name = await database();
    return { store: await openStore(settings(name)), another: () => openStore(settings(name)), ref: name };
  },
  async setSchemaVersion(f, v) {
    await db.sql(`INSERT INTO ${f.ref}.schema_migrations (version, state, claimed_by, claimed_at, done_at) VALUES (${v}, 'done', 'newer', 0, 0)`);
  },
  async openTwiceAtOnce() {
    const name = await database();
    return Promise.all([openStore(settings(name)), openStore(settings(name))]);
  },
});

describe('the MySQL store: what opening it says when it cannot', () => {
  it('a wrong password names the URL (not the password), the variable and the grants', async () => {
    const name = await database();
    const err = await openStore(settings(name, 'wrong-password-123')).then(
      () => assert.fail('opened'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof OpsError && err.code === 'DB_AUTH', String(err));
    assert.match(err.message, new RegExp(`cannot open the store mysql://bot@127.0.0.1:${db.port}/${name}: access denied for bot`));
    assert.match(err.fix ?? '', /MONEYMIND_STORE_PASSWORD \(watch.storePasswordEnv\)/);
    assert.doesNotMatch(`${err.message} ${err.fix}`, /wrong-password-123/);
  });

  it('a database it may not use says to create it, apart from the app’s', async () => {
    const err = await openStore(settings('nothere')).then(
      () => assert.fail('opened'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof OpsError, String(err));
    assert.match(err.message, /the database nothere does not exist or bot may not use it/);
    assert.match(err.fix ?? '', /CREATE DATABASE `nothere`.*GRANT CREATE, ALTER, INDEX, SELECT, INSERT, UPDATE, DELETE ON `nothere`/);
  });

  it('nothing listens there: DB_CONNECT with the address to check', async () => {
    const s = settings('x');
    const err = await openStore({ ...s, storeMysql: { ...s.storeMysql!, port: 1 } }).then(
      () => assert.fail('opened'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof OpsError && err.code === 'DB_CONNECT', String(err));
    assert.match(err.fix ?? '', /127\.0\.0\.1:1/);
  });

  it('every table has a primary key (Galera replicates rows by it) and the schema is at the latest version', async () => {
    const name = await database();
    await (await openStore(settings(name))).close();
    const noPk = await db.sql(
      `SELECT t.table_name FROM information_schema.tables t WHERE t.table_schema = '${name}' AND NOT EXISTS ` +
        '(SELECT 1 FROM information_schema.table_constraints c WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name ' +
        "AND c.constraint_type = 'PRIMARY KEY')",
    );
    assert.equal(noPk.trim(), '');
    assert.equal((await db.sql(`SELECT GROUP_CONCAT(version ORDER BY version) FROM ${name}.schema_migrations WHERE state = 'done'`)).trim(), '3,4');
  });
});
