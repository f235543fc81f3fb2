import type { Command } from './command.js';
import { hostsOrError, usageError } from './host-args.js';

/**
 * `restart HOST`: asks for a restart. Nothing runs here: the Slack adapter posts a confirmation
 * that only an approver can confirm (see src/restart/). Anyone who may use the bot may ask.
 */
export const restartCommand: Command = {
  name: 'restart',
  usage: 'restart HOST',
  description: 'ask for a restart of the app; an approver confirms it',
  allowed: () => true,
  plan(args, config) {
    if (args.length !== 1 || args[0] === 'all') return usageError(this, 'restart takes exactly one host');
    const hosts = hostsOrError(config, args[0]);
    if (!Array.isArray(hosts)) return hosts;
    const host = hosts[0]!;
    return {
      kind: 'plan',
      progress: `preparing a restart request for ${host.name}…`,
      run: async (s, caller) => {
        if (caller.source !== 'slack' || !s.restarts)
          return {
            kind: 'error',
            visibility: 'ephemeral',
            message: 'restarts are asked for and confirmed in Slack',
            fix: 'use /moneymind restart HOST there; an approver confirms it',
          };
        const req = await s.restarts.request(host, caller.userId);
        if (!req.ok) return { kind: 'error', visibility: 'ephemeral', message: req.why };
        return { kind: 'restart-request', visibility: 'channel', request: req.request };
      },
    };
  },
};
