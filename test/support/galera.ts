/**
 * A real, throw-away two-node MariaDB Galera cluster on 127.0.0.1 for integration tests.
 *
 * Each node has its own dir in one temp dir (my.cnf, datadir, socket, tmpdir, error log) and its
 * own free ports: SQL, gcomm (group communication), IST and SST. Node 1 bootstraps the cluster
 * (`gcomm://`, nobody to join); node 2 joins it and receives node 1's datadir by rsync SST, so
 * only node 1's datadir is initialised. root is reachable through each node's socket only.
 *
 * The nodes run as the `mysql` user, not as root like mariadb.ts's server: the SST script starts
 * an rsync daemon as whoever runs mariadbd, and an rsync daemon started by root switches to
 * `nobody`, which cannot write the joiner's datadir ("rsync: open "ibdata1" failed: Permission
 * denied (13)", then node 2 aborts).
 */
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerEmergencyCleanup } from './emergency.js';
import { freePort } from './free-port.js';
import { isAlive, killTreeSync, run, runOk, spawnDaemon, tail, terminateTree, waitUntil, type Daemon } from './proc.js';
import { makeTempDir, removeDir } from './tmp.js';

export interface GaleraNode {
  readonly name: string;
  /** The node's own dir, writable by the server (for a general log, say). */
  readonly dir: string;
  readonly port: number;
  readonly socket: string;
  readonly errorLog: string;
  /** Run SQL as root through this node's socket (`mariadb -B -N`); returns stdout. */
  sql(query: string): Promise<string>;
  /**
   * Returns once this node has applied every write the cluster committed before the call
   * (wsrep_sync_wait): a read through it then sees them. Galera applies another node's writes
   * asynchronously, so without this a read right after a write elsewhere may not see it yet.
   */
  caughtUp(): Promise<void>;
}

export interface GaleraCluster {
  readonly host: '127.0.0.1';
  readonly nodes: readonly [GaleraNode, GaleraNode];
  /** Wall time from initialising node 1's datadir to both nodes Synced. */
  readonly startMs: number;
  /** Stops both nodes (bounded, SIGKILL fallback) and removes the temp dir. */
  destroy(): Promise<void>;
}

// Generous for a busy 2-core machine: node 1 is up in ~0.5 s, node 2's rsync SST takes ~4-6 s idle.
const READY_TIMEOUT_MS = 60_000;
const JOIN_TIMEOUT_MS = 180_000;
const SHUTDOWN_GRACE_MS = 30_000;
const PORT_ATTEMPTS = 3;
/** The `mysql` user's uid and gid, owner of the nodes' dirs (the Debian package creates the user). */
const mysqlOwner = async (): Promise<[number, number]> => {
  const [uid, gid] = await Promise.all([runOk('id', ['-u', 'mysql']), runOk('id', ['-g', 'mysql'])]);
  return [Number(uid.stdout.trim()), Number(gid.stdout.trim())];
};

interface Ports {
  sql: number;
  gcomm: number;
  ist: number;
  sst: number;
}

interface NodeRun {
  readonly node: GaleraNode;
  readonly dir: string;
  ports: Ports;
  daemon: Daemon | undefined;
}

export async function startGalera(): Promise<GaleraCluster> {
  const dir = makeTempDir('galera');
  const runs: NodeRun[] = [];
  const unregister = registerEmergencyCleanup(`galera cluster in ${dir}`, () => {
    for (const r of [...runs].reverse()) if (r.daemon && !r.daemon.exited) killTreeSync(r.daemon.pid);
    removeDir(dir);
  });
  const stopAll = async (): Promise<void> => {
    // Node 2 first: if setup failed mid-SST, its donor must not go away under it (it would wait out its timeouts).
    for (const r of [...runs].reverse()) {
      const d = r.daemon;
      if (d && !d.exited && isAlive(d.pid)) await terminateTree(d.pid, { label: `mariadbd ${r.node.name}`, graceMs: SHUTDOWN_GRACE_MS });
      r.daemon = undefined;
    }
  };
  const started = Date.now();
  try {
    const owner = await mysqlOwner();
    const first = await launchNode(dir, 1, owner, undefined, runs);
    await launchNode(dir, 2, owner, first.ports.gcomm, runs);
    const startMs = Date.now() - started;
    const [n1, n2] = runs.map((r) => r.node) as [GaleraNode, GaleraNode];
    const size = (await n1.sql("SHOW STATUS LIKE 'wsrep_cluster_size'")).trim();
    if (size !== 'wsrep_cluster_size\t2') throw new Error(`the cluster did not form: ${size}\n${diagnostics(runs)}`);
    return {
      host: '127.0.0.1',
      nodes: [n1, n2],
      startMs,
      destroy: async () => {
        await stopAll();
        removeDir(dir);
        unregister();
      },
    };
  } catch (err) {
    for (const r of runs) if (r.daemon && !r.daemon.exited) killTreeSync(r.daemon.pid);
    removeDir(dir);
    unregister();
    throw err;
  }
}

/** Initialises (node 1 only), configures and starts node `i`; retries with new ports if one was taken meanwhile. */
async function launchNode(root: string, i: number, owner: [number, number], joinGcomm: number | undefined, runs: NodeRun[]): Promise<NodeRun> {
  const name = `node${i}`;
  const dir = join(root, name);
  const datadir = join(dir, 'data');
  const tmp = join(dir, 'tmp');
  const socket = join(dir, 'mariadb.sock');
  const errorLog = join(dir, 'error.log');
  for (const d of [dir, datadir, tmp]) {
    mkdirSync(d);
    chownSync(d, owner[0], owner[1]);
  }
  if (joinGcomm === undefined)
    await runOk(
      'mariadb-install-db',
      [
        '--no-defaults',
        `--datadir=${datadir}`,
        '--user=mysql',
        '--auth-root-authentication-method=socket',
        '--skip-test-db',
        '--skip-name-resolve',
        `--tmpdir=${tmp}`,
        '--innodb-log-file-size=16M',
      ],
      { timeoutMs: 120_000 },
    );
  const sql = async (query: string): Promise<string> =>
    (await runOk('mariadb', ['--no-defaults', `--socket=${socket}`, '--user=root', '-B', '-N', '-e', query], { timeoutMs: 60_000 })).stdout;
  const node: GaleraNode = {
    name,
    dir,
    socket,
    errorLog,
    get port() {
      return r.ports.sql;
    },
    sql,
    caughtUp: async () => {
      await sql('SET SESSION wsrep_sync_wait = 1; SELECT 1');
    },
  };
  const r: NodeRun = { node, dir, ports: { sql: 0, gcomm: 0, ist: 0, sst: 0 }, daemon: undefined };
  runs.push(r);
  for (let attempt = 1; ; attempt++) {
    r.ports = { sql: await freePort(), gcomm: await freePort(), ist: await freePort(), sst: await freePort() };
    writeFileSync(join(dir, 'my.cnf'), config(name, dir, r.ports, joinGcomm));
    try {
      await startNode(r, joinGcomm === undefined ? READY_TIMEOUT_MS : JOIN_TIMEOUT_MS);
      return r;
    } catch (err) {
      if (r.daemon && !r.daemon.exited) await terminateTree(r.daemon.pid, { label: `mariadbd ${name}`, graceMs: SHUTDOWN_GRACE_MS });
      r.daemon = undefined;
      // Another process took one of the ports between freePort() and bind().
      if (!/Address already in use|bind\(\) failed/.test(tail(errorLog, 20_000)) || attempt >= PORT_ATTEMPTS) throw err;
    }
  }
}

/**
 * Small on purpose (two nodes on a 2-core test machine): a 32 MB buffer pool, a 16 MB gcache.
 * Ports and addresses are all loopback; a --defaults-file because the SST script reads it too.
 */
function config(name: string, dir: string, p: Ports, joinGcomm: number | undefined): string {
  return `[mysqld]
datadir=${join(dir, 'data')}
socket=${join(dir, 'mariadb.sock')}
port=${p.sql}
bind-address=127.0.0.1
user=mysql
pid-file=${join(dir, 'mariadbd.pid')}
log-error=${join(dir, 'error.log')}
# Private: at start mariadbd deletes stray #sql* files in its tmpdir (see mariadb.ts).
tmpdir=${join(dir, 'tmp')}
skip-name-resolve
innodb-buffer-pool-size=32M
innodb-log-file-size=16M
innodb-buffer-pool-dump-at-shutdown=0
innodb-buffer-pool-load-at-startup=0
# What Galera requires: row-based replication, interleaved auto-increment locks.
binlog-format=ROW
innodb-autoinc-lock-mode=2
wsrep-on=ON
wsrep-provider=/usr/lib/galera/libgalera_smm.so
# The nodes of one cluster must share its name; two test clusters never meet (their ports differ).
wsrep-cluster-name=moneymind-test
# Node 1 bootstraps a new cluster (empty gcomm://); node 2 joins it.
wsrep-cluster-address=gcomm://${joinGcomm === undefined ? '' : `127.0.0.1:${joinGcomm}`}
wsrep-node-name=${name}
wsrep-node-address=127.0.0.1
wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:${p.gcomm};ist.recv_addr=127.0.0.1:${p.ist};gcache.size=16M"
wsrep-sst-method=rsync
wsrep-sst-receive-address=127.0.0.1:${p.sst}
`;
}

async function startNode(r: NodeRun, timeoutMs: number): Promise<void> {
  const { node, dir } = r;
  const d = await spawnDaemon('/usr/sbin/mariadbd', [`--defaults-file=${join(dir, 'my.cnf')}`], join(dir, 'mariadbd.out'));
  r.daemon = d;
  const describe = () => `--- ${node.errorLog}:\n${tail(node.errorLog)}`;
  await waitUntil(
    `${node.name} to be Synced`,
    async () => {
      if (d.exited) throw new Error(`mariadbd ${node.name} exited (${d.exited.code ?? d.exited.signal})\n${describe()}`);
      const res = await run(
        'mariadb',
        ['--no-defaults', `--socket=${node.socket}`, '--user=root', '-B', '-N', '-e', "SHOW STATUS LIKE 'wsrep_local_state_comment'"],
        { timeoutMs: 10_000 },
      );
      // Not up yet (no socket), or up and still joining (Joiner, Joined): keep polling.
      return res.code === 0 && /\tSynced$/m.test(res.stdout) ? true : undefined;
    },
    { timeoutMs, intervalMs: 200, describeFailure: describe },
  );
}

function diagnostics(runs: readonly NodeRun[]): string {
  return runs.map((r) => `--- ${r.node.errorLog}:\n${tail(r.node.errorLog)}`).join('\n');
}
