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
