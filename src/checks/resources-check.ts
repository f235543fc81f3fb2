import { formatDuration } from '../config/duration.js';
import type { Thresholds } from '../config/types.js';
import { PROBE_MARK, shq } from '../remote/shell-quote.js';
import type { Check, CheckOutcome, CheckStatus } from './check.js';
import { parseDf, type DiskUsage } from './parse-df.js';
import { parseLoadavg, parseMeminfo } from './parse-meminfo.js';
import { appProcesses, parsePs, PS_COMMAND, type ProcessInfo } from './parse-ps.js';
import { splitSections } from './sections.js';

export interface ResourcesDetails {
  readonly load: readonly [number, number, number] | null;
  readonly cores: number | null;
  readonly loadPerCore: number | null;
  readonly memTotalKb: number | null;
  readonly memAvailableKb: number | null;
  readonly memAvailablePercent: number | null;
  readonly swapUsedPercent: number | null;
  readonly disks: readonly (DiskUsage & { readonly path: string })[];
  readonly appProcesses: readonly ProcessInfo[];
  /** Sum over the app's processes: what memory-growth tracks over time. */
  readonly appRssKb: number | null;
  readonly topByMemory: readonly ProcessInfo[];
}

/**
 * One exec for the runbook's top / free -h / df -h / ps aux: fewer round trips, one channel.
 * Paths come from config and are quoted.
 */
export function resourcesProbeCommand(logFile: string): string {
  const logDir = logFile.slice(0, Math.max(1, logFile.lastIndexOf('/')));
  return [
    'echo @@loadavg; cat /proc/loadavg',
    'echo @@nproc; nproc 2>/dev/null || getconf _NPROCESSORS_ONLN',
    'echo @@meminfo; cat /proc/meminfo',
    `echo @@df; df -P / ${shq(logDir)} 2>/dev/null`,
    `echo @@ps; ${PS_COMMAND}`,
  ].join('; ');
}

export const resourcesCheck: Check<'resources', ResourcesDetails> = {
  id: 'resources',
  applies: () => true,
  async run({ host, thresholds, transport }) {
    const res = await transport.exec(resourcesProbeCommand(host.app.logFile), { timeoutMs: thresholds.commandTimeout, maxBytes: thresholds.maxOutputBytes });
    return evaluateResources(res.stdout, host.app.processMatch, host.app.logFile, thresholds, transport.selfPid);
  },
};

/** Pure: the sections → load, memory, swap, disk, the app's processes (runbook causes 2 and 4). */
export function evaluateResources(output: string, processMatch: string, logFile: string, t: Thresholds, selfPid?: number): CheckOutcome<ResourcesDetails> {
  const s = splitSections(output);
  const load = parseLoadavg(s.get('loadavg') ?? '');
  const coresRaw = Number.parseInt((s.get('nproc') ?? '').trim(), 10);
  const cores = Number.isInteger(coresRaw) && coresRaw > 0 ? coresRaw : null;
  const mem = parseMeminfo(s.get('meminfo') ?? '');
  const dfRows = parseDf(s.get('df') ?? '');
  const procs = parsePs(s.get('ps') ?? '');
  const app = appProcesses(procs, processMatch, PROBE_MARK, selfPid);
  const disks = dfRows.map((d, i) => ({ ...d, path: i === 0 ? '/' : logFile }));
  const memAvailablePercent = mem && mem.totalKb > 0 ? round1((mem.availableKb / mem.totalKb) * 100) : null;
  const swapUsedPercent = mem && mem.swapTotalKb > 0 ? round1(((mem.swapTotalKb - mem.swapFreeKb) / mem.swapTotalKb) * 100) : null;
  const details: ResourcesDetails = {
    load,
    cores,
    loadPerCore: load && cores ? round1(load[0] / cores) : null,
    memTotalKb: mem?.totalKb ?? null,
    memAvailableKb: mem?.availableKb ?? null,
    memAvailablePercent,
    swapUsedPercent,
    disks,
    appProcesses: app,
    appRssKb: app.length ? app.reduce((sum, p) => sum + p.rssKb, 0) : null,
    topByMemory: procs.filter((p) => !p.command.includes(PROBE_MARK)).slice(0, 5),
  };

  const evidence: string[] = [];
  let status: CheckStatus = 'ok';
  const worse = (to: CheckStatus, line: string): void => {
    evidence.push(line);
    if (to === 'fail' || status === 'ok') status = to;
  };
  if (memAvailablePercent !== null && memAvailablePercent < t.memAvailablePercent)
    worse('fail', `only ${memAvailablePercent} % memory available (threshold ${t.memAvailablePercent} %)`);
  if (swapUsedPercent !== null && swapUsedPercent >= t.swapUsedPercent) worse('warn', `swap ${swapUsedPercent} % used`);
  for (const d of disks) {
    if (d.usedPercent >= t.diskUsedPercent) worse('fail', `disk ${d.mount} ${d.usedPercent} % used (threshold ${t.diskUsedPercent} %)`);
  }
  if (details.loadPerCore !== null && details.loadPerCore >= t.loadPerCore)
    worse('warn', `load ${load?.[0]} on ${cores} cores (${details.loadPerCore} per core)`);
  if (!load && !mem && !dfRows.length && !procs.length) {
    // Nothing could be read at all: the probe did not run as meant, which says nothing about the host.
    return { status: 'unknown', summary: 'cannot read /proc/loadavg, /proc/meminfo, df or ps on the host', details, evidence: [] };
  }
  if (!load || !mem) worse('warn', 'could not read /proc/loadavg or /proc/meminfo');

  const parts = [
    load && cores ? `load ${load[0]}/${cores} cores` : 'load ?',
    memAvailablePercent === null ? 'mem ?' : `mem ${Math.round(memAvailablePercent)} % available`,
    ...disks.map((d) => `disk ${d.mount} ${d.usedPercent} %`),
  ];
  if (details.appRssKb !== null) {
    const oldest = Math.max(...app.map((p) => p.ageSec));
    parts.push(`app ${Math.round(details.appRssKb / 1024)} MB RSS, ${app.reduce((n, p) => n + p.threads, 0)} threads, up ${formatDuration(oldest * 1000)}`);
  }
  return { status, summary: parts.join(' · '), details, evidence };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
