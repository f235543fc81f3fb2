import { statSync } from 'node:fs';
import type { Env } from './load-config.js';

const FIX = 'start ssh-agent and ssh-add the key, or use privateKeyPath';

/**
 * `ssh.agent: true`: the ssh-agent socket the bot will authenticate through, from SSH_AUTH_SOCK
 * in `env`, checked now so that an agent-less start is a config error naming the field, not an
 * SSH_AUTH failure on every host at the first check. `field` is e.g. hosts[0].ssh.agent.
 */
export function readAgentSocket(field: string, env: Env, problems: string[]): string {
  const socket = env.SSH_AUTH_SOCK ?? '';
  if (!socket) {
    problems.push(`${field}: SSH_AUTH_SOCK is not set — ${FIX}`);
    return socket;
  }
  try {
    if (!statSync(socket).isSocket()) problems.push(`${field}: SSH_AUTH_SOCK is ${socket}, which is not a socket — ${FIX}`);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'ENOENT' ? 'which does not exist (the agent is gone?)' : `which the bot cannot reach (${code})`;
    problems.push(`${field}: SSH_AUTH_SOCK is ${socket}, ${why} — ${FIX}`);
  }
  return socket;
}
