import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPng } from '../src/app/render-png.js';
import { type ChartOptions, trendChart } from '../src/charts/trend-chart.js';
import { memoryRunsOut, rssTrend } from '../src/diagnosis/memory-trend.js';
import type { HostSample } from '../src/domain/host-sample.js';
import { median, round } from './stats.js';

/*
 * `npm run bench:chart`: what one `trend HOST` chart (all four panels) and one thread chart cost the bot — samples → SVG → PNG (resvg,
 * the shipped font), median of N. Memory is the process's RSS after the render minus before it
 * (after a GC, so garbage from the previous chart is not counted), per chart. Writes one chart to
 * docs/trend-example.png and docs/memory-growth-example.png, the ones the README shows.
 */
const N = Number(process.env.BENCH_CHART_N ?? 30);
const H = 3_600_000;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const now = Date.UTC(2026, 0, 15, 12, 0);
/** Every series the watcher stores, as a leaking app leaves them: RSS rising (+21 MB/h), MemAvailable falling, /health, DB, load. */
const series = (hours: number, everyMin: number, mbPerHour = 21, availableMb = 4000): HostSample[] =>
  Array.from({ length: (hours * 60) / everyMin }, (_, i) => {
    const rssMb = 212 + (i * everyMin * mbPerHour) / 60 + 4 * Math.sin(i);
    return {
      host: 'prod-1',
      at: now - hours * H + (i + 1) * everyMin * 60_000,
      rssKb: Math.round(rssMb * 1024),
      memAvailableKb: Math.round((availableMb - rssMb) * 1024),
      memTotalKb: 8192 * 1024,
      healthMs: Math.round(20 + 40 * Math.abs(Math.sin(i / 3))),
      healthOk: i % 97 !== 50,
      dbConnections: 8 + (i % 5),
      dbMaxConnections: 151,
      loadPerCore: Math.round((0.3 + 0.2 * Math.sin(i / 5)) * 100) / 100,
    };
  });

// A leak as the rule sees it (+120 MB/h over 30 min) and the projection it writes, computed as the bot does.
const leak = series(0.5, 1, 120, 800);
const lastLeak = leak[leak.length - 1]!;
const leakTrend = rssTrend(
  leak.map((x) => ({ at: x.at, rssKb: x.rssKb! })),
  now,
  0.5 * H,
)!;
const runsOut = memoryRunsOut(lastLeak.memAvailableKb, leakTrend.mbPerHour)!.words;

const cases: { label: string; hours: number; samples: HostSample[]; opts?: ChartOptions }[] = [
  { label: '6 h, 1 sample/5 min (72)', hours: 6, samples: series(6, 5) },
  { label: '24 h, 1 sample/min (1440)', hours: 24, samples: series(24, 1) },
  { label: '7 d, 1 sample/min (10080)', hours: 168, samples: series(168, 1) },
  // What a memory-growth thread carries: the memory panel alone, over the rule's 30-minute window.
  { label: 'thread: memory, 30 min (30)', hours: 0.5, samples: leak, opts: { panels: ['memory'], headline: runsOut } },
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
    const png = renderPng(trendChart('prod-1', c.samples, now, c.hours * H, c.opts)!.svg);
    ms.push(performance.now() - t0);
    mb.push((process.memoryUsage().rss - before) / 2 ** 20);
    bytes = png.length;
  }
  return { chart: c.label, msMedian: round(median(ms), 1), rssDeltaMbMedian: round(median(mb), 1), pngKb: round(bytes / 1024, 1) };
});

const root = new URL('..', import.meta.url).pathname;
mkdirSync(join(root, 'docs'), { recursive: true });
writeFileSync(join(root, 'docs', 'trend-example.png'), renderPng(trendChart('prod-1', cases[0]!.samples, now, 6 * H)!.svg));
const thread = cases[3]!;
writeFileSync(join(root, 'docs', 'memory-growth-example.png'), renderPng(trendChart('prod-1', thread.samples, now, thread.hours * H, thread.opts)!.svg));

console.log(`trend chart, median of ${N} (node ${process.version}, rss after gc)`);
console.log(`${'series'.padEnd(28)} ${'ms'.padStart(7)} ${'RSS Δ MB'.padStart(9)} ${'PNG KB'.padStart(7)}`);
for (const r of rows)
  console.log(`${r.chart.padEnd(28)} ${String(r.msMedian).padStart(7)} ${String(r.rssDeltaMbMedian).padStart(9)} ${String(r.pngKb).padStart(7)}`);
