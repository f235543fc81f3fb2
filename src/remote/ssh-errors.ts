import type { SshTarget } from '../config/types.js';
import { OpsError } from '../errors.js';

/** Turns ssh2's connection errors into coded errors that say how to fix them. */
export function translateSshError(err: Error & { level?: string; code?: string }, t: SshTarget, received: { fp: string; type: string } | undefined): OpsError {
  const where = `${t.username}@${t.host}:${t.port}`;
  if (received && received.fp !== t.hostKey) {
    return new OpsError(
      'SSH_HOSTKEY_MISMATCH',
      `host key of ${t.host}:${t.port} does not match the pinned one: expected ${t.hostKey}, received ${received.fp} (${received.type})`,
      {
        fix: 'if the host was really re-installed, check the new key on the host with ssh-keygen -lf and update ssh.hostKey; otherwise treat it as an attack',
        cause: err,
      },
    );
  }
  if (err.level === 'client-authentication') {
    return new OpsError('SSH_AUTH', `${where} refused the bot's key`, {
      fix: `add the bot's public key to ~${t.username}/.ssh/authorized_keys on ${t.host}`,
      cause: err,
    });
  }
  if (err.level === 'client-timeout' || /timed out/i.test(err.message)) {
    return new OpsError('SSH_CONNECT', `no SSH handshake from ${t.host}:${t.port} within ${t.readyTimeout} ms`, {
      fix: 'check the host is up and the address, port and firewall',
      cause: err,
    });
  }
  return new OpsError('SSH_CONNECT', `cannot connect to ${t.host}:${t.port}: ${err.code ?? err.message}`, {
    fix: 'check the host is up and sshd listens on that address and port',
    cause: err,
  });
}
