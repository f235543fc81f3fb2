import { parseLogTime } from '../../src/checks/log-time.js';

/**
 * The host clock a logs probe would print one minute after the last timestamped line of a
 * captured log or journal ("2026-12-01 01:05:00 +0000"), so that the whole capture is inside a 15-minute
 * window; `plusMs` moves it later.
 */
export function clockAfter(text: string, plusMs = 60_000): string {
  // journalctl -o json: "__REALTIME_TIMESTAMP":"1796086456235000" (µs)
  const journal = [...text.matchAll(/"__REALTIME_TIMESTAMP":"(\d+)"/g)].map((m) => Math.floor(Number(m[1]) / 1000));
  const times = [...text.matchAll(/(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?)/g)].flatMap((m) => {
    const t = parseLogTime(m[1] as string, 0);
    return t === null ? [] : [t];
  });
  return `${new Date(Math.max(...times, ...journal) + plusMs).toISOString().slice(0, 19).replace('T', ' ')} +0000`;
}
