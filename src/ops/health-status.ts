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
}

export function healthStatus(h: HealthInput): { code: 200 | 503; body: Record<string, unknown> } {
  const problems: string[] = [];
  const lastCycleAgeS = h.watch ? Math.round((h.now - (h.watch.lastCycleAt ?? h.startedAt)) / 1000) : null;
  if (h.watch && h.now - (h.watch.lastCycleAt ?? h.startedAt) > h.watch.staleAfterMs) problems.push(`no watch cycle for ${lastCycleAgeS} s`);
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
      watcher: h.watch ? 'on' : 'off',
    },
  };
}
