import type { CheckId } from '../checks/check-types.js';
import type { Command } from './command.js';
import { hostsOrError, progressFor, usageError } from './host-args.js';

const DESCRIPTIONS: Record<Exclude<CheckId, 'logs'>, string> = {
  health: 'GET /health: code, latency, error',
  service: 'systemd / supervisor state, uptime, restarts',
  port: 'is the app port listening',
  resources: "load, memory, swap, disk, the app's processes",
  db: 'MySQL reachability, wait_timeout vs pool_recycle, connections',
};

/** One runbook area on one host or all: `health prod-1`, `db`. */
export function areaCommand(id: Exclude<CheckId, 'logs'>): Command {
  return {
    name: id,
    usage: `${id} [HOST]`,
    description: DESCRIPTIONS[id],
    allowed: () => true,
    plan(args, config) {
      if (args.length > 1) return usageError(this, `${id} takes at most one host`);
      let hosts = hostsOrError(config, args[0]);
      if (!Array.isArray(hosts)) return hosts;
      if (id === 'db') {
        hosts = hosts.filter((h) => h.mysql);
        if (!hosts.length)
          return {
            kind: 'error',
            visibility: 'ephemeral',
            message: 'no host has a mysql section',
            fix: 'add mysql: { user, passwordEnv } to the host in the config',
          };
      }
      const chosen = hosts;
      return {
        kind: 'plan',
        progress: progressFor(chosen, config),
        run: async (s) => ({ kind: 'reports', visibility: 'channel', reports: await s.checkHosts(chosen, [id]), detail: true }),
      };
    },
  };
}
