import type { SshTarget } from '../config/types.js';
import { OpsError } from '../errors.js';
import { agentAuthError } from './agent-auth-error.js';
import { sshFingerprint } from './fingerprint.js';
import type { ReceivedHostKey } from './known-hosts-verdict.js';

/**
 * Turns ssh2's connection errors into coded errors that say how to fix them. `agentKeys`: how many
 * keys the ssh-agent offered, for a host authenticating through it.
 */
export function translateSshError(
  err: Error & { level?: string; code?: string },
  t: SshTarget,
  received: ReceivedHostKey | undefined,
  agentKeys?: number,
): OpsError {
  const where = `${t.username}@${t.host}:${t.port}`;
  if (received && received.verdict !== 'accepted') return hostKeyMismatch(t, received, err);
  const agent = agentAuthError(err, t, agentKeys);
  if (agent) return agent;
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

/**
 * The host offered a key its pin does not allow. Against a known_hosts file the message names the
 * file, the name looked up in it, every key it lists for that name and the key received; the code
 * stays SSH_HOSTKEY_MISMATCH whichever pin refused, so the diagnosis (host-unreachable) is the same.
 */
function hostKeyMismatch(t: SshTarget, received: ReceivedHostKey, cause: Error): OpsError {
  const got = `${received.fp} (${received.type})`;
  const attack = 'otherwise treat it as an attack';
  const kh = t.knownHosts;
  if (!kh) {
    return new OpsError('SSH_HOSTKEY_MISMATCH', `host key of ${t.host}:${t.port} does not match the pinned one: expected ${t.hostKey}, received ${got}`, {
      fix: `if the host was really re-installed, check the new key on the host with ssh-keygen -lf and update ssh.hostKey; ${attack}`,
      cause,
    });
  }
  const expected = kh.keys.filter((k) => !kh.revoked.some((r) => r.key === k.key));
  const list = expected.length
    ? expected.map((k) => `${sshFingerprint(Buffer.from(k.key, 'base64'))} (${k.type}, line ${k.line})`).join(', ')
    : 'none (every key it lists is revoked)';
  const scan = `ssh-keyscan -p ${t.port} ${t.host}`;
  if (received.verdict === 'revoked') {
    return new OpsError(
      'SSH_HOSTKEY_MISMATCH',
      `host key of ${t.host}:${t.port} is revoked in ${kh.path} (@revoked, line ${received.line}): received ${got}; expected one of ${list}`,
      {
        fix: `the host still uses a key that was revoked: give it a new host key, check it on the host with ssh-keygen -lf and add it to ${kh.path}; ${attack}`,
        cause,
      },
    );
  }
  return new OpsError(
    'SSH_HOSTKEY_MISMATCH',
    `host key of ${t.host}:${t.port} is not one ${kh.path} lists for ${kh.name}: expected one of ${list}, received ${got}`,
    {
      fix: `if the host was really re-installed, check the new key on the host with ssh-keygen -lf and replace its line in ${kh.path} (${scan}); ${attack}`,
      cause,
    },
  );
}
