/** One process the OOM killer (the kernel's, or systemd-oomd) killed. */
export interface OomKill {
  readonly pid: number | null;
  /** The victim's command name as the kernel writes it (15 characters at most), or the cgroup's last part. */
  readonly name: string;
  /** A cgroup's limit ran out (MemoryMax=, a container's memory limit), not the host's memory. */
  readonly memcg: boolean;
  /** The victim's cgroup when the kernel names it (task_memcg=/system.slice/moneymind.service). */
  readonly cgroup: string | null;
  readonly by: 'kernel' | 'systemd-oomd';
  readonly atMs: number | null;
  /** The line that names the victim, for evidence. */
  readonly line: string;
}

export interface KernelLine {
  readonly atMs: number | null;
  readonly text: string;
}

/*
 * Every wording of a kill, newest kernels first (test/fixtures/kernel/, test/fixtures/published/):
 *   Memory cgroup out of memory: Killed process 4242 (python3) total-vm:…, anon-rss:…   (a cgroup's limit)
 *   Out of memory: Killed process 4242 (python3) total-vm:…                              (the host's memory, 5.x+)
 *   Out of memory: Kill process 4242 (python3) score 912 or sacrifice child              (older kernels; then
 *   Killed process 4242 (python3) total-vm:…                                              on its own line)
 *   oom-kill:constraint=CONSTRAINT_MEMCG,…,task_memcg=/system.slice/moneymind.service,task=python3,pid=4242,uid=998
 *   Killed process 11726, UID 498, (mysqld) total-vm:…                                  (RHEL 6)
 *   systemd-oomd[512]: Killed /system.slice/moneymind.service due to memory pressure for /system.slice being …
 */
// The name is what the kernel put between the parentheses; it may hold some itself: "((resolved))".
const KILL = /(Memory cgroup out of memory|Out of memory)(?: \([\w ]+\))?: Kill(?:ed)? process (\d+),? (?:UID \d+, )?\((.+?)\)(?=[ ,]|$)/;
// RHEL 6 wrote "Killed process 11726, UID 498, (mysqld) total-vm:…".
const KILLED = /\bKilled process (\d+),? (?:UID \d+, )?\((.+?)\)(?=[ ,]|$)/;
const OOM_KILL_INFO = /oom-kill:(constraint=[^\s]*)/;
// systemd-oomd 252 says "Killed /…", newer ones "Marked /… for killing".
const OOMD = /(?:Killed|Marked) (\/\S+) (?:for killing )?due to memory (?:pressure|used)/;

/** Pure: kernel (and systemd-oomd) lines → one kill per victim. */
export function parseOomKills(lines: readonly KernelLine[]): OomKill[] {
  const byPid = new Map<number, { name: string; memcg: boolean; cgroup: string | null; atMs: number | null; line: string }>();
  const oomd: OomKill[] = [];
  const get = (pid: number, name: string, l: KernelLine) => {
    let k = byPid.get(pid);
    if (!k) {
      k = { name, memcg: false, cgroup: null, atMs: l.atMs, line: clean(l.text) };
      byPid.set(pid, k);
    }
    return k;
  };
  for (const l of lines) {
    const kill = KILL.exec(l.text);
    if (kill) {
      const k = get(Number(kill[2]), kill[3] as string, l);
      if (kill[1] === 'Memory cgroup out of memory') k.memcg = true;
      if (/Killed process/.test(l.text)) k.line = clean(l.text);
      continue;
    }
    const killed = KILLED.exec(l.text);
    if (killed) {
      const k = get(Number(killed[1]), killed[2] as string, l);
      k.line = clean(l.text);
      continue;
    }
    const info = OOM_KILL_INFO.exec(l.text);
    if (info) {
      const f = fields(info[1] as string);
      const pid = Number(f.get('pid'));
      if (!Number.isInteger(pid) || !f.get('task')) continue;
      const k = get(pid, f.get('task') as string, l);
      if (f.get('constraint') === 'CONSTRAINT_MEMCG') k.memcg = true;
      k.cgroup = f.get('task_memcg') ?? k.cgroup;
      continue;
    }
    const o = OOMD.exec(l.text);
    if (o) {
      const cgroup = o[1] as string;
      oomd.push({ pid: null, name: cgroup.split('/').pop() ?? cgroup, memcg: false, cgroup, by: 'systemd-oomd', atMs: l.atMs, line: clean(l.text) });
    }
  }
  const kernel = [...byPid].map(([pid, k]): OomKill => ({ pid, ...k, by: 'kernel' }));
  return [...kernel, ...oomd];
}

/** "constraint=CONSTRAINT_MEMCG,nodemask=(null),…,task=python3,pid=4242,uid=0" → its fields. */
function fields(s: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of s.split(',')) {
    const i = part.indexOf('=');
    if (i > 0) out.set(part.slice(0, i), part.slice(i + 1));
  }
  return out;
}

/** The kernel line without syslog's or dmesg's prefix: from "Out of memory"/"Memory cgroup"/"Killed". */
function clean(text: string): string {
  const i = text.search(/Memory cgroup out of memory|Out of memory|Killed /);
  return (i >= 0 ? text.slice(i) : text).trim().slice(0, 300);
}
