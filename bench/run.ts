import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { CHECK_IDS } from '../src/checks/check-types.js';
import { loadConfig } from '../src/config/load-config.js';
import { engineServices } from '../src/engine/engine-services.js';
import { createLogger } from '../src/log/create-logger.js';
import { TransportPool } from '../src/remote/transport-pool.js';
import { run, runOk } from '../test/support/proc.js';
import { startTestHost } from '../test/support/test-host.js';
import { ackLatency } from './ack-latency.js';
import { fleetStatus, type FleetSample } from './fleet.js';
import { deprioritizeHosts } from './host-cpu-share.js';
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
  const perCheck: Record<string, number[]> = {};
  for (let i = 0; i < 20; i++) {
    const t = await timed(() => services.checkHosts(cfg1.hosts, CHECK_IDS));
    warm.push(t.ms);
    for (const c of t.value[0]!.checks) (perCheck[c.id] ??= []).push(c.durationMs);
  }

  say('fleet: status all over 1, 10 and 50 hosts…');
  const fleet: Record<number, FleetSample> = {};
  for (const n of [1, 10, 50]) fleet[n] = await fleetStatus(loadConfig(host.env, configFile(n)), log);

  say('ack latency while 50-host statuses run, hosts at the bot\'s priority, then deprioritized…');
  const cfg50 = loadConfig(host.env, configFile(50));
  const ackShared = await ackLatency(cfg50, log);
  let hostsMoved = { processes: 0, restore: () => {} };
  const ackNiced = await ackLatency(cfg50, log, () => (hostsMoved = deprioritizeHosts()));
  hostsMoved.restore();

  say(`soak: ${soakCycles} watcher cycles…`);
  const soakResult = await soak(cfg1, pool, join(dir, 'soak.db'), soakCycles, (n) => say(`  ${n} cycles`));
  await pool.closeAll();

  const coldMs = median(cold);
  const warmMs = median(warm);
  const cores = cpus().length;
  const ackStats = (a: { acks: number[]; statusMs: number[] }) => ({ n: a.acks.length, p50: round(percentile(a.acks, 50)), p99: round(percentile(a.acks, 99)), max: round(Math.max(...a.acks)), statusRuns: a.statusMs.length, statusMedianMs: round(median(a.statusMs)) });
  const f1 = fleet[1]!;
  const f50 = fleet[50]!;
  Object.assign(results, {
    runbookBaselineMs: round(baselineMs),
    coldMs: round(coldMs),
    warmMs: round(warmMs),
    warmPerCheckMedianMs: Object.fromEntries(Object.entries(perCheck).map(([k, v]) => [k, median(v)])),
    fleet: Object.fromEntries(Object.entries(fleet).map(([k, v]) => [k, { ms: round(v.ms), machineCpuMs: round(v.cpu.machineMs), botCpuMs: round(v.cpu.botMs), machineFloorMs: round(v.cpu.machineMs / cores) }])),
    ackMs: { hostsAtBotPriority: ackStats(ackShared), hostsDeprioritized: { ...ackStats(ackNiced), hostProcessesDeprioritized: hostsMoved.processes } },
    soak: soakResult,
    ratios: {
      baselineOverCold: round(baselineMs / coldMs),
      baselineOverWarm: round(baselineMs / warmMs),
      fleet50OverFleet1: round(f50.ms / f1.ms, 2),
      // How close the 50-host run came to the machine's limit: 1.0 = every core busy all along.
      fleet50OverCpuFloor: round(f50.ms / (f50.cpu.machineMs / cores), 2),
    },
  });
  const r = results.ratios as Record<string, number>;
  const p99 = (a: { acks: number[] }) => percentile(a.acks, 99);
  const rows: [string, string, string, string][] = [
    ['runbook by hand ÷ moneymind status, cold (new process)', `${r.baselineOverCold}×`, '≥ 4×', r.baselineOverCold! >= 4 ? 'met' : 'MISSED'],
    ['runbook by hand ÷ moneymind status, warm (in the bot)', `${r.baselineOverWarm}×`, '≥ 30×', r.baselineOverWarm! >= 30 ? 'met' : 'MISSED'],
    ['status all: 50 hosts ÷ 1 host (all on this machine)', `${r.fleet50OverFleet1}×`, '≤ 2×', r.fleet50OverFleet1! <= 2 ? 'met' : 'MISSED'],
    ['  50 hosts: bot CPU / machine CPU / wall', `${round(f50.cpu.botMs, 0)}/${round(f50.cpu.machineMs, 0)}/${round(f50.ms, 0)} ms`, 'info', `wall = ${r.fleet50OverCpuFloor}× the ${cores}-core floor`],
    ['ack p99 during 50-host statuses (hosts at bot priority)', `${round(p99(ackShared))} ms`, '< 100 ms', p99(ackShared) < 100 ? 'met' : 'MISSED'],
    ['ack p99 during 50-host statuses (hosts in a low-weight cgroup)', `${round(p99(ackNiced))} ms`, '< 100 ms', p99(ackNiced) < 100 ? 'met' : 'MISSED'],
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
