import type { Config, HostConfig } from '../config/types.js';
import { selectHosts } from '../engine/select-hosts.js';
import { OpsError } from '../errors.js';
import type { Answer } from './answer.js';
import type { Command } from './command.js';

/** A typed host name → configured hosts (an array), or the error answer that lists the valid ones. */
export function hostsOrError(config: Config, typed: string | undefined): HostConfig[] | Answer {
  try {
    return selectHosts(config, typed);
  } catch (err) {
    if (err instanceof OpsError && err.code === 'UNKNOWN_HOST')
      return { kind: 'error', visibility: 'ephemeral', message: err.message, ...(err.fix ? { fix: err.fix } : {}) };
    throw err;
  }
}

export function usageError(cmd: Pick<Command, 'usage'>, why: string): Answer {
  return { kind: 'error', visibility: 'ephemeral', message: why, fix: `usage: ${cmd.usage}` };
}

export function progressFor(hosts: readonly HostConfig[], config: Config): string {
  return hosts.length === config.hosts.length && hosts.length > 1 ? `checking all ${hosts.length} hosts…` : `checking ${hosts.map((h) => h.name).join(', ')}…`;
}
