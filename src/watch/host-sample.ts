import { findCheck } from '../checks/check-types.js';
import type { HostSample } from '../domain/host-sample.js';
import type { HostReport } from '../engine/host-report.js';

/**
 * Pure: the numbers one cycle's checks already measured, as one stored sample; undefined when the
 * host said nothing measurable (unreachable: a row of nulls would only hide the gap in a chart).
 * A /health that failed keeps its latency when it answered at all (a 500 after 2 s is worth
 * drawing); a timeout or refusal has none.
 */
export function hostSample(r: HostReport, at: number): HostSample | undefined {
  const res = findCheck(r.checks, 'resources')?.details;
  const health = findCheck(r.checks, 'health');
  const db = findCheck(r.checks, 'db')?.details;
  const positive = (n: number | null | undefined) => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : null);
  const s: HostSample = {
    host: r.name,
    at,
    rssKb: positive(res?.appRssKb) || null,
    memAvailableKb: positive(res?.memAvailableKb),
    memTotalKb: positive(res?.memTotalKb),
    healthMs: positive(health?.details?.latencyMs),
    healthOk: health?.details?.outcome === 'ok',
    dbConnections: positive(db?.threadsConnected),
    dbMaxConnections: positive(db?.maxConnections),
    loadPerCore: positive(res?.loadPerCore),
  };
  const measured = [s.rssKb, s.memAvailableKb, s.healthMs, s.dbConnections, s.loadPerCore].some((v) => v !== null);
  return measured ? s : undefined;
}
