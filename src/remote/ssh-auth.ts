import ssh2, { type ConnectConfig, type OpenSSHAgent, type ParsedKey, type PublicKeyAuthMethod } from 'ssh2';
import type { Secret } from '../config/secret.js';
import type { SshTarget } from '../config/types.js';

type Identities = Parameters<OpenSSHAgent['getIdentities']>[0];

/**
 * ssh-agent at SSH_AUTH_SOCK that remembers how many keys it offered: when the server accepts none,
 * the error can say so ("offered 2 keys"), which tells an agent holding the wrong key from one
 * holding none.
 */
// ssh2 is CommonJS: Node's ESM loader sees only some of its exports by name, so through the default.
export class CountingAgent extends ssh2.OpenSSHAgent {
  offered: number | undefined;

  override getIdentities(cb: Identities): void {
    super.getIdentities((err, keys) => {
      if (!err) this.offered = keys?.length ?? 0;
      cb(err, keys);
    });
  }
}

// ssh2 decrypts an encrypted key (bcrypt, ~0.4 s of blocked event loop) at every connect: do it
// once per key. Config hands every host sharing a key and passphrase the same Secret.
const decrypted = new WeakMap<Secret, ParsedKey>();

/**
 * How the bot authenticates to `t`, as ssh2 connect options: the agent (ssh.agent), or the key,
 * decrypted once when it has a passphrase. Throws ssh2's error for a key it cannot use (config
 * validation normally found that at start).
 */
export function sshAuth(t: SshTarget): { options: ConnectConfig; agent: CountingAgent | undefined } {
  if (t.agent) {
    const agent = new CountingAgent(t.agent);
    return { options: { agent }, agent };
  }
  const passphrase = t.passphrase?.reveal();
  if (!passphrase) return { options: { privateKey: t.privateKey.reveal() }, agent: undefined };
  let key = decrypted.get(t.privateKey);
  if (!key) {
    const parsed = ssh2.utils.parseKey(t.privateKey.reveal(), passphrase);
    if (parsed instanceof Error) throw parsed;
    key = parsed;
    decrypted.set(t.privateKey, key);
  }
  const method: PublicKeyAuthMethod = { type: 'publickey', username: t.username, key };
  return { options: { authHandler: [method] }, agent: undefined };
}
