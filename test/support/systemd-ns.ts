/**
 * A real systemd, as PID 1 of its own pid/mount/cgroup/uts/ipc namespaces, for tests of the
 * systemd side of the bot (`systemctl show`, `journalctl -u`, `sudo systemctl restart`). The
 * machine's PID 1 is not systemd, so without this nothing systemd-shaped could run for real.
 *
 * The network namespace is shared: units listen on 127.0.0.1 like any test server. Inside, /run,
 * /dev and the cgroup mounts are private; /etc/systemd/system and the generators are hidden so only
 * the units given here (plus journald and dbus, which `systemctl show` as a non-root user and
 * `journalctl` need) start. Everything early-boot that would touch the shared root filesystem
 * (tmpfiles' `D /tmp`, sysctl, remount-fs, udev, getty, logind) is masked. Stopping it powers the
 * namespace off; killing its PID 1 kills everything in it.
 */
import { mkdirSync, readFileSync, rmdirSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { registerEmergencyCleanup } from './emergency.js';
import { isAlive, killTreeSync, run, spawnDaemon, tail, terminateTree, waitUntil, type Daemon } from './proc.js';
import { makeTempDir, removeDir } from './tmp.js';

export interface SystemdNs {
  /** systemd's pid as seen from outside. */
  pid: number;
  /** Prefix that runs a command inside: `nsenter -t PID -m -p --`. */
  enter: readonly string[];
  dir: string;
  /** `systemctl ARGS` as root inside. */
  systemctl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

export interface SystemdNsOptions {
  /** Unit files by name, e.g. { 'moneymind.service': '…' }; all are wanted by the test target. */
  units: Record<string, string>;
  /** Users to add to groups inside (a private copy of /etc/group), e.g. { 'systemd-journal': ['mmtest'] }. */
  groupMembers?: Record<string, string[]>;
}

const TARGET = 'mm-test.target';
// Node knows no real-time signal names; SIGRTMIN is 34 with glibc on Linux.
const SIGRTMIN_PLUS_4 = 38;
const CGROUP_HIERARCHIES = ['systemd', 'unified'] as const;

/** Can this machine run it? (root, a systemd binary, the hybrid cgroup mounts systemd 252 uses here). */
export function systemdNsSupported(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root';
  if (!existsSync('/lib/systemd/systemd')) return 'no /lib/systemd/systemd';
  for (const h of CGROUP_HIERARCHIES) if (!existsSync(`/sys/fs/cgroup/${h}/cgroup.procs`)) return `no /sys/fs/cgroup/${h}`;
  return undefined;
}

function groupFile(members: Record<string, string[]>): string {
  return readFileSync('/etc/group', 'utf8')
    .split('\n')
    .map((line) => {
      const [name, pw, gid, list = ''] = line.split(':');
      const add = name ? members[name] : undefined;
      if (!add || gid === undefined) return line;
      const all = [...new Set([...list.split(',').filter(Boolean), ...add])];
      return `${name}:${pw}:${gid}:${all.join(',')}`;
    })
    .join('\n');
}

/** The script that runs as PID 1 of the new namespaces, then execs systemd. */
function innerScript(dir: string): string {
  return `#!/bin/bash
set -euo pipefail
D=${dir}
mount --make-rprivate /
# /run first: libmount would otherwise create /run/mount on the machine's own /run.
mount -n -t tmpfs -o mode=755,nosuid,nodev tmpfs /run
mount -t proc -o nosuid,nodev,noexec proc /proc
for p in /proc/sys /proc/sysrq-trigger; do [ -e $p ] || continue; mount --bind $p $p; mount -o remount,bind,ro $p; done
mount --bind /sys /sys; mount -o remount,bind,ro,nosuid,nodev,noexec /sys
# Private cgroup mounts; the cgroup namespace roots them at this instance's own directory.
mount -t tmpfs -o mode=755,nosuid,nodev,noexec tmpfs /sys/fs/cgroup
mkdir /sys/fs/cgroup/systemd /sys/fs/cgroup/unified
mount -t cgroup -o nosuid,nodev,noexec,none,name=systemd cgroup /sys/fs/cgroup/systemd
mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 /sys/fs/cgroup/unified
for c in cpu cpuacct cpuset memory devices freezer blkio pids; do
  [ -d /sys/fs/cgroup/$c ] || mkdir /sys/fs/cgroup/$c
  mount -t cgroup -o nosuid,nodev,noexec,$c cgroup /sys/fs/cgroup/$c 2>/dev/null || continue
  # systemd must not create cgroups in the machine's v1 controllers (the memory one is the VM agent's).
  mount -o remount,bind,ro,nosuid,nodev,noexec /sys/fs/cgroup/$c
done
mount -o remount,ro,nosuid,nodev,noexec /sys/fs/cgroup
# Private /dev: /dev/log and the console stay out of the machine's devtmpfs.
mount -t tmpfs -o mode=755,nosuid tmpfs /dev
mknod -m 666 /dev/null c 1 3; mknod -m 666 /dev/zero c 1 5; mknod -m 666 /dev/full c 1 7
mknod -m 666 /dev/random c 1 8; mknod -m 666 /dev/urandom c 1 9; mknod -m 666 /dev/tty c 5 0
mkdir /dev/pts /dev/shm /dev/mqueue
mount -t devpts -o newinstance,ptmxmode=0666,mode=620,gid=5,nosuid,noexec devpts /dev/pts
ln -s pts/ptmx /dev/ptmx; ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin; ln -s /proc/self/fd/1 /dev/stdout; ln -s /proc/self/fd/2 /dev/stderr
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm
: > $D/console.log; touch /dev/console; mount --bind $D/console.log /dev/console
mkdir -p /run/lock /run/sshd /run/systemd/system /run/systemd/journald.conf.d /run/log/journal/$(cat /etc/machine-id)
systemd-tmpfiles --create --prefix=/run/log/journal
mount -t tmpfs -o mode=755 tmpfs /etc/systemd/system
mount -t tmpfs -o mode=755 tmpfs /lib/systemd/system-generators
mount --bind $D/group /etc/group
cp -a $D/units/. /run/systemd/system/
printf '[Journal]\\nStorage=volatile\\nReadKMsg=no\\nForwardToConsole=no\\nForwardToWall=no\\nForwardToSyslog=no\\n' > /run/systemd/journald.conf.d/mm-test.conf
for u in $(ls /lib/systemd/system/sysinit.target.wants/ /lib/systemd/system/sockets.target.wants/ \\
           /lib/systemd/system/timers.target.wants/ /lib/systemd/system/multi-user.target.wants/ \\
           /lib/systemd/system/getty.target.wants/ 2>/dev/null \\
           | grep -Ev '^(/|$)|^systemd-journald(\\.service|\\.socket|-dev-log\\.socket)$|^dbus\\.(service|socket)$'); do
  ln -sf /dev/null /run/systemd/system/$u
done
for u in systemd-tmpfiles-clean.service systemd-remount-fs.service systemd-logind.service getty@.service \\
         console-getty.service systemd-udevd.service systemd-journald-audit.socket; do
  ln -sf /dev/null /run/systemd/system/$u
done
exec env -i container=mm-test TERM=dumb PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \\
  /lib/systemd/systemd --system --unit=${TARGET} --log-target=journal --show-status=no
`;
}

function removeCgroups(name: string): void {
  for (const h of CGROUP_HIERARCHIES) {
    const root = `/sys/fs/cgroup/${h}/${name}`;
    const walk = (d: string): void => {
      if (!existsSync(d)) return;
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(join(d, e.name));
      try {
        rmdirSync(d);
      } catch {
        // Still populated for a moment after PID 1 died; a later stop() or the next run removes it.
      }
    };
    walk(root);
  }
}

export async function startSystemdNs(opts: SystemdNsOptions): Promise<SystemdNs> {
  const why = systemdNsSupported();
  if (why) throw new Error(`cannot start a systemd namespace here: ${why}`);
  const dir = makeTempDir('systemd');
  const name = `mm-test-${process.pid}-${Date.now()}`;
  mkdirSync(join(dir, 'units'));
  const wants = Object.keys(opts.units);
  for (const [unit, text] of Object.entries(opts.units)) writeFileSync(join(dir, 'units', unit), text);
  writeFileSync(
    join(dir, 'units', TARGET),
    `[Unit]\nDescription=moneymind tests\nDefaultDependencies=no\n` +
      `Wants=systemd-journald.socket systemd-journald-dev-log.socket systemd-journald.service dbus.socket dbus.service ${wants.join(' ')}\n`,
  );
  // dbus would otherwise pull in sysinit.target (masked away here) and never start.
  for (const u of ['dbus.service', 'dbus.socket']) {
    mkdirSync(join(dir, 'units', `${u}.d`));
    writeFileSync(join(dir, 'units', `${u}.d`, 'mm-test.conf'), '[Unit]\nDefaultDependencies=no\n');
  }
  writeFileSync(join(dir, 'group'), groupFile(opts.groupMembers ?? {}));
  writeFileSync(join(dir, 'inner.sh'), innerScript(dir), { mode: 0o755 });
  for (const h of CGROUP_HIERARCHIES) mkdirSync(`/sys/fs/cgroup/${h}/${name}`, { recursive: true });
  // The outer shell joins this instance's cgroups, then unshare makes that the namespace's root.
  const outer =
    `for h in ${CGROUP_HIERARCHIES.join(' ')}; do echo $$ > /sys/fs/cgroup/$h/${name}/cgroup.procs; done; ` +
    `exec unshare --pid --fork --mount --propagation private --cgroup --uts --ipc ${join(dir, 'inner.sh')}`;
  const log = join(dir, 'unshare.log');
  let daemon: Daemon | undefined;
  let pid = 0;
  const unregister = registerEmergencyCleanup(`systemd namespace in ${dir}`, () => {
    if (daemon && !daemon.exited) killTreeSync(daemon.pid);
    removeCgroups(name);
    removeDir(dir);
  });
  const enter = (): string[] => ['nsenter', '-t', String(pid), '-m', '-p', '--'];
  const systemctl = async (...args: string[]) => {
    const [cmd, ...rest] = [...enter(), 'systemctl', ...args];
    const r = await run(cmd as string, rest, { timeoutMs: 30_000 });
    return { code: r.code, stdout: r.stdout, stderr: r.stderr };
  };
  const stop = async (): Promise<void> => {
    const d = daemon;
    if (d && !d.exited && isAlive(d.pid)) {
      // SIGRTMIN+4 is systemd's "poweroff": units stop in order. Killing PID 1 ends the rest.
      if (pid && isAlive(pid)) process.kill(pid, SIGRTMIN_PLUS_4);
      try {
        await waitUntil('systemd to power off', async () => (!isAlive(pid) ? true : undefined), { timeoutMs: 10_000, intervalMs: 50 });
      } catch {
        if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      }
      await terminateTree(d.pid, { label: 'unshare', graceMs: 3000 });
    }
    daemon = undefined;
    removeCgroups(name);
    removeDir(dir);
    unregister();
  };
  try {
    daemon = await spawnDaemon('bash', ['-c', outer], log); // detached: its own session
    const started = daemon;
    await waitUntil(
      `systemd to reach ${TARGET}`,
      async () => {
        if (started.exited) throw new Error(`unshare exited (${started.exited.code ?? started.exited.signal}):\n${tail(log)}`);
        if (!pid) pid = findChild(started.pid, 'systemd') ?? 0;
        if (!pid) return undefined;
        const r = await systemctl('is-active', TARGET);
        return r.stdout.trim() === 'active' ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 50, describeFailure: () => `${tail(log)}\n${tail(join(dir, 'console.log'))}` },
    );
    return { pid, enter: enter(), dir, systemctl, stop };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}

/** The systemd below unshare (setsid → bash → unshare → systemd, after the execs). */
function findChild(root: number, comm: string): number | undefined {
  const queue = [root];
  while (queue.length) {
    const p = queue.shift() as number;
    let children: string;
    try {
      children = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const c of children.trim().split(/\s+/).filter(Boolean).map(Number)) {
      try {
        if (readFileSync(`/proc/${c}/comm`, 'utf8').trim() === comm) return c;
      } catch {
        continue;
      }
      queue.push(c);
    }
  }
  return undefined;
}
