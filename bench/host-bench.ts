import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { stringify } from 'yaml';
import { CHECK_IDS } from '../src/checks/check-types.js';
import { loadConfig } from '../src/config/load-config.js';
import type { Config } from '../src/config/types.js';
import { botServices } from '../src/app/bot-services.js';
import { TransportPool } from '../src/remote/transport-pool.js';
import { run } from '../test/support/proc.js';
import { fleetStatus, type FleetSample } from './fleet.js';
import { runbookBaseline, type BaselineTarget } from './runbook-baseline.js';
import { median, timed } from './stats.js';

export interface HostKind {
  /** "supervisor" or "systemd": how the test host runs the app. */
  label: string;
  target: BaselineTarget;
  env: Record<string, string>;
  hostEntry(name: string): Record<string, unknown>;
}

export interface HostKindResult {
  baselineMs: number;
  coldMs: number;
  warmMs: number;
  warmPerCheckMedianMs: Record<string, number>;
  fleet: Record<number, FleetSample>;
  /** The 1-host config, for the measurements that follow (acks, soak). */
  config1: Config;
  configFor(n: number): Config;
}

/**
 * One kind of host: the runbook typed by hand over ssh (3 runs), `moneymind status` cold (a new
 * process of the production build, 5 runs), warm (in a running bot, connection reused, 20 runs),
 * and `status all` over 1, 10 and 50 host entries pointing at it.
 */
export async function benchHostKind(kind: HostKind, dir: string, cliMain: string, say: (s: string) => void, log: Logger): Promise<HostKindResult> {
  const configFile = (n: number): string => {
    const p = join(dir, `${kind.label}-fleet-${n}.yml`);
    writeFileSync(
      p,
      stringify({
        hosts: Array.from({ length: n }, (_, i) => kind.hostEntry(`prod-${i + 1}`)),
        thresholds: { commandTimeout: '20s' },
        watch: { store: join(dir, `${kind.label}-store-${n}.db`) },
      }),
    );
    return p;
  };
  const configFor = (n: number): Config => loadConfig(kind.env, configFile(n));

  say(`[${kind.label}] runbook baseline: the runbook's commands over ssh, one by one…`);
  const baselines: number[] = [];
  for (let i = 0; i < 3; i++) {
    const b = await runbookBaseline(kind.target, dir);
    const failed = b.steps.filter((s) => s.code !== 0);
    if (failed.length) throw new Error(`runbook command failed: ${failed.map((s) => `${s.cmd} → ${s.code}`).join('; ')}`);
    baselines.push(b.totalMs);
  }

  say(`[${kind.label}] cold: a new CLI process per status (the production build)…`);
  const one = configFile(1);
  const cold: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = await timed(() =>
      run(process.execPath, [cliMain, 'status', 'prod-1', '--config', one], { env: { ...process.env, ...kind.env }, timeoutMs: 60_000 }),
    );
    if (t.value.code !== 0) throw new Error(`cold status failed: ${t.value.stdout}${t.value.stderr}`);
    cold.push(t.ms);
  }

  say(`[${kind.label}] warm: status inside the running bot (connection reused)…`);
  const config1 = loadConfig(kind.env, one);
  const pool = new TransportPool(log);
  const services = botServices({ config: config1, transportFor: (h) => pool.get(h), clock: Date.now, log });
  const warm: number[] = [];
  const perCheck: Record<string, number[]> = {};
  try {
    await services.checkHosts(config1.hosts, CHECK_IDS);
    for (let i = 0; i < 20; i++) {
      const t = await timed(() => services.checkHosts(config1.hosts, CHECK_IDS));
      warm.push(t.ms);
      for (const c of t.value[0]!.checks) {
        perCheck[c.id] = [...(perCheck[c.id] ?? []), c.durationMs];
      }
    }
  } finally {
    await pool.closeAll();
  }

  say(`[${kind.label}] fleet: status all over 1, 10 and 50 hosts…`);
  const fleet: Record<number, FleetSample> = {};
  for (const n of [1, 10, 50]) fleet[n] = await fleetStatus(configFor(n), log);

  return {
    baselineMs: median(baselines),
    coldMs: median(cold),
    warmMs: median(warm),
    warmPerCheckMedianMs: Object.fromEntries(Object.entries(perCheck).map(([k, v]) => [k, median(v)])),
    fleet,
    config1,
    configFor,
  };
}
