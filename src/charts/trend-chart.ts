import { formatDuration } from '../config/duration.js';
import type { RssSample } from '../diagnosis/cause.js';
import { rssTrend } from '../diagnosis/memory-trend.js';

export interface TrendChart {
  readonly svg: string;
  /** The numbers in one line, for alt text and the terminal: "app RSS 212 → 338 MB over 6 h, +21 MB/h". */
  readonly altText: string;
  readonly samples: number;
}

export const CHART_FONT = 'DejaVu Sans';
const W = 900;
const H = 420;
const PAD = { left: 70, right: 24, top: 48, bottom: 56 };

/**
 * A host's RSS samples inside [now - windowMs, now] → the chart, or undefined without samples
 * (an empty chart would read as "no memory used"). The trend line is memory-trend's fit, drawn
 * through the samples' mean (a least-squares line always passes through it); without a trend
 * (too few samples, too short a span, or r² < 0.6) there is no line and the alt text says why.
 */
export function trendChart(host: string, samples: readonly RssSample[], now: number, windowMs: number): TrendChart | undefined {
  const pts = samples.filter((s) => s.at >= now - windowMs && s.at <= now).map((s) => ({ at: s.at, mb: s.rssKb / 1024 }));
  if (pts.length === 0) return undefined;
  const trend = rssTrend(samples, now, windowMs);
  const x0 = now - windowMs;
  const mbs = pts.map((p) => p.mb);
  const [lo, hi] = niceRange(Math.min(...mbs), Math.max(...mbs));
  const sx = (at: number) => PAD.left + ((at - x0) / windowMs) * (W - PAD.left - PAD.right);
  const sy = (mb: number) => H - PAD.bottom - ((mb - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  const first = pts[0]!;
  const last = pts[pts.length - 1]!;
  const span = spanText(last.at - first.at);
  const slope = trend ? `, ${trend.mbPerHour >= 0 ? '+' : ''}${round(trend.mbPerHour)} MB/h` : ', no trend (too few samples or too short a span)';
  const altText = `${host}: app RSS ${round(first.mb)} → ${round(last.mb)} MB over ${span}${slope} (${pts.length} samples)`;
  const parts: string[] = [
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    text(PAD.left, 28, `${host} — app RSS (MB), last ${spanText(windowMs)}`, { size: 16, weight: 'bold' }),
    ...yTicks(lo, hi).flatMap((v) => [
      line(PAD.left, sy(v), W - PAD.right, sy(v), '#e4e4e4'),
      text(PAD.left - 8, sy(v) + 4, String(round(v)), { anchor: 'end' }),
    ]),
    ...xTicks(x0, now).flatMap((t) => [
      line(sx(t), H - PAD.bottom, sx(t), H - PAD.bottom + 5, '#888'),
      text(sx(t), H - PAD.bottom + 20, hhmm(t), { anchor: 'middle' }),
    ]),
    line(PAD.left, H - PAD.bottom, W - PAD.right, H - PAD.bottom, '#888'),
    line(PAD.left, PAD.top, PAD.left, H - PAD.bottom, '#888'),
    text(W - PAD.right, H - 12, 'UTC', { anchor: 'end', fill: '#666' }),
    `<polyline fill="none" stroke="#1f77b4" stroke-width="2" points="${pts.map((p) => `${f(sx(p.at))},${f(sy(p.mb))}`).join(' ')}"/>`,
    // A dot per sample while they can be told apart; a week of minute samples is a line.
    ...(pts.length > 300 ? [] : pts).map((p) => `<circle cx="${f(sx(p.at))}" cy="${f(sy(p.mb))}" r="2.5" fill="#1f77b4"/>`),
  ];
  if (trend) {
    const mx = pts.reduce((a, p) => a + p.at, 0) / pts.length;
    const my = mbs.reduce((a, b) => a + b, 0) / pts.length;
    const at = (t: number) => my + ((t - mx) / 3_600_000) * trend.mbPerHour;
    const clampY = (mb: number) => Math.min(Math.max(sy(mb), PAD.top), H - PAD.bottom);
    parts.push(
      `<line x1="${f(sx(first.at))}" y1="${f(clampY(at(first.at)))}" x2="${f(sx(last.at))}" y2="${f(clampY(at(last.at)))}" ` +
        `stroke="#d62728" stroke-width="2" stroke-dasharray="8 5"/>`,
    );
  }
  parts.push(text(W - PAD.right, 28, trend ? `trend ${slope.slice(2)}` : 'no trend yet', { anchor: 'end', fill: trend ? '#d62728' : '#666' }));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${parts.join('')}</svg>`;
  return { svg, altText, samples: pts.length };
}

/** A y range with some air, never empty (a flat line still gets a band around it). */
function niceRange(min: number, max: number): [number, number] {
  const pad = Math.max((max - min) * 0.1, 1);
  return [Math.max(0, Math.floor(min - pad)), Math.ceil(max + pad)];
}

function yTicks(lo: number, hi: number): number[] {
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) out.push(v);
  return out;
}

function xTicks(from: number, to: number): number[] {
  const steps = [5, 10, 15, 30, 60, 120, 180, 360, 720, 1440].map((m) => m * 60_000);
  const step = steps.find((s) => (to - from) / s <= 8) ?? steps[steps.length - 1]!;
  const out: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) out.push(t);
  return out;
}

const f = (n: number) => n.toFixed(1);
/** "6 h", "1.5 h", "40 min": how long the samples cover, as the alt text says it. */
const spanText = (ms: number) => (ms >= 3_600_000 ? `${Math.round(ms / 360_000) / 10} h` : formatDuration(ms));
const round = (n: number) => Math.round(n);
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

function line(x1: number, y1: number, x2: number, y2: number, stroke: string): string {
  return `<line x1="${f(x1)}" y1="${f(y1)}" x2="${f(x2)}" y2="${f(y2)}" stroke="${stroke}" stroke-width="1"/>`;
}

function text(x: number, y: number, s: string, o: { size?: number; anchor?: string; weight?: string; fill?: string } = {}): string {
  return (
    `<text x="${f(x)}" y="${f(y)}" font-family="${CHART_FONT}" font-size="${o.size ?? 12}" fill="${o.fill ?? '#333'}"` +
    `${o.anchor ? ` text-anchor="${o.anchor}"` : ''}${o.weight ? ` font-weight="${o.weight}"` : ''}>${escapeXml(s)}</text>`
  );
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
