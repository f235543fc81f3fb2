export interface MemInfo {
  readonly totalKb: number;
  readonly availableKb: number;
  readonly swapTotalKb: number;
  readonly swapFreeKb: number;
}

/**
 * `/proc/meminfo`, values in kB. Example input:
 *   MemTotal:       16384256 kB
 *   MemFree:         1203456 kB
 *   MemAvailable:   10027008 kB
 *   SwapTotal:       2097148 kB
 *   SwapFree:        2097148 kB
 * MemAvailable (kernel ≥ 3.14) is what the runbook's `free -h` calls "available"; without it we
 * fall back to MemFree + Buffers + Cached, the older estimate.
 */
export function parseMeminfo(text: string): MemInfo | null {
  const kb: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(line);
    if (m) kb[m[1] as string] = Number(m[2]);
  }
  if (kb.MemTotal === undefined) return null;
  const available = kb.MemAvailable ?? (kb.MemFree ?? 0) + (kb.Buffers ?? 0) + (kb.Cached ?? 0);
  return { totalKb: kb.MemTotal, availableKb: available, swapTotalKb: kb.SwapTotal ?? 0, swapFreeKb: kb.SwapFree ?? 0 };
}

/** `/proc/loadavg`. Example input: "0.42 0.30 0.25 1/317 4242" */
export function parseLoadavg(text: string): [number, number, number] | null {
  const parts = text.trim().split(/\s+/).slice(0, 3).map(Number);
  return parts.length === 3 && parts.every(Number.isFinite) ? (parts as [number, number, number]) : null;
}
