import { formatDuration } from '../config/duration.js';

/** The one font family charts name; the renderer loads exactly this font (see render-png.ts). */
export const CHART_FONT = 'DejaVu Sans';

export const f = (n: number): string => n.toFixed(1);
export const round = (n: number): number => Math.round(n);
export const hhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);
/** "6 h", "1.5 h", "40 min": how long samples cover, as alt text says it. */
export const spanText = (ms: number): string => (ms >= 3_600_000 ? `${Math.round(ms / 360_000) / 10} h` : formatDuration(ms));

export function line(x1: number, y1: number, x2: number, y2: number, stroke: string, extra = ''): string {
  return `<line x1="${f(x1)}" y1="${f(y1)}" x2="${f(x2)}" y2="${f(y2)}" stroke="${stroke}" stroke-width="1"${extra}/>`;
}

export interface TextStyle {
  readonly size?: number;
  readonly anchor?: 'start' | 'middle' | 'end';
  readonly weight?: 'bold';
  readonly fill?: string;
}

/** Every string drawn goes through here, escaped: a host name cannot break out of the SVG. */
export function text(x: number, y: number, s: string, o: TextStyle = {}): string {
  return (
    `<text x="${f(x)}" y="${f(y)}" font-family="${CHART_FONT}" font-size="${o.size ?? 12}" fill="${o.fill ?? '#333'}"` +
    `${o.anchor ? ` text-anchor="${o.anchor}"` : ''}${o.weight ? ` font-weight="${o.weight}"` : ''}>${escapeXml(s)}</text>`
  );
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A y range with some air, never empty (a flat line still gets a band around it); from 0 when asked. */
export function niceRange(min: number, max: number, fromZero = false): [number, number] {
  const pad = Math.max((max - min) * 0.1, max * 0.02, 0.01);
  const lo = fromZero ? 0 : Math.max(0, min - pad);
  const hi = max + pad;
  const step = tickStep(lo, hi);
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}

function tickStep(lo: number, hi: number): number {
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
}

export function yTicks(lo: number, hi: number): number[] {
  const step = tickStep(lo, hi);
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9 && out.length < 12; v += step) out.push(v);
  return out;
}

/** A tick label: as few digits as the step needs ("0.25", "40", "1200"). */
export function tickLabel(v: number): string {
  return Math.abs(v) >= 10 || Number.isInteger(v) ? String(Math.round(v)) : String(Math.round(v * 100) / 100);
}

export function xTicks(from: number, to: number): number[] {
  const steps = [5, 10, 15, 30, 60, 120, 180, 360, 720, 1440].map((m) => m * 60_000);
  const step = steps.find((s) => (to - from) / s <= 8) ?? steps[steps.length - 1]!;
  const out: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) out.push(t);
  return out;
}
