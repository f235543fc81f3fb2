import { findCheck } from '../checks/check-types.js';
import type { Rule } from './cause.js';
import { Evidence } from './evidence.js';
import { memoryRunsOut, rssTrend } from './memory-trend.js';

/** Runbook causes 2 and 4: the machine is short of memory (the OOM killer's acts are app-oom-killed's). */
export const memoryPressure: Rule = ({ checks, thresholds }) => {
  const r = findCheck(checks, 'resources');
  const d = r?.details;
  const evidence = new Evidence();
  const lowMemory = d?.memAvailablePercent !== null && d?.memAvailablePercent !== undefined && d.memAvailablePercent < thresholds.memAvailablePercent;
  if (lowMemory) evidence.own(`${d.memAvailablePercent} % memory available`);
  // Word for word the resources check's own swap line (the same threshold decides both).
  if (d?.swapUsedPercent !== null && d?.swapUsedPercent !== undefined && d.swapUsedPercent >= thresholds.swapUsedPercent)
    evidence.quote('resources', `swap ${d.swapUsedPercent} % used`);
  if (!evidence.lines.length) return null;
  const top = d?.topByMemory[0];
  const appIsTop = !!(d && top && d.appProcesses.some((p) => p.pid === top.pid));
  if (top) evidence.own(`largest process: ${top.command.slice(0, 80)} (${Math.round(top.rssKb / 1024)} MB)`);
  // Swap alone is a warning; memory running out alerts.
  const critical = lowMemory;
  return {
    id: 'memory-pressure',
    severity: critical ? 'critical' : 'warning',
    title: appIsTop ? 'The host is short of memory and the app is the largest user.' : 'The host is short of memory.',
    evidence: evidence.lines,
    advice: appIsTop
      ? 'Look for a leak (sessions not closed, caches growing); a restart frees the memory for a while.'
      : 'Find what uses the memory (ps aux --sort=-rss | head) before touching the app.',
    restartHelps: appIsTop,
    quotes: evidence.quotes,
  };
};

/** Runbook cause 2, caught early: the app's RSS keeps rising across samples (a leak). */
export const memoryGrowth: Rule = ({ checks, thresholds, rssHistory, now }) => {
  const r = findCheck(checks, 'resources');
  const current = r?.details?.appRssKb;
  const samples = current ? [...rssHistory, { at: now, rssKb: current }] : rssHistory;
  const trend = rssTrend(samples, now, thresholds.memoryGrowthWindow);
  if (!trend || trend.mbPerHour < thresholds.memoryGrowthMbPerHour) return null;
  const runsOut = memoryRunsOut(r?.details?.memAvailableKb, trend.mbPerHour);
  return {
    id: 'memory-growth',
    severity: 'warning',
    title:
      `The app's memory grows by ${Math.round(trend.mbPerHour)} MB/h ` +
      `(${Math.round(trend.fromMb)} → ${Math.round(trend.toMb)} MB over ${Math.round(trend.spanMs / 60_000)} min).`,
    evidence: [
      // The projection first: it is what tells how urgent the leak is.
      ...(runsOut ? [`at this slope ${runsOut.words}`] : []),
      `${trend.samples} RSS samples, slope ${Math.round(trend.mbPerHour)} MB/h (threshold ${thresholds.memoryGrowthMbPerHour} MB/h)`,
    ],
    advice: 'A leak: make sure every db.session is closed (try/finally), and bound caches. A restart resets it for a while.',
    restartHelps: true,
    quotes: [],
  };
};

/** Runbook cause 4: a full disk stops logging and MySQL writes; restarting the app does not help. */
export const diskFull: Rule = ({ checks, thresholds }) => {
  const d = findCheck(checks, 'resources')?.details;
  const full = d?.disks.filter((x) => x.usedPercent >= thresholds.diskUsedPercent) ?? [];
  if (!full.length) return null;
  return {
    id: 'disk-full',
    severity: 'critical',
    title: `Disk ${full.map((x) => `${x.mount} ${x.usedPercent} %`).join(', ')} full.`,
    evidence: full.map((x) => `${x.mount} (${x.filesystem}) ${x.usedPercent} % used, ${Math.round(x.availableKb / 1024)} MB free`),
    advice: 'Free space: rotate or delete old logs (RotatingFileHandler, logrotate), clean /tmp and old backups (du -xh / | sort -h | tail).',
    restartHelps: false,
    // Its lines are written from the numbers (with the free space), not the check's own.
    quotes: [],
  };
};

/** Runbook cause 4: CPU saturated (load per core over the threshold). */
export const cpuOverload: Rule = ({ checks, thresholds }) => {
  const d = findCheck(checks, 'resources')?.details;
  if (!d || d.loadPerCore === null || d.loadPerCore < thresholds.loadPerCore) return null;
  const busiest = [...d.appProcesses].sort((a, b) => b.cpuPercent - a.cpuPercent)[0];
  return {
    id: 'cpu-overload',
    severity: 'warning',
    title: `Load ${d.load?.[0]} on ${d.cores} cores (${d.loadPerCore} per core).`,
    evidence: [`load average ${d.load?.join(' ')}`, ...(busiest ? [`app process ${busiest.pid} at ${busiest.cpuPercent} % CPU`] : [])],
    advice: 'Find the busy processes (top -bn1 | head -20); if it is the app, look for hot endpoints or run more instances behind Nginx.',
    restartHelps: false,
    quotes: [],
  };
};
