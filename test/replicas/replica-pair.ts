import { mkdtempSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { type BotProcess, spawnBot } from '../support/bot-process.js';
import { writeConfigFile } from '../support/config.js';
import { freePort } from '../support/free-port.js';
import { type MariadbHandle, startMariadb } from '../support/mariadb.js';
import { waitUntil } from '../support/proc.js';
import { type RecordedCall, type SlackDouble, startSlackDouble } from '../support/slack-double.js';
import { type SlackSender, slackSender } from '../support/slack-requests.js';
import { startTestHost, type TestHost } from '../support/test-host.js';
import { TEST_THRESHOLDS } from '../support/test-thresholds.js';

/*
 * Two bot processes (A and B) as `npm start` runs them, HTTP mode, each on its own PORT and with
 * its own bot token (xoxb-a, xoxb-b: the Web API double records the Authorization header, so every
 * Slack call says which replica made it), one config file, one store: a fresh database on a real
 * MariaDB, the bot's own (never the app's). A starts first and leads; B stands by.
 * In Socket Mode (`socket` given) both open a connection to the double with one app token, as
 * replicas sharing one environment file would; /healthz and /metrics are on METRICS_PORT.
 */
export const CHANNEL = 'C0REPLICAS';
export const SECRET = 'replicas-secret';
export const KEY = 'host:prod-1|app-unhealthy';
export const ASKER = 'U0ASKER001';
export const BOB = 'U0APPROVE1';
export const CAROL = 'U0APPROVE2';
export const APP_TOKEN = 'xapp-replicas';
/** watch.leaseTtl and the watch schedule's period, in ms. */
export const TTL_MS = 4000;
export const PERIOD_MS = 2000;
const STORE_USER = 'mmbot';
const STORE_PASSWORD = 'replica-store-pass-5c1e';

export interface Health {
  /** The HTTP status; `status` is the body's ("ok" or "unhealthy"). */
  code: number;
  status: string;
  /** 'connected' (Socket Mode, the socket open), 'http', 'connecting' or 'disconnected'. */
  slack: string;
  watcher: 'on' | 'standby' | 'off';
  replica: string;
  leader: string | null;
  leaseToken: number | null;
}

export interface Replica {
  readonly name: 'A' | 'B';
  readonly b: BotProcess;
  readonly url: string;
  readonly auth: string;
  /** HTTP mode: signed requests to its PORT; Socket Mode: envelopes over its own connection. */
  readonly send: SlackSender;
  /** Socket Mode: the id of the double's connection this replica opened (undefined in HTTP mode). */
  readonly connection: number | undefined;
  /** /healthz, or undefined when it does not answer within 3 s (stopped, dead). */
  health(): Promise<Health | undefined>;
  metrics(): Promise<string>;
  /** stdout + stderr: pino's JSON lines. */
  logs(): string;
}

export interface ReplicaPair {
  readonly a: Replica;
  readonly b: Replica;
  readonly slack: SlackDouble;
  readonly database: string;
  /** A query on the store's database (as root, through MariaDB's socket). */
  sql(query: string): Promise<string>;
  /** Waits until `r` leads (its /healthz says watcher: on); its health then. */
  leads(r: Replica, timeoutMs?: number): Promise<Health>;
  parents(): RecordedCall[];
  replies(threadTs: string): RecordedCall[];
  edits(ts: string): RecordedCall[];
  /** Both processes' last log lines, for a failure message. */
  describe(): string;
  stop(): Promise<void>;
}

export interface PairOptions {
  /** Socket Mode: builds a replica's sender, whose envelopes go over that replica's connection (`connection()`, its id). */
  readonly socket?: (slack: SlackDouble, connection: () => number | undefined) => SlackSender;
}

let n = 0;

/** A user for the bot's store databases, created once per MariaDB. */
export async function storeUser(db: MariadbHandle): Promise<void> {
  await db.sql(`CREATE USER '${STORE_USER}'@'127.0.0.1' IDENTIFIED BY '${STORE_PASSWORD}'`);
}

/**
 * A fresh store database, its config, the Slack double, then A (waited on until it leads, and in
 * Socket Mode until its connection is open: the next one to open is B's), then B.
 */
export async function startPair(host: TestHost, db: MariadbHandle, dir: string, opts: PairOptions = {}): Promise<ReplicaPair> {
  const database = `bot_store_${++n}`;
  await db.sql(`CREATE DATABASE ${database}; GRANT CREATE, ALTER, INDEX, SELECT, INSERT, UPDATE, DELETE ON ${database}.* TO '${STORE_USER}'@'127.0.0.1'`);
  const slack = await startSlackDouble();
  const configPath = writeConfigFile(join(dir, `${database}.yml`), {
    hosts: [host.hostConfig('prod-1')],
    thresholds: TEST_THRESHOLDS,
    slack: { alertChannel: CHANNEL, approvers: [BOB, CAROL] },
    restart: { requireSecondPerson: true, verifyTimeout: '20s' },
    watch: {
      schedule: `*/${PERIOD_MS / 1000} * * * * *`,
      failuresToAlert: 1,
      successesToResolve: 1,
      retryInterval: 'off',
      remindEvery: '1h',
      store: `mysql://${STORE_USER}@127.0.0.1:${db.port}/${database}`,
      storePasswordEnv: 'MM_TEST_STORE_PASSWORD',
      leaseTtl: `${TTL_MS / 1000}s`,
    },
  });
  const replicas: Replica[] = [];
  const describe = () =>
    replicas.map((r) => `--- ${r.name} (exit ${r.b.child.exitCode ?? r.b.child.signalCode ?? 'running'}):\n${r.logs().slice(-3000)}`).join('\n');
  const base: Omit<ReplicaPair, 'a' | 'b'> = {
    slack,
    database,
    sql: (q) => db.sql(`USE ${database}; ${q}`),
    async leads(r, timeoutMs = 60_000) {
      const on = async () => {
        const h = await r.health();
        return h?.watcher === 'on' ? h : undefined;
      };
      return waitUntil(`${r.name} to lead the watcher`, on, { timeoutMs, intervalMs: 100, describeFailure: describe });
    },
    parents: () => slack.calls.filter((c) => c.path === '/api/chat.postMessage' && c.body.channel === CHANNEL && !c.body.thread_ts),
    replies: (ts) => slack.calls.filter((c) => c.path === '/api/chat.postMessage' && c.body.thread_ts === ts),
    edits: (ts) => slack.calls.filter((c) => c.path === '/api/chat.update' && c.body.ts === ts),
    describe,
    async stop() {
      // A replica left stopped (SIGSTOP) would not hear SIGTERM: resume it first.
      for (const r of replicas) if (r.b.child.exitCode === null && r.b.child.signalCode === null) r.b.child.kill('SIGCONT');
      await Promise.all(replicas.map((r) => r.b.stop(10_000)));
      await slack.close();
    },
  };
  const spawn = async (name: 'A' | 'B'): Promise<Replica> => {
    const port = await freePort();
    const token = `xoxb-${name.toLowerCase()}`;
    const mode: Record<string, string> = opts.socket
      ? { SLACK_APP_TOKEN: APP_TOKEN, METRICS_PORT: String(port) }
      : { SLACK_SIGNING_SECRET: SECRET, PORT: String(port) };
    const env = {
      SLACK_BOT_TOKEN: token,
      ...mode,
      SLACK_API_URL: slack.apiUrl,
      MONEYMIND_CONFIG: configPath,
      MM_TEST_STORE_PASSWORD: STORE_PASSWORD,
      LOG_LEVEL: 'info',
    };
    const b = spawnBot({ ...env, ...host.env }, { cwd: dir });
    const url = `http://127.0.0.1:${port}`;
    const get = (path: string) => fetch(`${url}${path}`, { signal: AbortSignal.timeout(3000) });
    let connection: number | undefined;
    const r: Replica = {
      name,
      b,
      url,
      auth: `Bearer ${token}`,
      send: opts.socket ? opts.socket(slack, () => connection) : slackSender(url, slack, SECRET),
      get connection() {
        return connection;
      },
      health: () =>
        get('/healthz').then(
          async (res) => ({ ...((await res.json()) as Omit<Health, 'code'>), code: res.status }),
          () => undefined,
        ),
      metrics: () =>
        get('/metrics').then(
          (res) => res.text(),
          () => '',
        ),
      logs: () => b.out() + b.err(),
    };
    replicas.push(r);
    await waitUntil(`${name}'s /healthz to answer`, r.health, { timeoutMs: 60_000, intervalMs: 200, describeFailure: describe });
    if (opts.socket) {
      const open = async () => slack.connections().filter((c) => c.open)[replicas.length - 1];
      connection = (await waitUntil(`${name}'s Socket Mode connection`, open, { timeoutMs: 60_000, intervalMs: 50, describeFailure: describe })).id;
    }
    return r;
  };
  try {
    const a = await spawn('A');
    await base.leads(a);
    return { ...base, a, b: await spawn('B') };
  } catch (err) {
    await base.stop();
    throw err;
  }
}

/** What a Web API call said: its text and blocks (form-encoded as JSON). */
export const text = (c: RecordedCall): string =>
  `${String(c.body.text ?? '')}\n${typeof c.body.blocks === 'string' ? c.body.blocks : JSON.stringify(c.body.blocks ?? '')}`;

/** Breaks or mends the stand-in app's /health. */
export async function appMode(host: TestHost, mode: 'broken' | 'ok'): Promise<void> {
  const res = await fetch(new URL(`/_mode/${mode}`, host.app.healthUrl));
  if (!res.ok) throw new Error(`/_mode/${mode} answered ${res.status}`);
}

/** How many times the stand-in app started since `truncateAppLog` (one "starting" line per start). */
export const appStarts = (host: TestHost): number =>
  readFileSync(host.app.logFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes('MoneyMind stand-in starting')).length;
export const truncateAppLog = (host: TestHost): void => truncateSync(host.app.logFile, 0);

/** Rows left in the store's outbox (posts not yet accepted by Slack). */
export async function outboxRows(pair: ReplicaPair): Promise<number> {
  return Number((await pair.sql('SELECT COUNT(*) FROM outbox')).trim());
}

/**
 * Polls `r`'s /healthz from `since` until it leads with a token above `above`; the time it took.
 * The bound the test asserts comes after, so a slow takeover fails with its measured time.
 */
export async function takeover(pair: ReplicaPair, r: Replica, above: number, since: number): Promise<{ ms: number; health: Health }> {
  const health = await waitUntil(
    `${r.name} to take the lease over (token > ${above})`,
    async () => {
      const h = await r.health();
      return h?.watcher === 'on' && (h.leaseToken ?? 0) > above ? h : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 100, describeFailure: pair.describe },
  );
  return { ms: Date.now() - since, health };
}

export interface ReplicaWorld {
  readonly host: TestHost;
  readonly db: MariadbHandle;
  readonly dir: string;
}

/**
 * Registers a test file's before/after: the test host, a MariaDB with the bot's store user, a
 * temp dir; `got` hands them to the file once started. Stopped after, even when a test failed.
 */
export function replicaWorld(prefix: string, got: (w: ReplicaWorld) => void): void {
  let w: Partial<ReplicaWorld> = {};
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    w = { dir };
    const [host, db] = await Promise.all([startTestHost(), startMariadb()]);
    w = { dir, host, db };
    await storeUser(db);
    got({ dir, host, db });
  });
  after(async () => {
    await w.host?.stop();
    await w.db?.destroy();
    if (w.dir) rmSync(w.dir, { recursive: true, force: true });
  });
}

/** waitUntil's options for a pair: polled every 200 ms, the pair's state said on a timeout. */
export const waitOpts = (pair: ReplicaPair, timeoutMs = 60_000) => ({ timeoutMs, intervalMs: 200, describeFailure: pair.describe });
