import type { Command } from './command.js';
import { hostsOrError, isAnswer, usageError } from './host-args.js';

const LIMIT = 20;

/** `history [HOST]`: recent incidents with start, end, duration and cause. */
export const historyCommand: Command = {
  name: 'history',
  usage: 'history [HOST]',
  description: `the last ${LIMIT} incidents (start, end, duration, cause)`,
  allowed: () => true,
  plan(args, config) {
    if (args.length > 1) return usageError(this, 'history takes at most one host');
    const hosts = args[0] === undefined || args[0] === 'all' ? undefined : hostsOrError(config, args[0]);
    if (hosts && isAnswer(hosts)) return hosts;
    const host = hosts?.[0]?.name;
    return {
      progress: 'reading the incident history…',
      immediate: true,
      run: async (s) => {
        if (!s.incidents) return { kind: 'error', visibility: 'ephemeral', message: 'history needs the store, which this bot runs without' };
        const incidents = s.incidents.history(host, LIMIT).map((i) => ({ subject: i.subject, cause: i.cause, title: i.title, openedAt: i.opened_at, resolvedAt: i.resolved_at ?? undefined }));
        return { kind: 'history', visibility: 'ephemeral', host, incidents };
      },
    };
  },
};
