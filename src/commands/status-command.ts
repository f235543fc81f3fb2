import { CHECK_IDS } from '../checks/check-types.js';
import type { Command } from './command.js';
import { hostsOrError, progressFor, usageError } from './host-args.js';

export const statusCommand: Command = {
  name: 'status',
  usage: 'status [HOST|all]',
  description: 'every check and the likely cause (default: all hosts)',
  allowed: () => true,
  plan(args, config) {
    if (args.length > 1) return usageError(this, 'status takes at most one host');
    const hosts = hostsOrError(config, args[0]);
    if (!Array.isArray(hosts)) return hosts;
    return {
      kind: 'plan',
      progress: progressFor(hosts, config),
      // All hosts (no host given, or `all`), when there is more than one: a session on each at once.
      expensive: hosts.length > 1,
      run: async (s) => ({
        kind: 'reports',
        visibility: 'channel',
        reports: await s.checkHosts(hosts, CHECK_IDS),
        detail: false,
        silences: await s.incidents?.silences(),
      }),
    };
  },
};
