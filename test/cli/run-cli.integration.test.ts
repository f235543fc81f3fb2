import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { runCli } from '../../src/cli/run-cli.js';
import { createLogger } from '../../src/log/create-logger.js';
import { writeConfigFile } from '../support/config.js';
import { freePort } from '../support/free-port.js';
import { startTestHost, type TestHost } from '../support/test-host.js';
import { TEST_THRESHOLDS } from '../support/test-thresholds.js';

/*
 * The whole engine through the CLI, against a real host on loopback: sshd, MariaDB, supervisord
 * running the Flask/Waitress stand-in. Each fault is made for real and undone after.
 */
let host: TestHost;
let dir: string;
const log = createLogger({ level: 'silent' });
const THRESHOLDS = TEST_THRESHOLDS;

function config(hosts: object[], thresholds: object = THRESHOLDS): string {
  return writeConfigFile(join(dir, `c${Math.random().toString(36).slice(2)}.yml`), { hosts, thresholds });
}
async function cli(args: string[], env: Record<string, string> = host.env) {
  let stdout = '';
  let stderr = '';
  const started = Date.now();
  const code = await runCli(args, env, { stdout: (t) => (stdout += `${t}\n`), stderr: (t) => (stderr += `${t}\n`), isTTY: false }, log);
  return { code, stdout, stderr, ms: Date.now() - started };
}
async function json(args: string[]) {
  const r = await cli([...args, '--json']);
  return {
    ...r,
    report: JSON.parse(r.stdout) as {
      hosts: {
        name: string;
        ok: boolean;
        checks: { id: string; status: string; summary: string; error?: { code: string } }[];
        causes: { id: string; severity: string; restartHelps: boolean }[];
      }[];
    },
  };
}
const prod = (over: object = {}) => host.hostConfig('prod-1', { app: { poolRecycle: 300 }, ...over });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mm-cli-'));
  host = await startTestHost({ withDb: true });
});
// Each fault leaves real lines in the app log (a DB stop logs 2013s); every test starts from an
// empty log so one scenario's evidence is not the next one's. The app appends (O_APPEND), so
// truncating in place is safe.
beforeEach(() => truncateSync(host.app.logFile, 0));
after(async () => {
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('moneymind CLI on a real host', () => {
  it('status: a healthy host passes every check, exit 0', async () => {
    // Whether this machine has a kernel log the bot could read, before and after the run (another
    // test file may make /var/log/kern.log for a while).
    const noKernelLog = () => !existsSync('/var/log/kern.log') && !existsSync('/run/systemd/system');
    const noneBefore = noKernelLog();
    const r = await cli(['status', 'prod-1', '--config', config([prod()])]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^prod-1 {2}✓ HEALTHY {2}\(checked in \d+\.\d s\)$/m);
    for (const line of [
      /health {5}✓ {2}GET \/health → 200 in \d+ ms/,
      /service {4}✓ {2}supervisor moneymind RUNNING for/,
      /port {7}✓ {2}:\d+ listening/,
      /resources {2}✓ {2}load [\d.]+\/\d+ cores · mem \d+ % available · disk \/ \d+ %.* · app \d+ MB RSS, \d+ threads/,
      /database {3}✓ {2}reachable in \d+ ms · wait_timeout 600 s ≥ 2 × pool_recycle 300 s · \d+\/151 connections/,
      /logs {7}✓ {2}no errors in 15 min/,
    ]) {
      assert.match(r.stdout, line);
    }
    assert.doesNotMatch(r.stdout, /likely cause/);
    // supervisord's own log was found through its config and read as the SSH user; this machine
    // has neither a systemd journal nor /var/log/kern.log, and the check says so.
    assert.doesNotMatch(r.stdout, /supervisord log:/);
    if (noneBefore && noKernelLog()) assert.match(r.stdout, /kernel log: not readable \(no systemd journal and no readable \/var\/log\/kern\.log\)/);
  });

  it('--json has the public shape; the runbook case (pool_recycle 3600 vs wait_timeout 600) warns', async () => {
    const { code, report } = await json(['status', '--config', config([prod({ app: { poolRecycle: 3600 } })])]);
    assert.equal(code, 0);
    const h = report.hosts[0]!;
    assert.deepEqual(Object.keys(h).sort(), ['causes', 'checks', 'durationMs', 'name', 'ok', 'status']);
    assert.deepEqual(
      h.checks.map((c) => c.id),
      ['health', 'service', 'port', 'resources', 'db', 'logs'],
    );
    for (const c of h.checks) for (const k of ['id', 'status', 'summary', 'durationMs', 'details', 'evidence']) assert.ok(k in c, `${c.id}.${k}`);
    assert.equal(h.checks.find((c) => c.id === 'db')?.status, 'warn');
    assert.deepEqual(
      h.causes.map((c) => [c.id, c.severity, c.restartHelps]),
      [['db-connection-dropped', 'warning', true]],
    );
  });

  it('status all: a dead host and a host with the wrong key do not delay or break the good one', async () => {
    const closed = await freePort();
    const cfg = config([
      prod(),
      host.hostConfig('dead-1', { ssh: { port: closed } }),
      host.hostConfig('spoofed-1', { ssh: { hostKey: 'SHA256:ffstP7ZDLHJzi3ey+UwtzDQ9yhF4mLLZbdR9vIq4Ntc' } }),
    ]);
    const { code, report, ms } = await json(['status', 'all', '--config', cfg]);
    assert.equal(code, 1);
    assert.ok(ms < 8000, `took ${ms} ms`);
    const [good, dead, spoofed] = report.hosts;
    assert.equal(good?.ok, true);
    assert.deepEqual(
      dead?.causes.map((c) => c.id),
      ['host-unreachable'],
    );
    assert.equal(dead?.checks.find((c) => c.id === 'health')?.error?.code, 'SSH_CONNECT');
    assert.deepEqual(
      spoofed?.causes.map((c) => c.id),
      ['host-unreachable'],
    );
    assert.match(spoofed?.checks[0]?.summary ?? '', new RegExp(`expected SHA256:ffst.*received ${host.sshd.hostKeyFingerprint.replace(/\+/g, '\\+')}`));
  });

  it("DB down: db-unreachable with the app's own 2003 as evidence; restart will not help", async () => {
    await host.db!.stop();
    try {
      const { code, report } = await json(['status', 'prod-1', '--config', config([prod()])]);
      assert.equal(code, 1);
      const h = report.hosts[0]!;
      assert.equal(h.checks.find((c) => c.id === 'db')?.error?.code, 'DB_CONNECT');
      // The first request after the stop gets 2013 on its pooled connection, later ones 2003.
      assert.match(h.checks.find((c) => c.id === 'health')?.summary ?? '', /→ 500 .*\((2003|2013),/);
      assert.equal(h.causes[0]?.id, 'db-unreachable');
      assert.equal(h.causes[0]?.restartHelps, false);
      // One area asked for: the last error lines of the real log are shown under it.
      const logs = await cli(['check', 'logs', 'prod-1', '--config', config([prod()])]);
      assert.match(logs.stdout, /^ {13}› \d{4}-\d\d-\d\d [\d:]{8} ERROR: Health check failed: \(pymysql\.err\.OperationalError\) \((2003|2013),/m);
    } finally {
      await host.db!.start();
    }
  });

  it('MySQL drops idle pooled connections (wait_timeout) → a real 2006 → db-connection-dropped', async () => {
    const cfg = config([prod({ app: { poolRecycle: 3600 } })]);
    // A session's wait_timeout is fixed when it connects: lower the global, then restart the app so
    // its pool opens new connections that MySQL will drop after 1 s idle.
    await host.db!.sql('SET GLOBAL wait_timeout = 1');
    try {
      await host.app.supervisorctl('restart', 'moneymind');
      assert.equal((await fetch(host.app.healthUrl)).status, 200);
      await new Promise((r) => setTimeout(r, 2500));
      const broken = await fetch(host.app.healthUrl);
      assert.equal(broken.status, 500, 'the pool hands out the dead connection, like the real app without pre-ping');
      const { report } = await json(['status', 'prod-1', '--config', cfg]);
      const h = report.hosts[0]!;
      assert.equal(h.causes[0]?.id, 'db-connection-dropped', JSON.stringify(h.causes));
      assert.match(h.checks.find((c) => c.id === 'logs')?.summary ?? '', /"MySQL server has gone away"|"Lost connection/);
      assert.match(h.checks.find((c) => c.id === 'db')?.summary ?? '', /wait_timeout 1 s < 2 × pool_recycle 3600 s/);
    } finally {
      await host.db!.sql('SET GLOBAL wait_timeout = 600');
      await host.app.supervisorctl('restart', 'moneymind');
    }
  });

  it('health hanging: app-unresponsive within the health timeout', async () => {
    await host.app.setMode('hang');
    try {
      const r = await cli(['status', 'prod-1', '--config', config([prod()])]);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /health {5}✗ {2}GET \/health → no answer in 1\.5 s/);
      assert.match(r.stdout, /likely cause: app-unresponsive/);
      assert.ok(r.ms < 6000, `took ${r.ms} ms`);
    } finally {
      await host.app.setMode('ok');
    }
  });

  it('service stopped: service-down, port not listening', async () => {
    await host.app.supervisorctl('stop', 'moneymind');
    try {
      const { code, report } = await json(['status', 'prod-1', '--config', config([prod()])]);
      assert.equal(code, 1);
      const h = report.hosts[0]!;
      assert.equal(h.checks.find((c) => c.id === 'port')?.status, 'fail');
      assert.match(h.checks.find((c) => c.id === 'service')?.summary ?? '', /STOPPED/);
      assert.deepEqual(
        h.causes.map((c) => c.id),
        ['service-down'],
      );
    } finally {
      await host.app.supervisorctl('start', 'moneymind');
    }
  });

  it('Waitress saturation in the real log → workers-saturated', async () => {
    // 4 threads, 10 slow requests: Waitress logs "Task queue depth is N" for the queued ones.
    await Promise.all(Array.from({ length: 10 }, () => fetch(`${host.app.healthUrl.replace('/health', '/slow')}?seconds=0.6`)));
    const { report } = await json(['check', 'logs', 'prod-1', '--config', config([prod()])]);
    const h = report.hosts[0]!;
    assert.match(h.checks[0]?.summary ?? '', /"Task queue depth"/);
    assert.deepEqual(
      h.causes.map((c) => c.id),
      ['workers-saturated'],
    );
  });

  it('sudo not permitted: the service check says which sudoers line is missing', async () => {
    const cfg = config([prod({ app: { supervisorConfig: '/etc/supervisor/other.conf' } })]);
    const { report } = await json(['check', 'service', 'prod-1', '--config', cfg]);
    assert.match(
      report.hosts[0]?.checks[0]?.summary ?? '',
      /sudo is not permitted: add a sudoers rule like ".* ALL=\(root\) NOPASSWD: \/usr\/bin\/supervisorctl -c \/etc\/supervisor\/other\.conf status moneymind"/,
    );
  });

  it('a command that hangs on the host times out; the other checks still answer', async () => {
    const fifo = join(host.app.logDir, 'stuck.fifo');
    await new Promise<void>((resolve, reject) =>
      spawn('mkfifo', ['-m', '0644', fifo]).on('exit', (c) => (c === 0 ? resolve() : reject(new Error(`mkfifo ${c}`)))),
    );
    const cfg = config([prod({ app: { logFile: fifo } })], { ...THRESHOLDS, commandTimeout: '1500ms' });
    const { report, ms } = await json(['status', 'prod-1', '--config', cfg]);
    const h = report.hosts[0]!;
    assert.equal(h.checks.find((c) => c.id === 'logs')?.error?.code, 'EXEC_TIMEOUT');
    assert.equal(h.checks.find((c) => c.id === 'health')?.status, 'ok');
    assert.equal(h.checks.find((c) => c.id === 'service')?.status, 'ok');
    assert.ok(ms < 5000, `took ${ms} ms`);
  });

  it('unknown host and broken config: exit 2 with the fix, nothing run', async () => {
    const unknown = await cli(['status', 'prod-1; rm -rf /', '--config', config([prod()])]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown host "prod-1; rm -rf \/" — known hosts: prod-1/);
    const broken = await cli(['status', '--config', config([{ name: 'x', ssh: { host: 'h' } }])]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /hosts\[0\]\.ssh\.username: required[\s\S]*hosts\[0\]\.ssh\.hostKey: required — run ssh-keygen/);
    const missingSecret = await cli(['status', '--config', config([prod()])], {});
    assert.equal(missingSecret.code, 2);
    assert.match(missingSecret.stderr, /mysql\.passwordEnv: environment variable MM_TEST_MYSQL_PASSWORD is not set/);
    const usage = await cli(['check', 'everything']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /check needs one of: health, service, port, resources, db, logs/);
  });

  it('the installed binary: exit codes, no colour off a TTY, --help', async () => {
    const bin = new URL('../../bin/moneymind.js', import.meta.url).pathname;
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...host.env } });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('exit', (code) => resolve({ code, out }));
      });
    const ok = await run(['status', 'prod-1', '--config', config([prod()])]);
    assert.equal(ok.code, 0, ok.out);
    assert.doesNotMatch(ok.out, /\x1b\[/);
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /exit codes: 0 all healthy · 1 something unhealthy · 2 usage or config error/);
  });
});

/** The installed command as a person runs it: a child process, stdout and stderr apart. */
function binRun(args: string[], opts: { env?: Record<string, string | undefined>; cwd?: string; bin?: string } = {}) {
  const bin = opts.bin ?? new URL('../../bin/moneymind.js', import.meta.url).pathname;
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const env = { ...process.env, ...host.env, ...opts.env };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    const child = spawn(process.execPath, [bin, ...args], { env, cwd: opts.cwd ?? dir });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('the first run, as a new user meets it', () => {
  it('a fresh clone (nothing installed, nothing built): one line saying what to run, no stack trace', async () => {
    const clone = mkdtempSync(join(tmpdir(), 'mm-clone-'));
    try {
      mkdirSync(join(clone, 'bin'));
      mkdirSync(join(clone, 'src', 'cli'), { recursive: true });
      copyFileSync(new URL('../../bin/moneymind.js', import.meta.url), join(clone, 'bin', 'moneymind.js'));
      writeFileSync(join(clone, 'src', 'cli', 'main.ts'), '');
      const r = await binRun(['status', 'prod-1'], { bin: join(clone, 'bin', 'moneymind.js'), cwd: clone });
      assert.equal(r.code, 2);
      assert.equal(r.err, 'moneymind: not installed yet — run `npm ci` in the checkout first (or `npm start`, which installs, builds and runs the bot)\n');
      assert.equal(r.out, '');
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });

  it('no config: --json stays clean JSON on stdout; stderr says which config answers', async () => {
    const r = await binRun(['hosts', '--json'], { env: { MONEYMIND_CONFIG: undefined } });
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(
      (JSON.parse(r.out) as { hosts: { name: string }[] }).hosts.map((h) => h.name),
      ['local'],
    );
    assert.equal(
      r.err,
      "moneymind: no config: checking this machine with the runbook's defaults — write moneymind.yml (README, Configuration) or pass --config PATH\n",
    );
    const text = await binRun(['hosts'], { env: { MONEYMIND_CONFIG: undefined } });
    assert.match(text.out, /^HOST {3}ADDRESS {2}SERVICE {12}PORT {3}DATABASE\nlocal {2}local {4}systemd moneymind {2}:5070 {2}no mysql\n$/);
  });

  it('an unreachable host is said once, with its fix; no JSON log lines reach the person', async () => {
    const closed = await freePort();
    const cfg = config([host.hostConfig('dead-1', { ssh: { port: closed } })]);
    const r = await binRun(['status', 'dead-1', '--config', cfg]);
    assert.equal(r.code, 1);
    const said = r.out.match(/connect|refused/gi) ?? [];
    assert.ok(said.length >= 1 && said.length <= 3, `said ${said.length} times:\n${r.out}`);
    assert.equal(r.out.match(/not checked: the host cannot be reached \(below\)/g)?.length, 6, r.out);
    assert.match(r.out, /likely cause: host-unreachable — The bot cannot log in to the host over SSH\. Check the machine is up/);
    assert.equal(r.err, '', 'nothing on stderr: no pino lines');
    const verbose = await binRun(['status', 'dead-1', '--config', cfg, '--verbose']);
    assert.match(verbose.err, /^\{"level":/m, '--verbose shows the log lines');
  });

  it('a usage error: the reason and one hint, not the whole usage text', async () => {
    const r = await binRun(['frobnicate']);
    assert.equal(r.code, 2);
    assert.equal(r.err, 'moneymind: unknown command "frobnicate"\n(moneymind --help lists the commands)\n');
  });

  it('`npm start -- --config FILE` opens terminal mode with that config', async () => {
    const cfg = config([prod()]);
    const root = new URL('../..', import.meta.url).pathname;
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn('bash', ['scripts/start.sh', '--config', cfg], { cwd: root, env: { ...process.env, ...host.env, MONEYMIND_CONFIG: '' } });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (code) => resolve({ code, out }));
      child.stdin.end('hosts\nquit\n');
    });
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, new RegExp(`terminal mode \\(1 host from ${cfg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));
    assert.match(r.out, /\nprod-1 +127\.0\.0\.1:\d+ +supervisor moneymind +not checked yet\n/);
  });
});
