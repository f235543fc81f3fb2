import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';

/*
 * The benchmark runs the bot and every simulated "host" (sshd and its sessions, MariaDB,
 * supervisord and the app) on one 2-core machine. In production the hosts' CPU is not the bot's.
 * Renicing is not enough: with the kernel's autogroup scheduling every SSH session (a new setsid
 * session) competes as its own group, nice or not, so 50 sessions starve the bot. Moving the host
 * processes into a CPU cgroup with the smallest weight does it: they still use every idle cycle,
 * but the bot runs first when both want a CPU. A latency measured then is the bot's own; the
 * benchmark reports both ways.
 */
function childrenByParent(): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited between readdir and read
    }
    // "pid (comm) S ppid …": comm may hold spaces and parentheses, so split after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = map.get(ppid) ?? [];
    list.push(Number(name));
    map.set(ppid, list);
  }
  return map;
}

/** Every descendant of `root` (not root itself). */
function descendants(root: number): number[] {
  const byParent = childrenByParent();
  const out: number[] = [];
  const queue = [...(byParent.get(root) ?? [])];
  while (queue.length) {
    const pid = queue.shift() as number;
    out.push(pid);
    queue.push(...(byParent.get(pid) ?? []));
  }
  return out;
}

interface CpuCgroup {
  dir: string;
  /** The weight file and its lowest value: cgroup v1 cpu.shares, v2 cpu.weight. */
  weight: [string, string];
  parentProcs: string;
}

function cpuCgroup(): CpuCgroup | undefined {
  const name = `moneymind-bench-hosts-${process.pid}`;
  if (existsSync('/sys/fs/cgroup/cpu/cpu.shares'))
    return { dir: `/sys/fs/cgroup/cpu/${name}`, weight: ['cpu.shares', '2'], parentProcs: '/sys/fs/cgroup/cpu/cgroup.procs' };
  if (existsSync('/sys/fs/cgroup/cgroup.controllers'))
    return { dir: `/sys/fs/cgroup/${name}`, weight: ['cpu.weight', '1'], parentProcs: '/sys/fs/cgroup/cgroup.procs' };
  return undefined;
}

function moveAll(pids: number[], procsFile: string): number {
  let moved = 0;
  for (const pid of pids) {
    try {
      writeFileSync(procsFile, String(pid));
      moved++;
    } catch {
      // Exited in between (a short SSH session), or a kernel thread: nothing to move.
    }
  }
  return moved;
}

/**
 * Puts every process below this one (the test host's daemons, their sessions and the app) into a
 * lowest-weight CPU cgroup; new sessions inherit it. Returns how many it moved and a function that
 * moves them back and removes the cgroup. Needs root and a cpu controller; else moves nothing.
 */
export function deprioritizeHosts(): { processes: number; restore: () => void } {
  const cg = cpuCgroup();
  if (!cg) return { processes: 0, restore: () => {} };
  try {
    mkdirSync(cg.dir);
    writeFileSync(`${cg.dir}/${cg.weight[0]}`, cg.weight[1]);
  } catch (err) {
    process.stderr.write(`cannot make a CPU cgroup for the hosts (${(err as Error).message}); they keep the bot's priority\n`);
    return { processes: 0, restore: () => {} };
  }
  const processes = moveAll(descendants(process.pid), `${cg.dir}/cgroup.procs`);
  return {
    processes,
    restore: () => {
      moveAll(descendants(process.pid), cg.parentProcs);
      try {
        rmdirSync(cg.dir);
      } catch (err) {
        process.stderr.write(`the bench cgroup ${cg.dir} is still in use (${(err as Error).message}); remove it with rmdir\n`);
      }
    },
  };
}
