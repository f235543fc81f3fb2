const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * "500ms" | "30s" | "5m" | "1h" | "1d" → milliseconds. Returns undefined for anything else so the
 * schema can report the field. A bare number is refused on purpose: "60" could mean 60 s or 60 ms.
 */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]) * (UNITS_MS[m[2] as string] ?? NaN);
  return Number.isFinite(value) ? Math.round(value) : undefined;
}

/** 0.4 s, 12 ms, 3 d 4 h: how people read durations in a report. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? Math.round(s * 10) / 10 : Math.round(s)} s`;
  const totalMin = Math.floor(s / 60);
  if (totalMin < 60) return `${totalMin} min`;
  const h = Math.floor(totalMin / 60);
  if (h < 24) return `${h} h ${totalMin % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
