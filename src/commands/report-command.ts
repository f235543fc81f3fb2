import type { Command } from './command.js';
import { hostsOrError, usageError } from './host-args.js';

/**
 * `report HOST`: the runbook's support bundle for one host (OS, Python, service and its config,
 * resources, DB variables, the last 200 log lines, the diagnosis), as a file. One host only:
 * a bundle is what you attach when asking for help with one machine.
 */
export const reportCommand: Command = {
  name: 'report',
  usage: 'report HOST',
  description: 'support bundle for a host (OS, Python, service config, resources, DB variables, last 200 log lines) as a file',
  allowed: () => true,
  plan(args, config) {
    if (args.length !== 1 || args[0] === 'all') return usageError(this, 'report takes exactly one host');
    const hosts = hostsOrError(config, args[0]);
    if (!Array.isArray(hosts)) return hosts;
    const host = hosts[0]!;
    return {
      kind: 'plan',
      progress: `collecting a support bundle from ${host.name}…`,
      // Every check plus a dozen probes (OS, unit file, 200 log lines, DB variables) on one host.
      expensive: true,
      run: async (s) => {
        const b = await s.supportBundle(host);
        return { kind: 'file', visibility: 'channel', filename: b.filename, title: b.title, content: b.text, summary: b.summary };
      },
    };
  },
};
