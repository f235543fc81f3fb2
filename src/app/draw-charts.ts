import { trendChart } from '../charts/trend-chart.js';
import type { TrendImage } from '../commands/command.js';
import type { ChartPost } from '../store/watch-store.js';
import type { WatchStore } from '../store/watch-store.js';
import type { ChartImage } from '../watch/outbox-poster.js';
import { renderPng } from './render-png.js';

/**
 * The two ways a chart is drawn from the stored samples: `trend HOST` (every series, up to now)
 * and a thread's chart (memory only, over the window that ended when the incident opened).
 */
export function drawCharts(store: Pick<WatchStore, 'samples'>, clock: () => number) {
  return {
    async trend(host: string, windowMs: number): Promise<TrendImage | undefined> {
      const now = clock();
      const chart = trendChart(host, await store.samples(host, now - windowMs), now, windowMs);
      return chart && { png: renderPng(chart.svg), altText: chart.altText };
    },
    async thread(c: ChartPost): Promise<ChartImage | undefined> {
      const opts = { panels: ['memory'] as const, ...(c.headline ? { headline: c.headline } : {}) };
      const chart = trendChart(c.host, await store.samples(c.host, c.at - c.windowMs), c.at, c.windowMs, opts);
      return chart && { png: renderPng(chart.svg), altText: c.headline ? `${chart.altText}; ${c.headline}` : chart.altText };
    },
  };
}
