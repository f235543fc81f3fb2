import { readFileSync } from 'node:fs';

/*
 * Where the CPU went during a measurement: the whole machine (from /proc/stat) and this process.
 * The simulated hosts share the bot's machine, so "machine − bot" is the hosts' own work, and
 * (machine CPU ÷ cores) is the shortest wall time the machine could have taken for it.
 */
const TICK_MS = 10; // USER_HZ is 100 on Linux

function machineBusyMs(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy = all but idle and iowait
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
  return (user + nice + system + irq + softirq + steal) * TICK_MS;
}

export interface CpuSpent {
  machineMs: number;
  botMs: number;
}

export async function withCpu<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; cpu: CpuSpent }> {
  const m0 = machineBusyMs();
  const b0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const b = process.cpuUsage(b0);
  return { value, ms, cpu: { machineMs: machineBusyMs() - m0, botMs: (b.user + b.system) / 1000 } };
}
