import type { WatchLeader } from '../domain/watch-leader.js';

/** What /healthz reports; pure so its rules are tested without a server. */
export interface HealthInput {
  readonly now: number;
  readonly startedAt: number;
  /** undefined when the watcher is off (no alert channel). */
  readonly watch: { readonly lastCycleAt: number | undefined; readonly staleAfterMs: number } | undefined;
  /** 'connecting': Slack not reached yet since start; 'disconnected': reached once, lost, retrying. */
  readonly slack: 'connected' | 'disconnected' | 'http' | 'connecting';
  /** Why the last attempt to reach Slack failed, while it is not reached. */
  readonly slackError?: string | undefined;
  /**
   * Replicas: this one's name, whether it leads the watcher, and the lease as last read. A replica
   * standing by runs no cycles, so the "no watch cycle" rule is the leader's alone.
   */
  readonly leader?: WatchLeader | undefined;
}

export function healthStatus(h: HealthInput): { code: 200 | 503; body: Record<string, unknown> } {
  const problems: string[] = [];
  // A replica that just took the lead over has had no cycle of its own yet: count from then at most.
  const lastCycle = Math.max(h.watch?.lastCycleAt ?? h.startedAt, h.leader?.since ?? 0);
  const lastCycleAgeS = h.watch ? Math.round((h.now - lastCycle) / 1000) : null;
  const leads = !h.leader || h.leader.leading;
  if (h.watch && leads && h.now - lastCycle > h.watch.staleAfterMs) problems.push(`no watch cycle for ${lastCycleAgeS} s`);
  const why = h.slackError ? ` — last attempt: ${h.slackError}` : '';
  if (h.slack === 'connecting') problems.push(`slack: connecting${why}`);
  if (h.slack === 'disconnected') problems.push(`Slack socket disconnected, reconnecting${why}`);
  return {
    code: problems.length ? 503 : 200,
    body: {
      status: problems.length ? 'unhealthy' : 'ok',
      problems,
      uptimeS: Math.round((h.now - h.startedAt) / 1000),
      lastCycleAgeS,
      slack: h.slack,
      watcher: h.watch ? (leads ? 'on' : 'standby') : 'off',
      ...(h.leader ? { replica: h.leader.self, leader: h.leader.holder ?? null, leaseToken: h.leader.token ?? null } : {}),
    },
  };
}
