import type { HistoryLine } from './answer.js';
import type { Command } from './command.js';
import { hostsOrError, usageError } from './host-args.js';

const LIMIT = 20;

/** `history [HOST]`: recent incidents with start, end, duration and cause. */
export const historyCommand: Command = {
  name: 'history',
  usage: 'history [HOST]',
  description: `the last ${LIMIT} incidents and restarts (start, end, duration, cause or outcome)`,
  allowed: () => true,
  plan(args, config) {
    if (args.length > 1) return usageError(this, 'history takes at most one host');
    const hosts = args[0] === undefined || args[0] === 'all' ? undefined : hostsOrError(config, args[0]);
    if (hosts && !Array.isArray(hosts)) return hosts;
    const host = hosts?.[0]?.name;
    return {
      kind: 'plan',
      progress: 'reading the incident history…',
      immediate: true,
      run: async (s) => {
        if (!s.incidents) return { kind: 'error', visibility: 'ephemeral', message: 'history needs the store, which this bot runs without' };
        const incidents: HistoryLine[] = (await s.incidents.history(host, LIMIT)).map((i) => ({
          kind: 'incident',
          subject: i.subject,
          cause: i.cause,
          title: i.title,
          openedAt: i.opened_at,
          resolvedAt: i.resolved_at ?? undefined,
          ...(i.acked_at != null ? { ackMs: Math.max(0, i.acked_at - i.opened_at) } : {}),
        }));
        // Restarts beside incidents: what was done about them, by whom, and how it ended.
        const restarts: HistoryLine[] = (await s.incidents.restarts(host, LIMIT)).map((r) => ({
          kind: 'restart',
          subject: r.host,
          cause: 'restart',
          title:
            `${r.state}${r.outcome ? `: ${r.outcome}` : ''}; asked by ${r.requested_by}` +
            `${r.decided_by ? `, ${r.state === 'cancelled' ? 'cancelled' : 'approved'} by ${r.decided_by}` : ''}`,
          openedAt: r.started_at ?? r.requested_at,
          resolvedAt: r.finished_at ?? undefined,
        }));
        const merged = [...incidents, ...restarts].sort((a, b) => b.openedAt - a.openedAt).slice(0, LIMIT);
        return { kind: 'history', visibility: 'ephemeral', host, incidents: merged };
      },
    };
  },
};
