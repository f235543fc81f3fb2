import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Secret } from '../../src/config/secret.js';
import type { IncidentKey } from '../../src/domain/incident-key.js';
import type { BotStore } from '../../src/store/bot-store.js';
import { FencedOut, type Lease, type LeaseStore } from '../../src/store/lease.js';
import { openStore, type StoreSettings } from '../../src/store/open-store.js';
import { MysqlDb, type MysqlStoreTarget } from '../../src/store/sql/mysql-db.js';
import { fenceIn, SqlLease } from '../../src/store/sql/sql-lease.js';
import { type GaleraCluster, type GaleraNode, startGalera } from '../support/galera.js';
import { waitUntil } from '../support/proc.js';
import { cycle, KEY, MIN, opener, opening, parent, reply, storeContract, type StoreRig } from './store-contract.js';

/*
 * The store on a real two-node MariaDB Galera cluster, each replica through its own node: what
 * the code claims holds on Galera (no GET_LOCK; a transaction that loses certification is run
 * again; the fence writes the lease row, so a takeover through another node conflicts with it).
 * The bot's user holds only the README's grants (CREATE, ALTER, INDEX, SELECT, INSERT, UPDATE,
 * DELETE on its own database). Galera applies another node's writes asynchronously; where a test
 * reads through one node what it wrote through the other, it first waits for the nodes to catch up
 * (`caughtUp`, wsrep_sync_wait, in root's session, never in the store's), and never inside a race.
 */
let cluster: GaleraCluster;
const PASSWORD = 'galera-store-pass-5d1e';
let n = 0;
const node = (i: 0 | 1): GaleraNode => cluster.nodes[i];

before(async () => {
  cluster = await startGalera();
  process.stderr.write(`[galera] two nodes Synced in ${cluster.startMs} ms\n`);
  await node(0).sql(`CREATE USER 'bot'@'127.0.0.1' IDENTIFIED BY '${PASSWORD}'`);
});
after(async () => cluster?.destroy());

const target = (via: GaleraNode, database: string): MysqlStoreTarget => ({
  host: '127.0.0.1',
  port: via.port,
  user: 'bot',
  database,
  url: `mysql://bot@127.0.0.1:${via.port}/${database}`,
  password: new Secret(PASSWORD),
  passwordEnv: 'MONEYMIND_STORE_PASSWORD',
});
const settings = (via: GaleraNode, database: string): StoreSettings => ({ store: target(via, database).url, storeMysql: target(via, database) });

/** A new database and the bot's grants on it, created through node 1 and visible through node 2. */
async function database(): Promise<string> {
  const name = `store_${++n}`;
  await node(0).sql(`CREATE DATABASE ${name}; GRANT CREATE, ALTER, INDEX, SELECT, INSERT, UPDATE, DELETE ON ${name}.* TO 'bot'@'127.0.0.1'`);
  await node(1).caughtUp();
  return name;
}

/** Both nodes have applied every write committed so far: a read through either sees it. */
async function bothCaughtUp(): Promise<void> {
  await Promise.all([node(0).caughtUp(), node(1).caughtUp()]);
}

const rig: StoreRig = {
  settle: bothCaughtUp,
  async fresh() {
    const name = await database();
    return { store: await openStore(settings(node(0), name)), another: () => openStore(settings(node(1), name)), ref: name };
  },
  async setSchemaVersion(f, v) {
    await node(0).sql(`INSERT INTO ${f.ref}.schema_migrations (version, state, claimed_by, claimed_at, done_at) VALUES (${v}, 'done', 'newer', 0, 0)`);
    await node(1).caughtUp();
  },
  async openTwiceAtOnce() {
    const name = await database();
    return Promise.all([openStore(settings(node(0), name)), openStore(settings(node(1), name))]);
  },
};

// The whole contract, the lease, fencing and restart ledger included, with `another()` through node 2; it settles
// (both nodes caught up) only where one replica reads what the other just wrote, never inside its races.
storeContract('MariaDB Galera, the other replica through the other node', rig);

describe('the store on Galera: replicas through different nodes', () => {
  const stores = opener(rig);
  const TTL = 1500;
  const rejectsFenced = (p: Promise<unknown>) => assert.rejects(p, (err: unknown) => err instanceof FencedOut);
  /** Two stores on one new database: A through node 1, B through node 2. */
  const pair = async (): Promise<[BotStore, BotStore, string]> => {
    const name = await database();
    return [stores.track(await openStore(settings(node(0), name))), stores.track(await openStore(settings(node(1), name))), name];
  };
  /** B takes the lease through its node once A's has expired (bounded polling, as a standby replica does). */
  const takeOver = (lease: LeaseStore, ttlMs: number): Promise<Lease> =>
    waitUntil('B to take the lease over', () => lease.acquire('b', ttlMs), { timeoutMs: 60_000, intervalMs: 20 });

  it('two stores starting at once, one through each node: each migration step is applied once, by one of them; both work', async (t) => {
    const name = await database();
    const logs = cluster.nodes.map((nd) => join(nd.dir, `general-${name}.log`));
    await Promise.all(cluster.nodes.map((nd, i) => nd.sql(`SET GLOBAL general_log_file = '${logs[i]}'; SET GLOBAL general_log = 1`)));
    let a: BotStore;
    let b: BotStore;
    try {
      [a, b] = await Promise.all([openStore(settings(node(0), name)), openStore(settings(node(1), name))]);
    } finally {
      await Promise.all(cluster.nodes.map((nd) => nd.sql('SET GLOBAL general_log = 0')));
    }
    stores.track(a);
    stores.track(b);
    // The general log holds what clients sent to that node, not what its applier ran for the other node.
    const sent = logs.map((f) => readFileSync(f, 'utf8'));
    const count = (re: RegExp) => sent.map((s) => s.match(re)?.length ?? 0);
    assert.deepEqual(count(/CREATE TABLE IF NOT EXISTS schema_migrations /g), [1, 1], 'each store migrated through its own node');
    // Whether the second also tried to claim a step depends on timing (the first may be done by then): reported, not asserted.
    t.diagnostic(`claims sent through node 1, node 2: ${count(/INSERT IGNORE INTO schema_migrations/g).join(', ')}`);
    for (const table of ['trackers', 'lease'])
      assert.equal(
        count(new RegExp(`CREATE TABLE IF NOT EXISTS ${table} `, 'g')).reduce((x, y) => x + y),
        1,
        `${table}'s step applied once in the cluster: ${sent.join('\n')}`,
      );
    await bothCaughtUp();
    assert.equal((await node(1).sql(`SELECT GROUP_CONCAT(version, state ORDER BY version) FROM ${name}.schema_migrations`)).trim(), '3done,4done');
    await a.setSilence({ host: 'prod-1', until: 10, reason: 'through node 1', by: 'U0A', createdAt: 1 });
    await b.setSilence({ host: 'prod-2', until: 10, reason: 'through node 2', by: 'U0B', createdAt: 1 });
    await bothCaughtUp();
    for (const s of [a, b]) assert.deepEqual((await s.activeSilences(0)).map((x) => x.host).sort(), ['prod-1', 'prod-2']);
  });

  it("A leads through node 1, its lease expires, B takes over through node 2: A's writes through node 1 are FencedOut and land nowhere", async () => {
    const [a, b] = await pair();
    const old = (await a.lease.acquire('a', TTL))!;
    await a.commitCycle(cycle(MIN, { opened: [opening(KEY, MIN)], posts: [parent(KEY, 'p')] }), old);
    await node(1).caughtUp();
    const now = await takeOver(b.lease, 60_000);
    assert.deepEqual([now.holder, now.token], ['b', old.token + 1]);
    await rejectsFenced(a.commitCycle(cycle(2 * MIN, { closed: [{ key: KEY }], posts: [reply(KEY, 'resolved')] }), old));
    await rejectsFenced(a.lease.check(old));
    const [row] = await a.duePosts(2 * MIN, 1);
    await rejectsFenced(a.posted(row!, { channel: 'C1', ts: '1.1' }, old));
    await bothCaughtUp();
    for (const s of [a, b])
      assert.deepEqual(
        [await s.pendingPosts(), (await s.openIncident(KEY))?.thread_ts, await s.lease.current()],
        [1, null, now],
        'nothing of A landed, seen through either node',
      );
    await b.commitCycle(cycle(3 * MIN, { closed: [{ key: KEY }] }), now);
  });

  /**
   * A takes the lease through node 1 and starts a write fenced by it, held open once its fence passed (a leader's write
   * as the store makes it: the fence first, in the write's transaction). Once the lease expired, `meanwhile` runs, B takes
   * over through node 2 (on one server B would wait for A's row lock; node 2 knows nothing of it), `then` runs, and A's
   * write goes on. However Galera stops it, it must end FencedOut with nothing written. Returns A's attempts.
   */
  async function staleWrite(meanwhile: (db: string) => Promise<void>, then: (db: string) => Promise<void>): Promise<number> {
    const name = (await pair())[2];
    const [dbA, dbB] = await Promise.all([MysqlDb.open(target(node(0), name)), MysqlDb.open(target(node(1), name))]);
    try {
      const a = (await new SqlLease(dbA).acquire('a', TTL))!;
      let attempts = 0;
      let go: () => void = () => undefined;
      const gate = new Promise<void>((r) => (go = r));
      const write = dbA.transaction(async (tx) => {
        attempts++;
        await fenceIn(tx, a);
        if (attempts === 1) await gate;
        await tx.run("INSERT INTO silences (host, `until`, reason, `by`, created_at) VALUES ('prod-1', 1, 'stale leader', 'a', 1)");
      });
      await sleep(Math.max(0, a.expiresAt + 50 - Date.now()));
      await meanwhile(name);
      const b = await takeOver(new SqlLease(dbB), 60_000);
      assert.deepEqual([b.holder, b.token], ['b', a.token + 1]);
      await then(name);
      go();
      await rejectsFenced(write);
      await bothCaughtUp();
      for (const db of [dbA, dbB]) {
        assert.deepEqual(await db.all('SELECT host FROM silences'), [], 'the stale write landed nowhere');
        assert.deepEqual(await new SqlLease(db).current(), b);
      }
      return attempts;
    } finally {
      await Promise.all([dbA.close(), dbB.close()]);
    }
  }
  const holderOnNode1 = async (db: string) => (await node(0).sql(`SELECT holder FROM ${db}.lease`)).trim();

  it("B's takeover through node 2 reaches node 1 while A's fenced transaction is open there: A is aborted (1213), run again, FencedOut", async () => {
    let seen = '';
    const attempts = await staleWrite(
      async () => undefined,
      async (db) => {
        // Node 1 applies the takeover now: its applier needs the lease row A's fence locked, so it aborts A's transaction.
        await node(0).caughtUp();
        seen = await holderOnNode1(db);
      },
    );
    assert.equal(seen, 'b');
    assert.equal(attempts, 2, "the first attempt was aborted by B's replicated takeover and run again, which found the new token");
  });

  it("node 1 lags behind when B takes over through node 2: A's fenced commit through node 1 fails certification, is run again, FencedOut", async () => {
    let seen = '';
    const attempts = await staleWrite(
      async (db) => {
        // 100k rows committed through node 2 keep node 1's applier busy for ~0.5 s (idle machine): B's takeover, ordered
        // after them, is certified but not yet applied on node 1 when A commits there. A's fence cannot see it; only
        // certification (both wrote the lease row) stops A's write. A read-only fence (SELECT … FOR UPDATE) lets it land.
        await node(1).sql(`CREATE DATABASE ${db}_lag; CREATE TABLE ${db}_lag.filler (id INT NOT NULL PRIMARY KEY, pad CHAR(40) NOT NULL)`);
        await node(1).sql(`INSERT INTO ${db}_lag.filler SELECT seq, 'x' FROM ${db}_lag.seq_1_to_100000`);
      },
      async (db) => {
        seen = await holderOnNode1(db);
      },
    );
    assert.equal(seen, 'a', 'node 1 had not applied the takeover when A committed (the case under test)');
    assert.equal(attempts, 2, 'the first attempt failed certification (1213) and was run again');
  });

  it("A's fenced cycle through node 1 and B's takeover through node 2 at the lease's expiry, 20 times: A's write lands only before B's token", async (t) => {
    const [a, , name] = await pair();
    const dbB = await MysqlDb.open(target(node(1), name));
    const outcomes = { landedFirst: 0, fencedOut: 0 };
    try {
      let held: Lease | undefined;
      for (let round = 1; round <= 20; round++) {
        if (held) await new SqlLease(dbB).release(held);
        await node(0).caughtUp();
        const lease = await a.lease.acquire('a', 500);
        assert.ok(lease?.holder === 'a', `round ${round}: A takes the released lease: ${JSON.stringify(lease)}`);
        const key = `host:race-${round}|service-down` as IncidentKey;
        // B polls from 40 ms before the expiry; A fires its cycle between 30 ms before it and 10 ms after: its fence passes
        // or not, and its transaction (a few round trips) may still be open when B takes over.
        await sleep(Math.max(0, lease.expiresAt - 40 - Date.now()));
        const seen = `SELECT COUNT(*) AS n FROM incidents WHERE \`key\` = '${key}'`;
        // B's takeover exactly as SqlLease runs it, plus a read of A's incident in the same transaction.
        const takeover = waitUntil(
          `round ${round}: B to take over`,
          () =>
            dbB.transaction(async (tx) => {
              const got = await new SqlLease(tx).acquire('b', 60_000);
              return got && { got, sawA: Number((await tx.get<{ n: number }>(seen))?.n) };
            }),
          { timeoutMs: 60_000, intervalMs: 5 },
        );
        await sleep(10 + Math.random() * 40);
        const wrote = await a.commitCycle(cycle(round * MIN, { opened: [opening(key, round * MIN, `race-${round}`)] }), lease).then(
          () => 'landed',
          (err: unknown) => (err instanceof FencedOut ? 'fenced' : Promise.reject(err)),
        );
        const b = await takeover;
        held = b.got;
        assert.equal(b.got.token, lease.token + 1, `round ${round}: B takes the next token`);
        await bothCaughtUp();
        const landed = await Promise.all(
          cluster.nodes.map(async (nd) => Number(await nd.sql(`SELECT COUNT(*) FROM ${name}.incidents WHERE \`key\` = '${key}'`))),
        );
        if (wrote === 'landed') {
          outcomes.landedFirst++;
          // Certification ordered A's write before B's takeover, so B's takeover transaction already saw it.
          assert.deepEqual([b.sawA, ...landed], [1, 1, 1], `round ${round}: A's write landed, so before B's token`);
        } else {
          outcomes.fencedOut++;
          assert.deepEqual([b.sawA, ...landed], [0, 0, 0], `round ${round}: A was fenced out and nothing of it landed`);
        }
      }
    } finally {
      await dbB.close();
    }
    t.diagnostic(`A's write landed before B's takeover in ${outcomes.landedFirst} rounds, was FencedOut in ${outcomes.fencedOut}`);
  });

  it('restart approvals sent through both nodes at once, 10 times each: one claim wins a request, one restart runs per host', async () => {
    const [a, b, name] = await pair();
    const ask = (id: string, host: string) =>
      a.restarts.create({ id, host, command: 'systemctl restart moneymind', requestedBy: 'U0BOB0001', now: 0, expiresAt: 600 * MIN });
    for (let round = 1; round <= 10; round++) {
      await ask(`same-${round}`, `prod-${round}`);
      await ask(`one-${round}`, `host-${round}`);
      await ask(`two-${round}`, `host-${round}`);
      await node(1).caughtUp();
      const same = await Promise.all([a.restarts.begin(`same-${round}`, 'U0A', MIN, 100), b.restarts.begin(`same-${round}`, 'U0B', MIN, 100)]);
      assert.deepEqual(same.map((r) => (r.ok ? 'ok' : r.why)).sort(), ['not-pending', 'ok'], `round ${round}: two clicks, one request`);
      const host = await Promise.all([a.restarts.begin(`one-${round}`, 'U0A', MIN, 100), b.restarts.begin(`two-${round}`, 'U0B', MIN, 100)]);
      assert.deepEqual(host.map((r) => (r.ok ? 'ok' : r.why)).sort(), ['busy', 'ok'], `round ${round}: two requests, one host`);
      await bothCaughtUp();
      const [wonSame, wonHost] = [same.find((r) => r.ok)!.row!, host.find((r) => r.ok)!.row!];
      for (const s of [a, b])
        for (const w of [wonSame, wonHost])
          assert.deepEqual((await s.restarts.get(w.id))?.decided_by, w.decided_by, `round ${round}: ${w.id} decided once, seen through both nodes`);
      for (const nd of cluster.nodes) {
        const slots = await nd.sql(`SELECT host, running_id FROM ${name}.restart_slots WHERE host IN ('prod-${round}', 'host-${round}') ORDER BY host`);
        assert.equal(slots, `host-${round}\t${wonHost.id}\nprod-${round}\t${wonSame.id}\n`, `round ${round}: each host's slot held by its winner`);
      }
    }
  });
});
