import { round } from './stats.js';
import type { timeToAlert } from './time-to-alert.js';

/** The time-to-alert result as table rows: measure, measured, target, result (as in run.ts). */
export function timeToAlertRows(r: Awaited<ReturnType<typeof timeToAlert>>): [string, string, string, string][] {
  return r.modes.flatMap((m): [string, string, string, string][] => {
    const label =
      `time to alert ÷ schedule interval (${r.intervalMs / 1000} s, f=${r.failuresToAlert}, ` + `retryInterval ${m.retryInterval}), median / max of ${r.runs}`;
    const target = `≤ ${m.target} + checks`;
    const verdict = `${m.met ? 'met' : 'MISSED'} (every run within interval + (f−1)×retry + its check time; least margin ${Math.min(...m.marginMs)} ms)`;
    return [
      [label, `${m.median} / ${m.max}`, target, verdict],
      [
        `  … from the first tick after the stop to the alert; check time per outage (medians)`,
        `${round(m.fromTickMedianMs / 1000, 2)} s; ${round(m.checksMedianMs / 1000, 2)} s`,
        'info',
        '',
      ],
    ];
  });
}
