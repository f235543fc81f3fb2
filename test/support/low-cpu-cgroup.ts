/**
 * A lowest-weight CPU cgroup for simulated hosts (cgroup v1 cpu.shares=2, v2 cpu.weight=1): they
 * still use every idle cycle, but the bot runs first whenever both want a CPU, which is what
 * separate machines amount to on the bot's side (bench/host-cpu-share.ts says why renicing is not
 * enough). Processes start inside it through `enter`, so an SSH session forked later inherits it
 * without a race. usageMs() is everything in it together (cpuacct): the hosts' share of the work.
 *
 * destroy() moves whatever is still inside back to the root and removes the directories; its
 * emergency hook does the same on Ctrl-C. Create it before the processes that enter it: emergency
 * hooks run newest first, so theirs (kill) run before this one (rmdir).
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { registerEmergencyCleanup } from './emergency.js';

export interface LowCpuCgroup {
  /** Prefix that runs a command inside the cgroup. */
  enter: readonly string[];
  /** CPU used by its processes so far, in ms. */
  usageMs(): number;
  /** Moves a running process in (all its threads; not its existing children). */
  adopt(pid: number): void;
  /**
   * Runs fn at the default weight: starting 50 hosts (sshd's first handshake, Flask's imports) at the lowest
   * weight on a busy machine takes longer than their start timeouts allow.
   */
  atNormalWeight<T>(fn: () => Promise<T>): Promise<T>;
  destroy(): void;
}

interface Layout {
  dirs: string[];
  setup(low: boolean): void;
  usageMs(): number;
}

function layout(name: string): Layout | undefined {
  if (existsSync('/sys/fs/cgroup/cpu/cpu.shares') && existsSync('/sys/fs/cgroup/cpuacct/cpuacct.usage')) {
    const cpu = `/sys/fs/cgroup/cpu/${name}`;
    const acct = `/sys/fs/cgroup/cpuacct/${name}`;
    return {
      dirs: [cpu, acct],
      setup: (low) => writeFileSync(`${cpu}/cpu.shares`, low ? '2' : '1024'),
      usageMs: () => Number(readFileSync(`${acct}/cpuacct.usage`, 'utf8')) / 1e6,
    };
  }
  if (existsSync('/sys/fs/cgroup/cgroup.controllers')) {
    const dir = `/sys/fs/cgroup/${name}`;
    return {
      dirs: [dir],
      setup: (low) => writeFileSync(`${dir}/cpu.weight`, low ? '1' : '100'),
      usageMs: () => Number(/usage_usec (\d+)/.exec(readFileSync(`${dir}/cpu.stat`, 'utf8'))?.[1] ?? 0) / 1000,
    };
  }
  return undefined;
}

function emptyAndRemove(dir: string): void {
  if (!existsSync(dir)) return;
  const parent = `${dir.slice(0, dir.lastIndexOf('/'))}/cgroup.procs`;
  for (const pid of readFileSync(`${dir}/cgroup.procs`, 'utf8').split('\n').filter(Boolean)) {
    try {
      writeFileSync(parent, pid);
    } catch {
      // Exited in between: nothing left to move.
    }
  }
  rmdirSync(dir);
}

/** Needs root and a cpu controller (v1 with cpuacct, or v2); throws saying which is missing. */
export function createLowCpuCgroup(name: string): LowCpuCgroup {
  const l = layout(name);
  if (!l) throw new Error('no cgroup v1 cpu+cpuacct and no cgroup v2 under /sys/fs/cgroup: cannot give the simulated hosts a low CPU weight');
  const destroy = (): void => {
    for (const d of l.dirs) emptyAndRemove(d);
  };
  const unregister = registerEmergencyCleanup(`cgroup ${name}`, destroy);
  try {
    for (const d of l.dirs) mkdirSync(d);
    l.setup(true);
  } catch (err) {
    destroy();
    unregister();
    throw new Error(`cannot make the CPU cgroup ${name} (${(err as Error).message}): run as root`);
  }
  // `ip netns exec` remounts /sys, so the move must happen before it: this prefix comes first.
  const join = l.dirs.map((d) => `echo $$ > ${d}/cgroup.procs`).join(' && ');
  return {
    enter: ['sh', '-c', `${join} && exec "$@"`, 'sh'],
    usageMs: l.usageMs,
    atNormalWeight: async (fn) => {
      l.setup(false);
      try {
        return await fn();
      } finally {
        l.setup(true);
      }
    },
    adopt: (pid) => {
      for (const d of l.dirs) writeFileSync(`${d}/cgroup.procs`, String(pid));
    },
    destroy: () => {
      destroy();
      unregister();
    },
  };
}
