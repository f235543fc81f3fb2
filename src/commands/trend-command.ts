import { formatDuration, parseDuration } from '../config/duration.js';
import type { Command } from './command.js';
import { hostsOrError, usageError } from './host-args.js';

const DEFAULT_WINDOW_MS = 6 * 3_600_000;
const MAX_WINDOW_MS = 7 * 86_400_000;

/**
 * `trend HOST [6h]`: the samples the watcher stored for a host (app RSS with its fitted trend and
 * MemAvailable, /health latency, DB connections vs max, load per core), as one PNG chart. Reads
 * the store only (no host is touched): not rate-limited. Not `immediate` either: Slack's answer is
 * a file upload, which happens after the ack.
 */
export const trendCommand: Command = {
  name: 'trend',
  usage: 'trend HOST [6h]',
  description:
    "chart of the host's app RSS (with its trend), /health latency, DB connections and load over the window (default 6h), from the watcher's samples",
  allowed: () => true,
  plan(args, config) {
    if (args.length < 1 || args.length > 2 || args[0] === 'all') return usageError(this, 'trend takes one host and an optional window');
    const windowMs = args[1] === undefined ? DEFAULT_WINDOW_MS : parseDuration(args[1]);
    if (windowMs === undefined || windowMs < 60_000 || windowMs > MAX_WINDOW_MS)
      return usageError(this, `the window is a duration from 1m to 7d, like 6h or 90m, not "${args[1]}"`);
    const hosts = hostsOrError(config, args[0]);
    if (!Array.isArray(hosts)) return hosts;
    const host = hosts[0]!;
    const window = windowMs % 3_600_000 === 0 ? `${windowMs / 3_600_000} h` : formatDuration(windowMs);
    return {
      kind: 'plan',
      progress: `drawing ${host.name}'s trend over the last ${window}…`,
      run: async (s) => {
        if (!s.trendChart) return { kind: 'error', visibility: 'ephemeral', message: "trend needs the watcher's store, and this bot runs without one" };
        const chart = await s.trendChart(host.name, windowMs);
        if (!chart)
          return {
            kind: 'note',
            visibility: 'ephemeral',
            text: `no memory samples stored for ${host.name} in the last ${window}: the watcher stores one per cycle while it checks the host`,
          };
        const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
        return {
          kind: 'file',
          visibility: 'channel',
          filename: `moneymind-trend-${host.name}-${stamp}.png`,
          title: `${host.name} trend, last ${window}`,
          content: chart.png,
          summary: chart.altText,
          altText: chart.altText,
        };
      },
    };
  },
};
