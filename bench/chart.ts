import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPng } from '../src/app/render-png.js';
import { trendChart } from '../src/charts/trend-chart.js';
import { median, round } from './stats.js';

/*
 * `npm run bench:chart`: what one `trend HOST` chart costs the bot — samples → SVG → PNG (resvg,
 * the shipped font), median of N. Memory is the process's RSS after the render minus before it
 * (after a GC, so garbage from the previous chart is not counted), per chart. Writes one chart to
 * docs/trend-example.png, the one the README shows.
 */
const N = Number(process.env.BENCH_CHART_N ?? 30);
const H = 3_600_000;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const now = Date.UTC(2026, 0, 15, 12, 0);
const series = (hours: number, everyMin: number) =>
  Array.from({ length: (hours * 60) / everyMin }, (_, i) => ({
    at: now - hours * H + (i + 1) * everyMin * 60_000,
    rssKb: Math.round((212 + (i * everyMin * 21) / 60 + 4 * Math.sin(i)) * 1024),
  }));

const cases = [
  { label: '6 h, 1 sample/5 min (72)', hours: 6, samples: series(6, 5) },
  { label: '24 h, 1 sample/min (1440)', hours: 24, samples: series(24, 1) },
  { label: '7 d, 1 sample/min (10080)', hours: 168, samples: series(168, 1) },
];

renderPng(trendChart('warm-up', cases[0]!.samples, now, 6 * H)!.svg); // loads the native module and the font once
const rows = cases.map((c) => {
  const ms: number[] = [];
  const mb: number[] = [];
  let bytes = 0;
  for (let i = 0; i < N; i++) {
    gc();
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    const png = renderPng(trendChart('prod-1', c.samples, now, c.hours * H)!.svg);
    ms.push(performance.now() - t0);
    mb.push((process.memoryUsage().rss - before) / 2 ** 20);
    bytes = png.length;
  }
  return { chart: c.label, msMedian: round(median(ms), 1), rssDeltaMbMedian: round(median(mb), 1), pngKb: round(bytes / 1024, 1) };
});

const root = new URL('..', import.meta.url).pathname;
mkdirSync(join(root, 'docs'), { recursive: true });
writeFileSync(join(root, 'docs', 'trend-example.png'), renderPng(trendChart('prod-1', cases[0]!.samples, now, 6 * H)!.svg));

console.log(`trend chart, median of ${N} (node ${process.version}, rss after gc)`);
console.log(`${'series'.padEnd(28)} ${'ms'.padStart(7)} ${'RSS Δ MB'.padStart(9)} ${'PNG KB'.padStart(7)}`);
for (const r of rows)
  console.log(`${r.chart.padEnd(28)} ${String(r.msMedian).padStart(7)} ${String(r.rssDeltaMbMedian).padStart(9)} ${String(r.pngKb).padStart(7)}`);
