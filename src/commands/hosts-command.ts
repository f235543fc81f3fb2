import type { Command } from './command.js';
import { usageError } from './host-args.js';

export const hostsCommand: Command = {
  name: 'hosts',
  usage: 'hosts',
  description: 'the configured hosts and their last known state',
  allowed: () => true,
  plan(args, config) {
    if (args.length > 0) return usageError(this, 'hosts takes no arguments');
    return {
      kind: 'plan',
      progress: 'listing hosts…',
      immediate: true,
      run: async (s) => {
        const silences = await s.incidents?.silences();
        const leader = s.leader?.();
        return {
          kind: 'hosts',
          visibility: 'ephemeral',
          hosts: config.hosts.map((h) => {
            const last = s.lastReport(h.name);
            return {
              name: h.name,
              address: h.ssh ? `${h.ssh.host}:${h.ssh.port}${h.ssh.jump ? ` via ${h.ssh.jump.name}` : ''}` : 'local',
              service: `${h.app.manager} ${h.app.service}`,
              last: last ? { status: last.report.status, at: last.at, cause: last.report.causes[0]?.id } : undefined,
              silence: silences?.get(h.name),
            };
          }),
          ...(leader ? { leader } : {}),
        };
      },
    };
  },
};
