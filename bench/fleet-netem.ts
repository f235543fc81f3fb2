/**
 * Issue 18: `status all` over 1/10/50 hosts that behave like separate machines 20 ms away — each
 * its own network namespace, 10 ms each way (test/support/delayed-netns.ts: this kernel has no
 * netem, so a relay adds the delay), its own sshd and stand-in app, all host processes in a
 * lowest-weight CPU cgroup — and the bot's own CPU per host-check, warm and cold, for the full
 * set (`status all`) and the watcher's cheap set (WATCH_IDS, every cycle). From that: how many hosts
 * one replica watches every 60 s on half a core. The DB check reaches one shared MariaDB.
 *
 * Alone: `node --import tsx bench/fleet-netem.ts` → results/fleet-netem.json (BENCH_NETEM_HOSTS,
 * default 1,10,50; BENCH_NETEM_RUNS, default 5). `npm run bench` runs it as its own section.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { CHECK_IDS } from '../src/checks/check-types.js';
import type { Config } from '../src/config/types.js';
import { checkHosts } from '../src/engine/check-hosts.js';
import { createLogger } from '../src/log/create-logger.js';
import { TransportPool } from '../src/remote/transport-pool.js';
import { WATCH_IDS } from '../src/watch/watch-cycle.js';
import { testConfig } from '../test/support/config.js';
import { tcpConnectMs } from '../test/support/delayed-netns.js';
import { netemFleet, type NetemFleet } from '../test/support/netem-fleet.js';
import { fleetStatus, type FleetSample } from './fleet.js';
import { median, round } from './stats.js';

const DELAY_MS = 10; // each way: 20 ms round trip
// Which SSH crypto the bot ran: ssh2's native binding, or its JavaScript fallback (~17 % more CPU per check).
const { bindingAvailable } = createRequire(import.meta.url)('ssh2/lib/protocol/crypto.js') as { bindingAvailable: boolean };
const CYCLE_S = 60;
const CORE_BUDGET = 0.5;

export type Row = [string, string, string, string];

interface SetResult {
  byHosts: Record<number, FleetSample>;
  ratio: Record<number, number>;
}

/** Every host answers every check before anything is timed: a failing check would time an error path. */
async function checkFleetWorks(config: Config, log: Logger): Promise<void> {
  const pool = new TransportPool(log);
  try {
    // 16 at once: the simulated hosts' cold handshakes all land on this machine's 2 cores, in the
    // lowest-weight cgroup; a check only, untimed.
    const reports = await checkHosts(config.hosts, (h) => pool.get(h), config.thresholds, { ids: CHECK_IDS, now: Date.now, log, concurrency: 16 });
    const failed = reports.flatMap((r) => r.checks.filter((c) => c.status === 'fail' || c.status === 'unknown').map((c) => `${r.name} ${c.id}: ${c.summary}`));
    if (failed.length) throw new Error(`the simulated fleet is not healthy, so timing it would time error paths:\n${failed.slice(0, 10).join('\n')}`);
  } finally {
    await pool.closeAll();
  }
}

async function handshakeRtt(fleet: NetemFleet): Promise<{ medianMs: number; minMs: number; maxMs: number }> {
  const times: number[] = [];
  for (const h of fleet.hosts) for (let i = 0; i < 3; i++) times.push(await tcpConnectMs(h.ns.inside, h.sshdPort));
  return { medianMs: round(median(times), 2), minMs: round(Math.min(...times), 2), maxMs: round(Math.max(...times), 2) };
}

export async function benchFleetNetem(counts: readonly number[], say: (s: string) => void, log: Logger, samples = 5) {
  const max = Math.max(...counts);
  const loadBefore = loadavg().map((x) => round(x, 2));
  say(`fleet over a delayed network: ${max} hosts, each in its own namespace ${DELAY_MS} ms away each way, own sshd and app, one shared MariaDB…`);
  const fleet = await netemFleet(max, { delayMs: DELAY_MS, withDb: true, say });
  try {
    const configFor = (n: number): Config =>
      testConfig(
        {
          // Timeouts this machine's load cannot cross: a cold run at the default width starts 50 handshakes on its 2 cores.
          hosts: fleet.hosts.slice(0, n).map((h, i) => {
            const host = h.hostConfig(`netem-${i + 1}`);
            return { ...host, ssh: { ...(host.ssh as object), readyTimeout: '60s' } };
          }),
          thresholds: { commandTimeout: '30s', healthTimeout: '30s' },
        },
        fleet.env,
      );
    const rtt = await handshakeRtt(fleet);
    say(`  TCP handshake to the hosts' sshd (one round trip): median ${rtt.medianMs} ms (${rtt.minMs}–${rtt.maxMs})`);
    await checkFleetWorks(configFor(max), log);

    const hostCpu0 = fleet.cgroup.usageMs();
    const relayCpu0 = fleet.net.relayCpuMs();
    const sets: Record<'full' | 'cheap', SetResult> = { full: { byHosts: {}, ratio: {} }, cheap: { byHosts: {}, ratio: {} } };
    let hostChecks = 0;
    for (const [set, ids] of [
      ['full', CHECK_IDS],
      ['cheap', WATCH_IDS],
    ] as const) {
      for (const n of counts) {
        say(`  ${set === 'full' ? 'status all (every check)' : `the watcher's cheap set (${WATCH_IDS.join(', ')})`}: ${n} hosts, ${samples} warm runs…`);
        const sample = await fleetStatus(configFor(n), log, samples, ids);
        if (sample.broken.length) throw new Error(`${n} hosts: checks failed, so the runs timed error paths:\n${sample.broken.slice(0, 10).join('\n')}`);
        sets[set].byHosts[n] = sample;
        hostChecks += n * (samples + 1);
      }
      const one = sets[set].byHosts[Math.min(...counts)]!.ms;
      for (const n of counts) sets[set].ratio[n] = round(sets[set].byHosts[n]!.ms / one, 2);
    }
    const hostsCpuPerCheckMs = (fleet.cgroup.usageMs() - hostCpu0) / hostChecks;
    const relayCpuPerCheckMs = (fleet.net.relayCpuMs() - relayCpu0) / hostChecks;
    const perHost = (s: FleetSample, cold = false) => round((cold ? s.cold.cpu.botMs : s.cpu.botMs) / s.hosts, 2);
    const full = sets.full.byHosts[max]!;
    const cheap = sets.cheap.byHosts[max]!;
    const cycleCpuMs = perHost(cheap);
    const json = {
      hosts: counts,
      delayMsEachWay: DELAY_MS,
      delayBy: 'delay-relay.py over TUN pairs (this kernel has no sch_netem)',
      db: 'one shared MariaDB, reached from each namespace through socat on 127.0.0.1:3306 (no delay)',
      serviceManager: 'systemd (stand-in systemctl/journalctl on the sessions PATH; the namespaces share a non-systemd PID 1)',
      runs: samples,
      sshCrypto: bindingAvailable ? 'native binding' : 'JavaScript fallback',
      cpus: cpus().length,
      loadBefore,
      tcpHandshakeMs: rtt,
      statusAll: Object.fromEntries(counts.map((n) => [n, sample(sets.full.byHosts[n]!)])),
      watchCheapSet: { ids: WATCH_IDS, ...Object.fromEntries(counts.map((n) => [n, sample(sets.cheap.byHosts[n]!)])) },
      ratioToOne: { statusAll: sets.full.ratio, watchCheapSet: sets.cheap.ratio },
      // The bot is one thread: its CPU for the N-host run bounds that run's wall time from below even if
      // every host answered at once. ÷ the fastest 1-host run (the least disturbed by other load): the best
      // ratio separate machines could give.
      botBoundRatio: round(full.cpu.botMs / Math.min(...sets.full.byHosts[Math.min(...counts)]!.samplesMs), 2),
      botCpuPerHostCheckMs: { fullWarm: perHost(full), fullCold: perHost(full, true), cheapWarm: perHost(cheap), cheapCold: perHost(cheap, true) },
      simulatedHostsCpuPerHostCheckMs: round(hostsCpuPerCheckMs, 2),
      relayCpuPerHostCheckMs: round(relayCpuPerCheckMs, 2),
      hostsPerReplica: {
        assumes: `the cheap set on every host every ${CYCLE_S} s over open connections; the full set only for failing hosts`,
        cheapSet: Math.floor((CORE_BUDGET * CYCLE_S * 1000) / cycleCpuMs),
        ifFullSetEveryCycle: Math.floor((CORE_BUDGET * CYCLE_S * 1000) / perHost(full)),
      },
    };
    const rows: Row[] = [
      [`netem fleet: TCP handshake to a host (${DELAY_MS} ms each way)`, `${rtt.medianMs} ms`, '≈ 20 ms', rtt.minMs >= 2 * DELAY_MS - 2 ? 'ok' : 'TOO SHORT'],
      ...(['full', 'cheap'] as const).flatMap((set): Row[] => {
        const label = set === 'full' ? 'status all' : 'watch cheap set';
        const ms = counts.map((n) => round(sets[set].byHosts[n]!.ms, 0)).join(' / ');
        const r = sets[set].ratio[max]!;
        return [
          [`netem fleet: ${label} warm, ${counts.join(' / ')} hosts`, `${ms} ms`, 'info', `ratios ${counts.map((n) => `${sets[set].ratio[n]}×`).join(' / ')}`],
          // ≈ 1: the run waited for nothing but CPU (this machine's 2 cores), not for the network.
          [
            `netem fleet: ${label}, wall ÷ the ${cores}-core floor (machine CPU ÷ cores)`,
            counts.map((n) => floorRatio(sets[set].byHosts[n]!)).join(' / '),
            'info',
            '',
          ],
          [`netem fleet: ${label} warm, ${max} hosts ÷ ${Math.min(...counts)} host`, `${r}×`, '≤ 2×', r <= 2 ? 'met' : 'MISSED'],
        ];
      }),
      [
        `netem fleet: bot CPU alone for ${max} hosts ÷ 1-host wall (floor on separate machines)`,
        `${json.botBoundRatio}×`,
        '≤ 2×',
        json.botBoundRatio <= 2 ? 'met' : 'MISSED',
      ],
      [
        'netem fleet: bot CPU per host-check, full warm / cold',
        `${json.botCpuPerHostCheckMs.fullWarm} / ${json.botCpuPerHostCheckMs.fullCold} ms`,
        'info',
        `cheap set warm ${json.botCpuPerHostCheckMs.cheapWarm} ms`,
      ],
      [
        `netem fleet: hosts per replica, cheap set every ${CYCLE_S} s, < ${CORE_BUDGET} core`,
        String(json.hostsPerReplica.cheapSet),
        'info',
        `full set: ${json.hostsPerReplica.ifFullSetEveryCycle}`,
      ],
      [
        'netem fleet: CPU per host-check, simulated hosts / relay',
        `${json.simulatedHostsCpuPerHostCheckMs} / ${json.relayCpuPerHostCheckMs} ms`,
        'info',
        'not the bot’s',
      ],
    ];
    return { json, rows };
  } finally {
    await fleet.stop();
  }
}

const cores = cpus().length;
const floorRatio = (s: FleetSample): number => round(s.ms / (s.cpu.machineMs / cores), 2);

function sample(s: FleetSample) {
  return {
    ms: round(s.ms),
    minMs: round(Math.min(...s.samplesMs)),
    wallOverCpuFloor: floorRatio(s),
    botCpuMs: round(s.cpu.botMs),
    machineCpuMs: round(s.cpu.machineMs),
    coldMs: round(s.cold.ms),
    coldBotCpuMs: round(s.cold.cpu.botMs),
  };
}

export function printRows(rows: readonly Row[]): void {
  const w = [Math.max(...rows.map((x) => x[0].length)), Math.max(16, ...rows.map((x) => x[1].length)), 9];
  process.stdout.write(`\n${'measure'.padEnd(w[0]!)}  ${'measured'.padEnd(w[1]!)}  ${'target'.padEnd(w[2]!)}  result\n`);
  for (const x of rows) process.stdout.write(`${x[0].padEnd(w[0]!)}  ${x[1].padEnd(w[1]!)}  ${x[2].padEnd(w[2]!)}  ${x[3]}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const counts = (process.env.BENCH_NETEM_HOSTS ?? '1,10,50').split(',').map(Number);
  if (!counts.length || counts.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`BENCH_NETEM_HOSTS must be host counts like 1,10,50, got ${process.env.BENCH_NETEM_HOSTS}`);
  const say = (s: string): void => void process.stderr.write(`${s}\n`);
  const { json, rows } = await benchFleetNetem(counts, say, createLogger({ level: 'silent' }), Number(process.env.BENCH_NETEM_RUNS ?? 5));
  printRows(rows);
  process.stdout.write(`\n${JSON.stringify(json, null, 2)}\n`);
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', 'fleet-netem.json'), `${JSON.stringify({ at: new Date().toISOString(), ...json }, null, 2)}\n`);
}
