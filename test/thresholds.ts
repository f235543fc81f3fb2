import { loadConfig } from '../src/config/load-config.js';
import type { Thresholds } from '../src/config/types.js';

/** The defaults a config without `thresholds:` gets, optionally changed. */
export function thresholds(over: Partial<Thresholds> = {}): Thresholds {
  return { ...loadConfig({}, undefined).thresholds, ...over };
}
