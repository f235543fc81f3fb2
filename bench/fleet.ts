import type { Logger } from 'pino';
import { CHECK_IDS, type CheckId } from '../src/checks/check-types.js';
import type { Config } from '../src/config/types.js';
import { botServices } from '../src/app/bot-services.js';
import type { HostReport } from '../src/engine/host-report.js';
import { TransportPool } from '../src/remote/transport-pool.js';
import { withCpu, type CpuSpent } from './cpu.js';
import { median } from './stats.js';

export interface FleetSample {
  hosts: number;
  ms: number;
  cpu: CpuSpent;
  /** Every warm run's wall time, in order (the median is `ms`). */
  samplesMs: number[];
  /** The first run, which opened the connections (handshakes included). */
  cold: { ms: number; cpu: CpuSpent };
  /** Checks that failed or could not run, over every run, as `host check: summary`: timing them would time error paths. */
  broken: string[];
}

const brokenChecks = (reports: readonly HostReport[]): string[] =>
  reports.flatMap((r) => r.checks.filter((c) => c.status === 'fail' || c.status === 'unknown').map((c) => `${r.name} ${c.id}: ${c.summary}`));

/**
 * `status all` over a config's hosts with the connections already open (the running bot's case):
 * the median of `samples` runs, with the CPU that run cost the bot and the whole machine; also the
 * first run, which connects. `ids`: the checks to run (all of them, as `status all` does).
 */
export async function fleetStatus(config: Config, log: Logger, samples = 3, ids: readonly CheckId[] = CHECK_IDS): Promise<FleetSample> {
  const pool = new TransportPool(log);
  const services = botServices({ config, transportFor: (h) => pool.get(h), clock: Date.now, log });
  try {
    const first = await withCpu(() => services.checkHosts(config.hosts, ids)); // connects
    const runs: { value: HostReport[]; ms: number; cpu: CpuSpent }[] = [];
    for (let i = 0; i < samples; i++) runs.push(await withCpu(() => services.checkHosts(config.hosts, ids)));
    const mid = runs.find((r) => r.ms === median(runs.map((x) => x.ms)))!;
    const broken = [first, ...runs].flatMap((r) => brokenChecks(r.value));
    return { hosts: config.hosts.length, ms: mid.ms, cpu: mid.cpu, samplesMs: runs.map((r) => r.ms), cold: { ms: first.ms, cpu: first.cpu }, broken };
  } finally {
    await pool.closeAll();
  }
}
