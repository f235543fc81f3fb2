import type { Command } from './command.js';
import { hostsOrError, usageError } from './host-args.js';

/**
 * `doctor [HOST|all]`: the README's least-privilege setup checked on each host, as a checklist with
 * the fix for each miss. Only for the asker: it names the bot's user, its groups and sudoers lines.
 */
export const doctorCommand: Command = {
  name: 'doctor',
  usage: 'doctor [HOST|all]',
  description: 'check the setup on a host (SSH, sudoers, logs, journal, /health, MySQL grants): each miss with its fix',
  allowed: () => true,
  plan(args, config) {
    if (args.length > 1) return usageError(this, 'doctor takes at most one host');
    const hosts = hostsOrError(config, args[0]);
    if (!Array.isArray(hosts)) return hosts;
    return {
      kind: 'plan',
      progress: `checking the setup of ${hosts.length === 1 ? hosts[0]?.name : `${hosts.length} hosts`}…`,
      expensive: hosts.length > 1,
      run: async (s) => {
        if (!s.doctor) return { kind: 'error', visibility: 'ephemeral', message: 'doctor is not available here' };
        return { kind: 'doctor', visibility: 'ephemeral', hosts: await s.doctor(hosts) };
      },
    };
  },
};
