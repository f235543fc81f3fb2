import type { HostSample } from '../../src/domain/host-sample.js';

/** A sample with only the RSS measured (the other series not said), as a host without them would leave it. */
export const rssOnly = (host: string, at: number, rssKb: number): HostSample => ({
  host,
  at,
  rssKb,
  memAvailableKb: null,
  memTotalKb: null,
  healthMs: null,
  healthOk: true,
  dbConnections: null,
  dbMaxConnections: null,
  loadPerCore: null,
});

/**
 * A leak as the watcher stores it: one sample per 5-minute cycle over 6 h before `now`, +21 MB/h
 * with GC wobble, MemAvailable shrinking as the app grows, /health answering in 20–60 ms, 8–12 of
 * 151 DB connections, a load per core around 0.3.
 */
export function rssLeak(host: string, now: number): HostSample[] {
  return Array.from({ length: 72 }, (_, i) => {
    const rssMb = 212 + i * 1.75 + 4 * Math.sin(i);
    return {
      host,
      at: now - 6 * 3_600_000 + (i + 1) * 5 * 60_000,
      rssKb: Math.round(rssMb * 1024),
      memAvailableKb: Math.round((1400 - rssMb) * 1024),
      memTotalKb: 2048 * 1024,
      healthMs: Math.round(20 + 40 * Math.abs(Math.sin(i / 3))),
      healthOk: true,
      dbConnections: 8 + (i % 5),
      dbMaxConnections: 151,
      loadPerCore: Math.round((0.3 + 0.2 * Math.sin(i / 5)) * 100) / 100,
    };
  });
}
