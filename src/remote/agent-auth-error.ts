import type { SshTarget } from '../config/types.js';
import { OpsError } from '../errors.js';

/**
 * ssh.agent hosts: the agent could not be used (level "agent": the socket went away since start),
 * or the server accepted none of its keys. `offered` is how many keys the agent listed, when it was
 * asked. Undefined for any other error.
 */
export function agentAuthError(err: Error & { level?: string }, t: SshTarget, offered: number | undefined): OpsError | undefined {
  if (!t.agent) return undefined;
  if (err.level === 'agent') {
    return new OpsError('SSH_AUTH', `cannot use the ssh-agent at SSH_AUTH_SOCK (${t.agent}) for ${t.host}: ${err.message}`, {
      fix: 'start ssh-agent, ssh-add the key and restart the bot with its SSH_AUTH_SOCK, or use privateKeyPath',
      cause: err,
    });
  }
  if (err.level !== 'client-authentication') return undefined;
  const keys = offered === undefined ? 'its keys' : `${offered} key${offered === 1 ? '' : 's'}`;
  return new OpsError('SSH_AUTH', `${t.username}@${t.host}:${t.port}: the agent at SSH_AUTH_SOCK offered ${keys} and the server accepted none`, {
    fix: `ssh-add the key whose public half is in ~${t.username}/.ssh/authorized_keys on ${t.host}`,
    cause: err,
  });
}
