import { readdirSync, readlinkSync } from 'node:fs';
import type { Config } from '../src/config/types.js';
import { silentLog } from '../src/log/run-log.js';
import type { SshTransport } from '../src/remote/ssh-transport.js';
import type { TransportPool } from '../src/remote/transport-pool.js';
import { Store } from '../src/store/store.js';
import { runCycle } from '../src/watch/watch-cycle.js';

interface Resources {
  rssMb: number;
  heapMb: number;
  fds: number;
  sockets: number;
  sshFreeChannels: number;
  sshConnects: number;
}

function resources(t: SshTransport): Resources {
  (globalThis as { gc?: () => void }).gc?.();
  const fds = readdirSync('/proc/self/fd');
  const sockets = fds.filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:');
    } catch {
      return false; // closed between readdir and readlink
    }
  }).length;
  const m = process.memoryUsage();
  return { rssMb: m.rss / 2 ** 20, heapMb: m.heapUsed / 2 ** 20, fds: fds.length, sockets, sshFreeChannels: t.freeChannels, sshConnects: t.connects };
}

/**
 * N watcher cycles against the real test host, no Slack, a minute apart on the bot's clock (10,000
 * cycles ≈ one week of production): does the bot leak what it watches for?
 * Compared after a warm-up (caches, JIT, the SQLite page cache) and at the end.
 */
export async function soak(config: Config, pool: TransportPool, storePath: string, cycles: number, onProgress: (done: number) => void) {
  const store = new Store(storePath);
  // The watcher runs once a minute; the soak runs its cycles back to back, so its clock steps a
  // minute per cycle. With the real clock 10,000 cycles fit in minutes, every RSS sample stayed
  // inside the memory-growth window and each cycle read back thousands of them: the soak measured
  // its own compressed time (RSS +5 % in one run), not a week of production.
  let simulated = Date.now();
  const deps = { config, store, transportFor: (h: Config['hosts'][number]) => pool.get(h), log: silentLog, clock: () => simulated, poster: undefined };
  const transport = pool.get(config.hosts[0]!) as SshTransport;
  const warmup = Math.min(500, Math.floor(cycles / 10));
  const t0 = performance.now();
  let after: Resources | undefined;
  // RSS and heap every tenth of the run: a leak climbs steadily, allocator noise does not.
  const trend: { cycle: number; rssMb: number; heapMb: number }[] = [];
  const every = Math.max(1, Math.floor(cycles / 10));
  for (let i = 0; i < cycles; i++) {
    await runCycle(deps);
    simulated += 60_000;
    if (i + 1 === warmup) after = resources(transport);
    if ((i + 1) % every === 0) {
      const r = resources(transport);
      trend.push({ cycle: i + 1, rssMb: Math.round(r.rssMb * 10) / 10, heapMb: Math.round(r.heapMb * 10) / 10 });
    }
    if ((i + 1) % 500 === 0) onProgress(i + 1);
  }
  const end = resources(transport);
  await store.close();
  const start = after ?? end;
  return {
    cycles,
    warmup,
    msPerCycle: (performance.now() - t0) / cycles,
    afterWarmup: start,
    end,
    trend,
    rssGrowthPercent: ((end.rssMb - start.rssMb) / start.rssMb) * 100,
  };
}
