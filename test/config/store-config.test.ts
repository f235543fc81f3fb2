import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secretValues } from '../../src/boundary/secret-values.js';
import { configProblems, testConfig } from '../support/config.js';

// watch.store: a SQLite file by default, or mysql://USER@HOST:PORT/DB with its password from watch.storePasswordEnv.
const local = { hosts: [{ name: 'a', transport: 'local' }] };
const withWatch = (watch: object) => ({ ...local, watch });
const env = { MONEYMIND_STORE_PASSWORD: 's3cret-store-pass' };

describe('watch.store and watch.leaseTtl', () => {
  it('default: the SQLite file, a 15 s lease', () => {
    const c = testConfig(local);
    assert.equal(c.watch.store, './data/moneymind.db');
    assert.equal(c.watch.storeMysql, undefined);
    assert.equal(c.watch.leaseTtl, 15_000);
  });

  it('mysql://: parsed, the password read from the environment and masked like any secret', () => {
    const c = testConfig(
      withWatch({ store: 'mysql://moneymind_bot@db.internal/moneymind_bot', storePasswordEnv: 'MONEYMIND_STORE_PASSWORD', leaseTtl: '6s' }),
      env,
    );
    const m = c.watch.storeMysql!;
    assert.deepEqual(
      [m.host, m.port, m.user, m.database, m.url],
      ['db.internal', 3306, 'moneymind_bot', 'moneymind_bot', 'mysql://moneymind_bot@db.internal/moneymind_bot'],
    );
    assert.equal(m.password.reveal(), 's3cret-store-pass');
    assert.ok(secretValues(c).includes('s3cret-store-pass'), 'the redactor gets it');
    assert.doesNotMatch(JSON.stringify(c), /s3cret-store-pass/);
    assert.equal(c.watch.leaseTtl, 6000);
  });

  const table: [string, object, Record<string, string>, string[]][] = [
    [
      'a password in the URL is refused, without repeating it',
      { store: 'mysql://bot:hunter2@db:3306/bot', storePasswordEnv: 'MONEYMIND_STORE_PASSWORD' },
      env,
      ['watch.store: has a password in it — remove ":…@" from the URL and export the password in the variable watch.storePasswordEnv names'],
    ],
    [
      'no storePasswordEnv',
      { store: 'mysql://bot@db:3306/bot' },
      {},
      [
        'watch.storePasswordEnv: required when watch.store is a mysql:// URL — ' +
          "name the environment variable holding bot's password, e.g. storePasswordEnv: MONEYMIND_STORE_PASSWORD",
      ],
    ],
    [
      'its variable unset',
      { store: 'mysql://bot@db:3306/bot', storePasswordEnv: 'MONEYMIND_STORE_PASSWORD' },
      {},
      ['watch.storePasswordEnv: environment variable MONEYMIND_STORE_PASSWORD is not set — export it before starting the bot'],
    ],
    [
      'no database',
      { store: 'mysql://bot@db:3306', storePasswordEnv: 'X' },
      {},
      ['watch.store: needs a user, a host and a database — write mysql://USER@HOST:PORT/DB, e.g. mysql://moneymind_bot@db.internal:3306/moneymind_bot'],
    ],
    [
      'another scheme',
      { store: 'postgres://bot@db/bot' },
      {},
      ['watch.store: a file path for SQLite, or mysql://USER@HOST:PORT/DB — postgres:// is not a store the bot has'],
    ],
    ['a lease shorter than 3 s', { leaseTtl: '2s' }, {}, ['watch.leaseTtl: at least 3s (it is renewed every third of it) — write e.g. 15s']],
  ];
  for (const [name, watch, e, expected] of table)
    it(name, () =>
      assert.deepEqual(
        configProblems(() => testConfig(withWatch(watch), e)),
        expected,
      ),
    );
});
