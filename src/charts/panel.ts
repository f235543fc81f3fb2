import { f, hhmm, line, niceRange, text, tickLabel, xTicks, yTicks } from './svg.js';

/** One point of a series; null = not measured then (the line breaks there instead of dropping to 0). */
export interface Point {
  readonly at: number;
  readonly v: number | null;
}

export interface Series {
  readonly color: string;
  readonly points: readonly Point[];
  /** The right-hand axis (its own scale and unit), for a series of another size (MemAvailable beside RSS). */
  readonly right?: boolean;
  readonly dashed?: boolean;
  /** A dot per sample while they can be told apart. */
  readonly dots?: boolean;
}

export interface Panel {
  /** Drawn top left: what the panel shows, with the left axis' unit. */
  readonly title: string;
  readonly series: readonly Series[];
  /** Top right: the panel's number in words ("+21 MB/h", "3 of 72 failed"). */
  readonly note?: { readonly text: string; readonly color: string };
  /** The right axis' name, when a series uses it. */
  readonly rightTitle?: string;
  /** Moments marked with a red × along the top (a /health that did not answer). */
  readonly marks?: readonly number[];
  /** The left axis starts at 0 (counts, load), rather than hugging the data (RSS). */
  readonly fromZero?: boolean;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/**
 * Pure: one panel's SVG elements in `box`, time running from x0 to x1 (UTC ticks), each axis
 * scaled to its own series. The caller lays panels out; only the last shows the time labels.
 */
export function drawPanel(p: Panel, box: Box, x0: number, x1: number, timeLabels: boolean): string[] {
  const sx = (at: number) => box.x + ((at - x0) / (x1 - x0)) * box.w;
  const scaleOf = (right: boolean) => {
    const vs = p.series.filter((s) => Boolean(s.right) === right).flatMap((s) => s.points.flatMap((pt) => (pt.v === null ? [] : [pt.v])));
    if (!vs.length) return undefined;
    const [lo, hi] = niceRange(Math.min(...vs), Math.max(...vs), p.fromZero);
    return { lo, hi, y: (v: number) => box.y + box.h - ((v - lo) / (hi - lo)) * box.h };
  };
  const left = scaleOf(false);
  const right = scaleOf(true);
  const out: string[] = [text(box.x, box.y - 8, p.title, { size: 13, weight: 'bold' })];
  if (p.note) out.push(text(box.x + box.w, box.y - 8, p.note.text, { anchor: 'end', fill: p.note.color }));
  for (const [scale, side] of [
    [left, 'left'],
    [right, 'right'],
  ] as const) {
    if (!scale) continue;
    for (const v of yTicks(scale.lo, scale.hi)) {
      if (side === 'left') out.push(line(box.x, scale.y(v), box.x + box.w, scale.y(v), '#e8e8e8'));
      const x = side === 'left' ? box.x - 6 : box.x + box.w + 6;
      out.push(text(x, scale.y(v) + 4, tickLabel(v), { anchor: side === 'left' ? 'end' : 'start', size: 11, fill: side === 'left' ? '#333' : '#2ca02c' }));
    }
  }
  if (p.rightTitle && right) out.push(text(box.x + box.w / 2, box.y - 8, p.rightTitle, { anchor: 'middle', size: 12, fill: '#2ca02c' }));
  for (const t of xTicks(x0, x1)) {
    out.push(line(sx(t), box.y + box.h, sx(t), box.y + box.h + 4, '#888'));
    if (timeLabels) out.push(text(sx(t), box.y + box.h + 17, hhmm(t), { anchor: 'middle', size: 11 }));
  }
  out.push(line(box.x, box.y + box.h, box.x + box.w, box.y + box.h, '#888'), line(box.x, box.y, box.x, box.y + box.h, '#888'));
  for (const s of p.series) {
    const scale = s.right ? right : left;
    if (!scale) continue;
    const dash = s.dashed ? ' stroke-dasharray="8 5"' : '';
    for (const run of runs(s.points).map(thin)) {
      const pts = run.map((pt) => `${f(sx(pt.at))},${f(scale.y(pt.v))}`).join(' ');
      out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${pts}"/>`);
    }
    const measured = s.points.filter((pt): pt is { at: number; v: number } => pt.v !== null);
    if (s.dots && measured.length <= 300)
      for (const pt of measured) out.push(`<circle cx="${f(sx(pt.at))}" cy="${f(scale.y(pt.v))}" r="2.5" fill="${s.color}"/>`);
  }
  for (const at of p.marks ?? []) out.push(text(sx(at), box.y + 12, '×', { anchor: 'middle', fill: '#d62728', size: 12 }));
  return out;
}

/** The stretches of measured points between gaps; a lone point is drawn as a dot by `dots`. */
function runs(points: readonly Point[]): { at: number; v: number }[][] {
  const out: { at: number; v: number }[][] = [];
  let cur: { at: number; v: number }[] = [];
  for (const pt of points) {
    if (pt.v === null) {
      if (cur.length) out.push(cur);
      cur = [];
    } else cur.push({ at: pt.at, v: pt.v });
  }
  if (cur.length) out.push(cur);
  return out.filter((r) => r.length > 1);
}

// A panel is ~760 px wide: more points than this per line add bytes and render time, not detail.
const MAX_POINTS = 1000;

/**
 * A long run thinned to at most MAX_POINTS: per bucket of consecutive points its lowest and its
 * highest, in time order, so a spike (a GC, a slow /health) survives the thinning.
 */
function thin(run: { at: number; v: number }[]): { at: number; v: number }[] {
  if (run.length <= MAX_POINTS) return run;
  const size = Math.ceil(run.length / (MAX_POINTS / 2));
  const out: { at: number; v: number }[] = [];
  for (let i = 0; i < run.length; i += size) {
    const bucket = run.slice(i, i + size);
    let lo = bucket[0]!;
    let hi = bucket[0]!;
    for (const p of bucket) {
      if (p.v < lo.v) lo = p;
      if (p.v > hi.v) hi = p;
    }
    out.push(...(lo === hi ? [lo] : lo.at < hi.at ? [lo, hi] : [hi, lo]));
  }
  return out;
}
