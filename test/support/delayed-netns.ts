/**
 * N network namespaces, each one "remote machine" `delayMs` away in each direction from the test
 * process (the root namespace): what `tc qdisc add dev … root netem delay` on both ends of a veth
 * pair would give. This kernel has no sch_netem (CONFIG_NET_SCH_NETEM is not set), so each
 * namespace hangs off a TUN pair whose packets delay-relay.py holds for `delayMs` each way: one
 * Python process for every namespace, in the root namespace, at the test's own CPU weight (the
 * wire must not wait for a CPU behind the simulated hosts). Its CPU is the network's, reported
 * apart by relayCpuMs().
 *
 * Addresses are point-to-point /32 pairs in a 10.X.0.0/16 that no route or address of this machine
 * uses (checked at start); the machine's own interfaces and default route are never touched.
 * destroy() ends the relay (the kernel then removes its TUN devices) and deletes the namespaces;
 * so does the emergency cleanup if the process dies first (Ctrl-C, a crash).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { registerEmergencyCleanup } from './emergency.js';
import { runOk, waitUntil } from './proc.js';

export interface DelayedNetNs {
  name: string;
  /** The namespace's address (where its servers listen). */
  inside: string;
  /** The root namespace's end of the link, as the namespace sees the test machine. */
  outside: string;
  /** Prefix that runs a command inside: `ip netns exec NAME`. */
  enter: readonly string[];
}

export interface DelayedNetwork {
  hosts: readonly DelayedNetNs[];
  delayMs: number;
  /** CPU the relay (the simulated wire) has used so far, user + system. */
  relayCpuMs(): number;
  destroy(): Promise<void>;
}

const RELAY = join(import.meta.dirname, 'delay-relay.py');
const PYTHON = '/usr/bin/python3';
let networks = 0;

const ipv4 = (a: string): number => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);

/** A 10.X.0.0/16 that overlaps no route or address of this machine, X picked from the pid onward. */
function freeSlash16(): number {
  const text = execFileSync('ip', ['-4', 'route', 'show', 'table', 'all'], { encoding: 'utf8' }) + execFileSync('ip', ['-4', 'addr'], { encoding: 'utf8' });
  // Every "a.b.c.d[/len]" in there (gateways too, harmlessly); "default" is a word, not a prefix.
  const nets = [...text.matchAll(/\b(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?/g)].map((m) => ({ at: ipv4(m[1]!), len: Number(m[2] ?? 32) }));
  // Two prefixes overlap when they agree on the shorter one's bits (ours is a /16).
  const overlaps = (x: number): boolean =>
    nets.some((n) => {
      const shift = 2 ** (32 - Math.min(n.len, 16));
      return Math.floor(n.at / shift) === Math.floor(ipv4(`10.${x}.0.0`) / shift);
    });
  for (let k = 0; k < 50; k++) {
    const x = 200 + ((process.pid + k) % 50);
    if (!overlaps(x)) return x;
  }
  throw new Error('no free 10.X.0.0/16 (X in 200..249) for the delayed namespaces: every one is routed on this machine');
}

function ticksMs(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in USER_HZ (100) ticks
  } catch {
    return 0; // exited
  }
}

export async function createDelayedNetwork(count: number, opts: { delayMs: number }): Promise<DelayedNetwork> {
  if (count < 1 || count > 16_384) throw new Error(`createDelayedNetwork: count ${count} is outside 1..16384`);
  const tag = `${process.pid % 100_000}n${networks++}`;
  const x = freeSlash16();
  const hosts = Array.from({ length: count }, (_, i): DelayedNetNs & { outer: string; inner: string } => {
    const base = `10.${x}.${Math.floor(i / 64)}`;
    const name = `mmd${tag}h${i}`;
    return {
      name,
      outside: `${base}.${(i % 64) * 4 + 1}`,
      inside: `${base}.${(i % 64) * 4 + 2}`,
      enter: ['ip', 'netns', 'exec', name],
      outer: `md${tag}o${i}`.slice(0, 15),
      inner: `md${tag}i${i}`.slice(0, 15),
    };
  });
  let relay: ChildProcess | undefined;
  const cleanupSync = (): void => {
    if (relay?.pid && relay.exitCode === null) relay.kill('SIGKILL');
    for (const h of hosts) {
      try {
        execFileSync('ip', ['netns', 'del', h.name], { stdio: 'ignore' });
      } catch {
        // Never made (a failed start) or already gone: nothing to undo.
      }
    }
  };
  const unregister = registerEmergencyCleanup(`delayed network ${tag}`, cleanupSync);
  try {
    const r = spawn(PYTHON, [RELAY, String(opts.delayMs), ...hosts.flatMap((h) => [h.outer, h.inner])], { stdio: ['ignore', 'pipe', 'pipe'] });
    relay = r;
    let said = '';
    r.stdout?.setEncoding('utf8').on('data', (d: string) => (said += d));
    r.stderr?.setEncoding('utf8').on('data', (d: string) => (said += d));
    await waitUntil(
      'the delay relay',
      async () => {
        if (r.exitCode !== null) throw new Error(`delay-relay.py exited ${r.exitCode}: ${said}`);
        return said.includes('ready') ? true : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    const root = hosts.flatMap((h) => [
      `netns add ${h.name}`,
      `link set ${h.inner} netns ${h.name}`,
      `addr add ${h.outside} peer ${h.inside} dev ${h.outer}`,
      `link set ${h.outer} up`,
    ]);
    await runOk('ip', ['-batch', '-'], { input: `${root.join('\n')}\n`, timeoutMs: 60_000 });
    for (const h of hosts) {
      const inside = [`addr add ${h.inside} peer ${h.outside} dev ${h.inner}`, `link set ${h.inner} up`, 'link set lo up'];
      await runOk('ip', ['-n', h.name, '-batch', '-'], { input: `${inside.join('\n')}\n` });
    }
    return {
      hosts: hosts.map(({ name, inside, outside, enter }) => ({ name, inside, outside, enter })),
      delayMs: opts.delayMs,
      relayCpuMs: () => (r.pid ? ticksMs(r.pid) : 0),
      destroy: async () => {
        const exited = new Promise((resolve) => (r.exitCode === null ? r.once('exit', resolve) : resolve(undefined)));
        r.kill('SIGTERM');
        await exited;
        cleanupSync();
        unregister();
      },
    };
  } catch (err) {
    cleanupSync();
    unregister();
    throw err;
  }
}

/** One TCP handshake's time from here to host:port (SYN → SYN-ACK: one round trip), in ms. */
export function tcpConnectMs(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const socket = connect({ host, port }, () => {
      resolve(performance.now() - t0);
      socket.destroy();
    });
    socket.setTimeout(5000, () => socket.destroy(new Error(`no TCP handshake with ${host}:${port} in 5 s`)));
    socket.once('error', reject);
  });
}
