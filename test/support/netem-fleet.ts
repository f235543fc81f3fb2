/**
 * N simulated hosts, each in its own delayed network namespace (delayed-netns.ts) with its own
 * sshd and stand-in app (netem-host.ts), every host process in one lowest-weight CPU cgroup
 * (low-cpu-cgroup.ts). With `withDb`, one MariaDB for all of them (moved into that cgroup too),
 * reached from each namespace's 127.0.0.1:3306 without the delay: 50 MariaDBs would cost ~50 × 100
 * MB and start slowly, and the bot's side of a DB check (a tunnel, a MySQL handshake, three
 * queries) does not depend on whose server answers.
 *
 * stop() undoes everything in reverse; each piece also has an emergency hook for Ctrl-C.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createDelayedNetwork, type DelayedNetwork } from './delayed-netns.js';
import { createLowCpuCgroup, type LowCpuCgroup } from './low-cpu-cgroup.js';
import { startMariadb, type MariadbHandle } from './mariadb.js';
import { startNetemHost, type NetemHost } from './netem-host.js';
import { exportMysqlPassword } from './test-host.js';
import { ensureTestUser } from './test-user.js';

export interface NetemFleet {
  hosts: readonly NetemHost[];
  net: DelayedNetwork;
  cgroup: LowCpuCgroup;
  db: MariadbHandle | undefined;
  /** The environment the bot's config needs (the monitor password's env var). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

let fleets = 0;
const START_WIDTH = 8; // hosts started at once: each start is mostly the app importing Flask

/** mariadbd's pid, found by the socket path on its command line (the handle does not keep it). */
function mariadbPid(db: MariadbHandle): number | undefined {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(`--socket=${db.socket}`)) return Number(name);
    } catch {
      // Exited while we looked.
    }
  }
  return undefined;
}

export async function netemFleet(count: number, opts: { delayMs: number; withDb?: boolean; say?: (s: string) => void }): Promise<NetemFleet> {
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const s of stops.splice(0).reverse()) await s().catch((e: unknown) => errors.push(e));
    if (errors.length) throw new AggregateError(errors, 'stopping the netem fleet failed');
  };
  try {
    const user = await ensureTestUser();
    const cgroup = createLowCpuCgroup(`mm-netem-${process.pid}-${fleets++}`);
    stops.push(async () => cgroup.destroy());
    let db: MariadbHandle | undefined;
    if (opts.withDb) {
      const started = await startMariadb();
      db = started;
      stops.push(() => started.destroy());
      const pid = mariadbPid(started);
      if (pid) cgroup.adopt(pid);
    }
    const env = exportMysqlPassword(db, stops);
    const net = await createDelayedNetwork(count, { delayMs: opts.delayMs });
    stops.push(() => net.destroy());
    const hosts: NetemHost[] = [];
    stops.push(async () => {
      const results = await Promise.allSettled(hosts.map((h) => h.stop()));
      const failed = results.filter((r) => r.status === 'rejected');
      if (failed.length)
        throw new AggregateError(
          failed.map((r) => r.reason),
          `${failed.length} netem hosts did not stop cleanly`,
        );
    });
    await cgroup.atNormalWeight(async () => {
      for (let i = 0; i < count; i += START_WIDTH) {
        const batch = net.hosts.slice(i, i + START_WIDTH);
        const started = await Promise.allSettled(
          batch.map((ns, k) => startNetemHost(ns, { user, cgroupEnter: cgroup.enter, db, id: `netem-${String(i + k + 1).padStart(4, '0')}` })),
        );
        for (const r of started) if (r.status === 'fulfilled') hosts.push(r.value);
        const failed = started.find((r) => r.status === 'rejected');
        if (failed) throw failed.reason;
        opts.say?.(`  ${hosts.length}/${count} hosts up`);
      }
    });
    return { hosts, net, cgroup, db, env, stop: stopAll };
  } catch (err) {
    await stopAll().catch((e: Error) => process.stderr.write(`[harness] cleanup after a failed fleet start: ${e.message}\n`));
    throw err;
  }
}
