import { redact } from '../boundary/redact.js';
import type { Command } from './command.js';
import { hostsOrError, progressFor, usageError } from './host-args.js';

export const MAX_LOG_LINES = 50;

/**
 * `logs` alone: the logs area on every host. `logs HOST [LINES]`: that host's most recent error
 * lines in the window (LINES capped, so nobody floods a channel by typing 100000).
 */
export const logsCommand: Command = {
  name: 'logs',
  usage: `logs [HOST [LINES]]`,
  description: `errors in the app log; with a host, its last error lines (up to ${MAX_LOG_LINES})`,
  allowed: () => true,
  plan(args, config) {
    if (args.length > 2) return usageError(this, 'logs takes a host and a number of lines');
    const hosts = hostsOrError(config, args[0]);
    if (!Array.isArray(hosts)) return hosts;
    if (args[0] === undefined || args[0] === 'all') {
      return {
        kind: 'plan',
        progress: progressFor(hosts, config),
        run: async (s) => ({ kind: 'reports', visibility: 'channel', reports: await s.checkHosts(hosts, ['logs']), detail: true }),
      };
    }
    let lines = 10;
    if (args[1] !== undefined) {
      if (!/^\d{1,6}$/.test(args[1]) || Number(args[1]) < 1) return usageError(this, `"${args[1]}" is not a number of lines`);
      lines = Math.min(Number(args[1]), MAX_LOG_LINES);
    }
    const host = hosts[0]!;
    return {
      kind: 'plan',
      progress: `reading the log on ${host.name}…`,
      run: async (s) => {
        const [report] = await s.checkHosts([host], ['logs']);
        const logs = report?.checks.find((c) => c.id === 'logs');
        // Log lines can carry a DATABASE_URL or a token; they are masked before anyone sees them.
        const recent = logs?.id === 'logs' && logs.details ? logs.details.lastErrors.slice(-lines).map(redact) : [];
        // No details: the check could not run (a timeout, SSH); fileError: tail could not read the file.
        const unreadable = !!logs && (logs.details === null || (logs.id === 'logs' && logs.details.fileError !== null));
        return {
          kind: 'log-lines',
          visibility: 'channel',
          host: host.name,
          lines: recent,
          report: report!,
          problem: unreadable && logs ? redact(logs.summary) : undefined,
        };
      },
    };
  },
};
