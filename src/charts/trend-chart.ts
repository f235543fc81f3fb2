import { rssTrend } from '../diagnosis/memory-trend.js';
import type { HostSample } from '../domain/host-sample.js';
import { drawPanel, type Panel } from './panel.js';
import { round, spanText, text } from './svg.js';

export { CHART_FONT } from './svg.js';

export interface TrendChart {
  readonly svg: string;
  /** The numbers in words, one clause per panel: alt text, and what the terminal prints. */
  readonly altText: string;
  readonly samples: number;
}

/** memory: app RSS + trend + MemAvailable · health: /health latency · db: connections vs max · load: per core. */
export type PanelId = 'memory' | 'health' | 'db' | 'load';
export const ALL_PANELS: readonly PanelId[] = ['memory', 'health', 'db', 'load'];

export interface ChartOptions {
  readonly panels?: readonly PanelId[];
  /** A line under the title (the memory-growth projection: "memory runs out in ≈ 3 h 20 min at +52 MB/h"). */
  readonly headline?: string;
}

const W = 900;
const PAD = { left: 70, right: 70, top: 50, bottom: 40 };
const PANEL_GAP = 44;
// Slack shows at most 1000 characters of alt text.
const ALT_MAX = 1000;

/**
 * Pure: a host's stored samples inside [now - windowMs, now] → one chart, a panel per series
 * measured in the window, stacked over one time axis; undefined when none was (an empty chart
 * would read as "nothing used"). The RSS trend is memory-trend's fit, drawn through the samples'
 * mean (a least-squares line always passes through it); without a trend (too few samples, too
 * short a span, or r² < 0.6) there is no line and the words say why.
 */
export function trendChart(host: string, samples: readonly HostSample[], now: number, windowMs: number, opts: ChartOptions = {}): TrendChart | undefined {
  const inWindow = samples.filter((s) => s.at >= now - windowMs && s.at <= now);
  const built = (opts.panels ?? ALL_PANELS).map((id) => PANELS[id](inWindow, now, windowMs)).filter((p) => p !== undefined);
  if (!built.length) return undefined;
  const one = built.length === 1;
  const panelH = one ? 300 : 150;
  const top = PAD.top + (opts.headline ? 22 : 0) + 18;
  const H = top + built.length * panelH + (built.length - 1) * PANEL_GAP + PAD.bottom;
  const parts: string[] = [
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    text(PAD.left, 28, `${host} — last ${spanText(windowMs)}`, { size: 16, weight: 'bold' }),
    text(W - PAD.right, 28, `UTC, ${inWindow.length} samples`, { anchor: 'end', fill: '#666' }),
  ];
  if (opts.headline) parts.push(text(PAD.left, 52, opts.headline, { size: 14, fill: '#d62728', weight: 'bold' }));
  built.forEach((b, i) => {
    const box = { x: PAD.left, y: top + i * (panelH + PANEL_GAP), w: W - PAD.left - PAD.right, h: panelH };
    parts.push(...drawPanel(b.panel, box, now - windowMs, now, true));
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${parts.join('')}</svg>`;
  const words = `${host}: ${built.map((b) => b.words).join('; ')} (${inWindow.length} samples)`;
  return { svg, altText: words.length > ALT_MAX ? `${words.slice(0, ALT_MAX - 1)}…` : words, samples: inWindow.length };
}

type Built = { readonly panel: Panel; readonly words: string };
type PanelOf = (s: readonly HostSample[], now: number, windowMs: number) => Built | undefined;

const mb = (kb: number | null) => (kb === null ? null : kb / 1024);
const measured = (vs: readonly (number | null)[]) => vs.filter((v): v is number => v !== null);
const signed = (n: number) => `${n >= 0 ? '+' : ''}${round(n)}`;

const PANELS: Record<PanelId, PanelOf> = {
  memory(s, now, windowMs) {
    const rss = s.filter((x) => x.rssKb !== null);
    const avail = measured(s.map((x) => x.memAvailableKb));
    if (!rss.length && !avail.length) return undefined;
    const trend = rssTrend(
      rss.map((x) => ({ at: x.at, rssKb: x.rssKb! })),
      now,
      windowMs,
    );
    const rising = trend && trend.mbPerHour !== 0 ? trend : undefined;
    const series: Panel['series'][number][] = [{ color: '#1f77b4', points: s.map((x) => ({ at: x.at, v: mb(x.rssKb) })), dots: true }];
    if (rising && rss.length) {
      const mx = rss.reduce((a, x) => a + x.at, 0) / rss.length;
      const my = rss.reduce((a, x) => a + x.rssKb! / 1024, 0) / rss.length;
      const at = (t: number) => ({ at: t, v: my + ((t - mx) / 3_600_000) * rising.mbPerHour });
      series.push({ color: '#d62728', dashed: true, points: [at(rss[0]!.at), at(rss[rss.length - 1]!.at)] });
    }
    if (avail.length) series.push({ color: '#2ca02c', right: true, points: s.map((x) => ({ at: x.at, v: mb(x.memAvailableKb) })) });
    const first = rss[0];
    const last = rss[rss.length - 1];
    const slope = rising ? `, ${signed(rising.mbPerHour)} MB/h` : ', no trend (too few samples, too short a span or no steady slope)';
    const rssWords =
      first && last
        ? `app RSS ${round(first.rssKb! / 1024)} → ${round(last.rssKb! / 1024)} MB over ${spanText(last.at - first.at)}${slope}`
        : 'app RSS not measured';
    const availWords = avail.length ? `, MemAvailable ${round(avail[0]! / 1024)} → ${round(avail[avail.length - 1]! / 1024)} MB` : '';
    return {
      panel: {
        title: 'app RSS (MB)',
        series,
        rightTitle: avail.length ? 'MemAvailable (MB, right axis)' : undefined,
        note: rising ? { text: `trend ${signed(rising.mbPerHour)} MB/h`, color: '#d62728' } : { text: 'no trend yet', color: '#666' },
      },
      words: rssWords + availWords,
    };
  },
  health(s) {
    const answered = measured(s.map((x) => (x.healthOk ? x.healthMs : null)));
    const failed = s.filter((x) => !x.healthOk);
    if (!answered.length && !failed.length) return undefined;
    const sorted = [...answered].sort((a, b) => a - b);
    const median = sorted.length ? sorted[Math.floor(sorted.length / 2)]! : null;
    const fails = `${failed.length} of ${s.length} failed`;
    return {
      panel: {
        title: '/health latency (ms)',
        fromZero: true,
        series: [{ color: '#9467bd', points: s.map((x) => ({ at: x.at, v: x.healthOk ? x.healthMs : null })), dots: true }],
        marks: failed.map((x) => x.at),
        note: { text: failed.length ? `× ${fails}` : `median ${median} ms`, color: failed.length ? '#d62728' : '#666' },
      },
      words: median === null ? `/health ${fails}` : `/health median ${median} ms, max ${sorted[sorted.length - 1]} ms, ${fails}`,
    };
  },
  db(s) {
    const conns = measured(s.map((x) => x.dbConnections));
    if (!conns.length) return undefined;
    const max = measured(s.map((x) => x.dbMaxConnections));
    const peak = Math.max(...conns);
    const of = max.length ? ` of ${max[max.length - 1]}` : '';
    return {
      panel: {
        title: 'DB connections',
        fromZero: true,
        series: [
          { color: '#ff7f0e', points: s.map((x) => ({ at: x.at, v: x.dbConnections })), dots: true },
          ...(max.length ? [{ color: '#7f7f7f', dashed: true, points: s.map((x) => ({ at: x.at, v: x.dbMaxConnections })) }] : []),
        ],
        note: { text: `peak ${peak}${of}${max.length ? ' (dashed: max_connections)' : ''}`, color: '#666' },
      },
      words: `DB connections ${Math.min(...conns)}–${peak}${of}`,
    };
  },
  load(s) {
    const load = measured(s.map((x) => x.loadPerCore));
    if (!load.length) return undefined;
    const range = `${Math.min(...load)}–${Math.max(...load)}`;
    return {
      panel: {
        title: 'load per core',
        fromZero: true,
        series: [{ color: '#8c564b', points: s.map((x) => ({ at: x.at, v: x.loadPerCore })), dots: true }],
        note: { text: range, color: '#666' },
      },
      words: `load per core ${range}`,
    };
  },
};
