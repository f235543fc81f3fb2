import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../src/log/create-logger.js';
import { TransportPool } from '../src/remote/transport-pool.js';
import { runOk } from '../test/support/proc.js';
import { startSystemdTestHost } from '../test/support/systemd-host.js';
import { startTestHost } from '../test/support/test-host.js';
import { ackLatency } from './ack-latency.js';
import { benchFleetNetem } from './fleet-netem.js';
import { deprioritizeHosts } from './host-cpu-share.js';
import { benchHostKind, type HostKindResult } from './host-bench.js';
import { soak } from './soak.js';
import { TIME_TO_ALERT, supervisorOutage, timeToAlert } from './time-to-alert.js';
import { timeToAlertRows } from './time-to-alert-rows.js';
import { median, percentile, round } from './stats.js';

/*
 * `npm run bench`: the same real servers as the tests — sshd, MariaDB, and the stand-in app run
 * once by supervisord and once by a real systemd (the runbook names both) — and ratios measured in
 * this run (absolute times are noisy here). Prints a table and the raw numbers as JSON (also
 * written to bench/results/latest.json). BENCH_SOAK_CYCLES (default 10000) sets the soak; BENCH_NETEM_HOSTS
 * (default 1,10,50) the host counts of the fleet over a delayed network (fleet-netem.ts).
 */
const root = new URL('..', import.meta.url).pathname;
const log = createLogger({ level: 'silent' });
const say = (s: string): void => void process.stderr.write(`${s}\n`);
const soakCycles = Number(process.env.BENCH_SOAK_CYCLES ?? 10_000);
const netemCounts = (process.env.BENCH_NETEM_HOSTS ?? '1,10,50').split(',').map(Number);
const cores = cpus().length;

const dir = mkdtempSync(join(tmpdir(), 'mm-bench-'));
const results: Record<string, unknown> = { machine: { cpus: cores, cpuModel: cpus()[0]?.model, memGb: round(totalmem() / 2 ** 30), node: process.version } };
const kinds: Record<string, HostKindResult> = {};
const acks: Record<string, { acks: number[]; statusMs: number[] }> = {};
let hostsMoved = 0;
let soakResult: Awaited<ReturnType<typeof soak>> | undefined;
let alertResult: Awaited<ReturnType<typeof timeToAlert>> | undefined;
let netem: Awaited<ReturnType<typeof benchFleetNetem>> | undefined;

say('building the production CLI for the cold runs…');
const dist = join(root, '.tmp', 'bench-dist');
mkdirSync(dist, { recursive: true });
await runOk(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', dist], {
  timeoutMs: 180_000,
});
const cliMain = join(dist, 'cli/main.js');

try {
  {
    const host = await startSystemdTestHost({ withDb: true });
    try {
      kinds.systemd = await benchHostKind(
        {
          label: 'systemd',
          target: { sshd: host.sshd, db: host.db, healthUrl: host.app.healthUrl, logFile: host.app.logFile, serviceStatus: 'systemctl status moneymind' },
          env: host.env,
          hostEntry: (n) => host.hostConfig(n, { app: { poolRecycle: 300 } }),
        },
        dir,
        cliMain,
        say,
        log,
      );
      // The soak runs here: a watcher cycle on this host costs ~30 ms, on the supervisor host
      // ~160 ms (supervisorctl), and what it looks for is the bot's own leaks, not the host's.
      say(`soak: ${soakCycles} watcher cycles (systemd host)…`);
      const pool = new TransportPool(log);
      soakResult = await soak(kinds.systemd.config1, pool, join(dir, 'soak.db'), soakCycles, (n) => say(`  ${n} cycles`));
      await pool.closeAll();
    } finally {
      await host.stop();
    }
  }
  const host = await startTestHost({ withDb: true });
  try {
    const s = await benchHostKind(
      {
        label: 'supervisor',
        target: {
          sshd: host.sshd,
          db: host.db,
          healthUrl: host.app.healthUrl,
          logFile: host.app.logFile,
          serviceStatus: `sudo -n supervisorctl -c ${host.app.supervisorConfig} status moneymind`,
        },
        env: host.env,
        hostEntry: (n) => host.hostConfig(n, { app: { poolRecycle: 300 } }),
      },
      dir,
      cliMain,
      say,
      log,
    );
    kinds.supervisor = s;

    say("ack latency while 50-host statuses run (supervisor host), hosts at the bot's priority, then deprioritized…");
    const cfg50 = s.configFor(50);
    acks.shared = await ackLatency(cfg50, log);
    let moved = { processes: 0, restore: () => {} };
    acks.deprioritized = await ackLatency(cfg50, log, () => (moved = deprioritizeHosts()));
    moved.restore();
    hostsMoved = moved.processes;

    // On the supervisor host: stopping the app there is what the runbook's outage looks like.
    say('time to alert: schedule every 6 s, failuresToAlert 2, retryInterval off and 1s, 8 outages each…');
    alertResult = await timeToAlert(supervisorOutage(host), dir, log, say, TIME_TO_ALERT);
  } finally {
    await host.stop();
  }

  // Issue 18: the hosts as separate machines 20 ms away, which the fleet rows above are not.
  netem = await benchFleetNetem(netemCounts, say, log);

  const ackStats = (a: { acks: number[]; statusMs: number[] }) => ({
    n: a.acks.length,
    p50: round(percentile(a.acks, 50)),
    p99: round(percentile(a.acks, 99)),
    max: round(Math.max(...a.acks)),
    statusRuns: a.statusMs.length,
    statusMedianMs: round(median(a.statusMs)),
  });
  const kindJson = (k: HostKindResult) => ({
    runbookBaselineMs: round(k.baselineMs),
    coldMs: round(k.coldMs),
    warmMs: round(k.warmMs),
    warmPerCheckMedianMs: k.warmPerCheckMedianMs,
    fleet: Object.fromEntries(
      Object.entries(k.fleet).map(([n, v]) => [
        n,
        { ms: round(v.ms), machineCpuMs: round(v.cpu.machineMs), botCpuMs: round(v.cpu.botMs), machineFloorMs: round(v.cpu.machineMs / cores) },
      ]),
    ),
    ratios: {
      baselineOverCold: round(k.baselineMs / k.coldMs),
      baselineOverWarm: round(k.baselineMs / k.warmMs),
      fleet50OverFleet1: round(k.fleet[50]!.ms / k.fleet[1]!.ms, 2),
      // How close the 50-host run came to the machine's limit: 1.0 = every core busy all along.
      fleet50OverCpuFloor: round(k.fleet[50]!.ms / (k.fleet[50]!.cpu.machineMs / cores), 2),
    },
  });
  const soaked = soakResult!;
  Object.assign(results, {
    systemd: kindJson(kinds.systemd!),
    supervisor: kindJson(kinds.supervisor!),
    ackMs: { hostsAtBotPriority: ackStats(acks.shared!), hostsDeprioritized: { ...ackStats(acks.deprioritized!), hostProcessesDeprioritized: hostsMoved } },
    soak: soaked,
    timeToAlert: alertResult,
    fleetNetem: netem.json,
  });

  const rows: [string, string, string, string][] = [];
  for (const label of ['systemd', 'supervisor'] as const) {
    const k = kinds[label]!;
    const r = kindJson(k).ratios;
    const f50 = k.fleet[50]!;
    rows.push(
      [`[${label}] runbook by hand ÷ status, cold (new process)`, `${r.baselineOverCold}×`, '≥ 4×', r.baselineOverCold >= 4 ? 'met' : 'MISSED'],
      [`[${label}] runbook by hand ÷ status, warm (in the bot)`, `${r.baselineOverWarm}×`, '≥ 30×', r.baselineOverWarm >= 30 ? 'met' : 'MISSED'],
      [`[${label}] status all: 50 hosts ÷ 1 host (all on this machine)`, `${r.fleet50OverFleet1}×`, '≤ 2×', r.fleet50OverFleet1 <= 2 ? 'met' : 'MISSED'],
      [
        `[${label}]   50 hosts: bot CPU / machine CPU / wall`,
        `${round(f50.cpu.botMs, 0)}/${round(f50.cpu.machineMs, 0)}/${round(f50.ms, 0)} ms`,
        'info',
        `wall = ${r.fleet50OverCpuFloor}× the ${cores}-core floor`,
      ],
    );
  }
  const p99 = (a: { acks: number[] }) => percentile(a.acks, 99);
  rows.push(
    ['ack p99 during 50-host statuses (hosts at bot priority)', `${round(p99(acks.shared!))} ms`, '< 100 ms', p99(acks.shared!) < 100 ? 'met' : 'MISSED'],
    [
      'ack p99 during 50-host statuses (hosts in a low-weight cgroup)',
      `${round(p99(acks.deprioritized!))} ms`,
      '< 100 ms',
      p99(acks.deprioritized!) < 100 ? 'met' : 'MISSED',
    ],
    [`soak RSS growth after warm-up (${soakCycles} cycles)`, `${round(soaked.rssGrowthPercent)} %`, '< 5 %', soaked.rssGrowthPercent < 5 ? 'met' : 'MISSED'],
    [
      'soak fds / sockets / free SSH channels, warm-up → end',
      `${soaked.afterWarmup.fds}/${soaked.afterWarmup.sockets}/${soaked.afterWarmup.sshFreeChannels} → ` +
        `${soaked.end.fds}/${soaked.end.sockets}/${soaked.end.sshFreeChannels}`,
      'equal',
      soaked.afterWarmup.fds === soaked.end.fds &&
      soaked.afterWarmup.sockets === soaked.end.sockets &&
      soaked.afterWarmup.sshFreeChannels === soaked.end.sshFreeChannels
        ? 'met'
        : 'MISSED',
    ],
  );
  if (alertResult) rows.push(...timeToAlertRows(alertResult));
  rows.push(...netem.rows);
  const w = [Math.max(...rows.map((x) => x[0].length)), 16, 9];
  process.stdout.write(`\n${'measure'.padEnd(w[0]!)}  ${'measured'.padEnd(w[1]!)}  ${'target'.padEnd(w[2]!)}  result\n`);
  for (const x of rows) process.stdout.write(`${x[0].padEnd(w[0]!)}  ${x[1].padEnd(w[1]!)}  ${x[2].padEnd(w[2]!)}  ${x[3]}\n`);
  process.stdout.write(`\n${JSON.stringify(results, null, 2)}\n`);
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'latest.json'), `${JSON.stringify({ at: new Date().toISOString(), ...results }, null, 2)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
