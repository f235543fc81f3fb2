import { formatDuration } from '../config/duration.js';
import type { RssSample } from './cause.js';

export interface Trend {
  readonly mbPerHour: number;
  readonly spanMs: number;
  readonly samples: number;
  readonly fromMb: number;
  readonly toMb: number;
}

/**
 * Least-squares slope of RSS over the samples inside the window. A single spike does not make a
 * trend: at least `minSamples` samples spanning at least half the window are required, and the
 * fit must explain most of the variance (r² ≥ 0.6), so a sawtooth (GC) is not read as a leak.
 */
export function rssTrend(samples: readonly RssSample[], now: number, windowMs: number, minSamples = 4): Trend | null {
  const recent = samples.filter((s) => s.at >= now - windowMs && s.at <= now);
  if (recent.length < minSamples) return null;
  const t0 = recent[0]!.at;
  const spanMs = recent[recent.length - 1]!.at - t0;
  if (spanMs < windowMs / 2) return null;
  const xs = recent.map((s) => (s.at - t0) / 3_600_000);
  const ys = recent.map((s) => s.rssKb / 1024);
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const r2 = syy === 0 ? 0 : (sxy * sxy) / (sxx * syy);
  if (r2 < 0.6) return { mbPerHour: 0, spanMs, samples: n, fromMb: ys[0]!, toMb: ys[n - 1]! };
  return { mbPerHour: slope, spanMs, samples: n, fromMb: ys[0]!, toMb: ys[n - 1]! };
}

/**
 * The projection a leak's alert carries: MemAvailable divided by the slope is how long until
 * memory runs out if the app keeps growing so ("≈ 3 h 20 min at +52 MB/h"). The app's growth is
 * what MemAvailable loses, so the two meet at zero. Undefined without a rise or a MemAvailable.
 */
export function memoryRunsOut(memAvailableKb: number | null | undefined, mbPerHour: number): { ms: number; words: string } | undefined {
  if (typeof memAvailableKb !== 'number' || !(mbPerHour > 0)) return undefined;
  const ms = (memAvailableKb / 1024 / mbPerHour) * 3_600_000;
  // To the minute: "≈ 3 h 20 min", not 3 h 19 min for 199.99 minutes.
  const when = formatDuration(Math.round(ms / 60_000) * 60_000);
  return { ms, words: `memory runs out in ≈ ${when} at +${Math.round(mbPerHour)} MB/h (MemAvailable ${Math.round(memAvailableKb / 1024)} MB)` };
}
