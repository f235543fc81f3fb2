/** How many states flap detection looks at (Nagios uses 21: 20 transitions). */
export const FLAP_WINDOW = 21;
/** Below this many states nothing counts as flapping yet: a new check has no history. */
const MIN_STATES = 10;

/**
 * Nagios' percent state change: each change between consecutive states counts, newer changes
 * weighing more (0.8 for the oldest transition up to 1.2 for the newest), as a percentage of the
 * transitions looked at. Pure.
 */
export function percentStateChange(history: readonly boolean[]): number {
  const states = history.slice(-FLAP_WINDOW);
  const transitions = states.length - 1;
  if (states.length < MIN_STATES) return 0;
  let weighted = 0;
  for (let i = 1; i < states.length; i++) {
    if (states[i] !== states[i - 1]) weighted += 0.8 + (0.4 * (i - 1)) / Math.max(1, transitions - 1);
  }
  return (weighted / transitions) * 100;
}

/** Hysteresis: start above `high`, stop only below `low`, so the verdict itself does not flap. */
export function isFlapping(wasFlapping: boolean, history: readonly boolean[], high: number, low: number): boolean {
  const pct = percentStateChange(history);
  return wasFlapping ? pct >= low : pct >= high;
}
