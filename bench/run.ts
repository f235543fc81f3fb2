import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { CHECK_IDS } from '../src/checks/check-types.js';
import { loadConfig } from '../src/config/load-config.js';
import { Secret } from '../src/config/secret.js';
import { engineServices } from '../src/engine/engine-services.js';
import { createLogger } from '../src/log/create-logger.js';
import { TransportPool } from '../src/remote/transport-pool.js';
import { createSlackApp } from '../src/slack/create-slack-app.js';
import { freePort } from '../test/support/free-port.js';
import { run, runOk } from '../test/support/proc.js';
import { startSlackDouble } from '../test/support/slack-double.js';
import { slackSender } from '../test/support/slack-requests.js';
import { startTestHost } from '../test/support/test-host.js';
import { runbookBaseline } from './runbook-baseline.js';
import { soak } from './soak.js';
import { median, percentile, round, timed } from './stats.js';

/*
 * `npm run bench`: the same real sshd + MariaDB + supervisord stand-in as the tests, and ratios
 * measured in this run (absolute times are noisy here). Prints a table and the raw numbers as JSON
 * (also written to bench/results/latest.json). BENCH_SOAK_CYCLES (default 10000) sets the soak.
 */
const root = new URL('..', import.meta.url).pathname;
const log = createLogger({ level: 'silent' });
const say = (s: string): void => void process.stderr.write(`${s}\n`);
const soakCycles = Number(process.env.BENCH_SOAK_CYCLES ?? 10_000);

const dir = mkdtempSync(join(tmpdir(), 'mm-bench-'));
const host = await startTestHost({ withDb: true });
const results: Record<string, unknown> = { machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memGb: round(totalmem() / 2 ** 30), node: process.version } };
try {
  const hostEntry = (name: string) => host.hostConfig(name, { app: { poolRecycle: 300 } });
  const configFile = (n: number): string => {
    const p = join(dir, `fleet-${n}.yml`);
    writeFileSync(p, stringify({ hosts: Array.from({ length: n }, (_, i) => hostEntry(`prod-${i + 1}`)), thresholds: { commandTimeout: '20s' }, watch: { store: join(dir, `store-${n}.db`) } }));
    return p;
  };

  say('runbook baseline: the runbook commands over ssh, one by one…');
  const baselines = [];
  for (let i = 0; i < 3; i++) baselines.push((await runbookBaseline(host, dir)).totalMs);
  const baselineMs = median(baselines);

  say('cold: a new CLI process per status (the production build)…');
  const dist = join(root, '.tmp', 'bench-dist');
  mkdirSync(dist, { recursive: true });
  await runOk(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', dist], { timeoutMs: 180_000 });
  const one = configFile(1);
  const cold: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = await timed(() => run(process.execPath, [join(dist, 'cli/main.js'), 'status', 'prod-1', '--config', one], { env: { ...process.env, ...host.env }, timeoutMs: 60_000 }));
    if (t.value.code !== 0) throw new Error(`cold status failed: ${t.value.stdout}${t.value.stderr}`);
    cold.push(t.ms);
  }

  say('warm: status inside the running bot (connection reused)…');
  const pool = new TransportPool(log);
  const cfg1 = loadConfig(host.env, one);
  const services = engineServices(cfg1, (h) => pool.get(h), Date.now, log);
  await services.checkHosts(cfg1.hosts, CHECK_IDS);
  const warm: number[] = [];
  for (let i = 0; i < 20; i++) warm.push((await timed(() => services.checkHosts(cfg1.hosts, CHECK_IDS))).ms);

  say('fleet: status all over 1, 10 and 50 hosts…');
  const fleet: Record<string, number> = {};
  for (const n of [1, 10, 50]) {
    const cfg = loadConfig(host.env, configFile(n));
    const fpool = new TransportPool(log);
    const s = engineServices(cfg, (h) => fpool.get(h), Date.now, log);
    await s.checkHosts(cfg.hosts, CHECK_IDS); // connects
    const samples: number[] = [];
    for (let i = 0; i < 3; i++) samples.push((await timed(() => s.checkHosts(cfg.hosts, CHECK_IDS))).ms);
    fleet[n] = median(samples);
    await fpool.closeAll();
  }

  say('ack latency while a 50-host status runs…');
  const slack = await startSlackDouble();
  const cfg50 = loadConfig(host.env, configFile(50));
  const apool = new TransportPool(log);
  const port = await freePort();
  const app = createSlackApp({ mode: 'http', botToken: new Secret('xoxb-bench'), signingSecret: new Secret('bench'), port, apiUrl: slack.apiUrl }, engineServices(cfg50, (h) => apool.get(h), Date.now, log), log);
  await app.start();
  const send = slackSender(`http://127.0.0.1:${port}`, slack, 'bench');
  const big = await send.command('status all');
  const acks: number[] = [];
  const answered = slack.waitFor((c) => c.path === `/response/${big.id}`, 120_000);
  let done = false;
  void answered.then(() => (done = true));
  // Acks that start no work of their own (help, hosts), so they measure the ack path under load.
  for (let i = 0; i < 400 && (!done || acks.length < 200); i++) acks.push((await send.command(i % 2 ? 'help' : 'hosts')).ms);
  await answered;
  await app.stop();
  await apool.closeAll();
  await slack.close();

  say(`soak: ${soakCycles} watcher cycles…`);
  const soakResult = await soak(cfg1, pool, join(dir, 'soak.db'), soakCycles, (n) => say(`  ${n} cycles`));
  await pool.closeAll();

  const coldMs = median(cold);
  const warmMs = median(warm);
  Object.assign(results, {
    runbookBaselineMs: round(baselineMs),
    coldMs: round(coldMs),
    warmMs: round(warmMs),
    fleetMs: Object.fromEntries(Object.entries(fleet).map(([k, v]) => [k, round(v)])),
    ackMs: { n: acks.length, p50: round(percentile(acks, 50)), p99: round(percentile(acks, 99)), max: round(Math.max(...acks)) },
    soak: soakResult,
    ratios: { baselineOverCold: round(baselineMs / coldMs), baselineOverWarm: round(baselineMs / warmMs), fleet50OverFleet1: round(fleet[50]! / fleet[1]!, 2) },
  });
  const r = results.ratios as Record<string, number>;
  const rows: [string, string, string, string][] = [
    ['runbook by hand ÷ moneymind status, cold (new process)', `${r.baselineOverCold}×`, '≥ 4×', r.baselineOverCold! >= 4 ? 'met' : 'MISSED'],
    ['runbook by hand ÷ moneymind status, warm (in the bot)', `${r.baselineOverWarm}×`, '≥ 30×', r.baselineOverWarm! >= 30 ? 'met' : 'MISSED'],
    ['status all: 50 hosts ÷ 1 host', `${r.fleet50OverFleet1}×`, '≤ 2×', r.fleet50OverFleet1! <= 2 ? 'met' : 'MISSED'],
    ['slash-command ack p99 during a 50-host status', `${round(percentile(acks, 99))} ms`, '< 100 ms', percentile(acks, 99) < 100 ? 'met' : 'MISSED'],
    [`soak RSS growth after warm-up (${soakCycles} cycles)`, `${round(soakResult.rssGrowthPercent)} %`, '< 5 %', soakResult.rssGrowthPercent < 5 ? 'met' : 'MISSED'],
    ['soak fds / sockets / free SSH channels, warm-up → end', `${soakResult.afterWarmup.fds}/${soakResult.afterWarmup.sockets}/${soakResult.afterWarmup.sshFreeChannels} → ${soakResult.end.fds}/${soakResult.end.sockets}/${soakResult.end.sshFreeChannels}`, 'equal', soakResult.afterWarmup.fds === soakResult.end.fds && soakResult.afterWarmup.sockets === soakResult.end.sockets && soakResult.afterWarmup.sshFreeChannels === soakResult.end.sshFreeChannels ? 'met' : 'MISSED'],
  ];
  const w = [Math.max(...rows.map((x) => x[0].length)), 14, 9];
  process.stdout.write(`\n${'measure'.padEnd(w[0]!)}  ${'measured'.padEnd(w[1]!)}  ${'target'.padEnd(w[2]!)}  result\n`);
  for (const x of rows) process.stdout.write(`${x[0].padEnd(w[0]!)}  ${x[1].padEnd(w[1]!)}  ${x[2].padEnd(w[2]!)}  ${x[3]}\n`);
  process.stdout.write(`\n${JSON.stringify(results, null, 2)}\n`);
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'latest.json'), `${JSON.stringify({ at: new Date().toISOString(), ...results }, null, 2)}\n`);
} finally {
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
}
