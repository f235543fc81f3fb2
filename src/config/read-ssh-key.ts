import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import { keyFileProblem } from './key-file-problem.js';
import type { Env } from './load-config.js';
import { readEnvSecret } from './read-env-secret.js';
import { Secret } from './secret.js';

export interface SshKey {
  readonly privateKey: Secret;
  /** The passphrase of an encrypted key (`privateKeyPassphraseEnv`), a secret like the key. */
  readonly passphrase: Secret | undefined;
}

/**
 * Keys already read in this round, by passphrase and text: twenty hosts sharing one encrypted key
 * through `defaults:` cost one decryption (bcrypt, ~0.4 s each), and share one `Secret`, which the
 * SSH transport's own decryption is keyed on.
 */
export type KeyCache = Map<string, { key: SshKey; problem: string | undefined }>;

/**
 * The private key a host's `ssh:` names, from its file (`privateKeyPath`) or an environment
 * variable (`privateKeyEnv`), read, decrypted with the passphrase in `privateKeyPassphraseEnv` and
 * parsed now: a wrong or unreadable file, or a wrong passphrase, is a start-up error naming the
 * field, not a failed check later. `field('privateKeyPath')` is that field's path for messages:
 * hosts[0].ssh.privateKeyPath, or defaults.ssh.privateKeyPath where the host took it from there.
 */
export function readSshKey(
  source: { privateKeyPath?: string | undefined; privateKeyEnv?: string | undefined; privateKeyPassphraseEnv?: string | undefined },
  field: (name: string) => string,
  env: Env,
  problems: string[],
  cache: KeyCache = new Map(),
): SshKey {
  const { privateKeyPath, privateKeyEnv, privateKeyPassphraseEnv } = source;
  let text = '';
  if (privateKeyEnv) text = readEnvSecret(field('privateKeyEnv'), privateKeyEnv, env, problems).reveal();
  else if (privateKeyPath) {
    try {
      text = readFileSync(privateKeyPath, 'utf8');
    } catch (err) {
      // The uid the file was refused to is this process's: the fix names it.
      problems.push(keyFileProblem(field('privateKeyPath'), privateKeyPath, (err as NodeJS.ErrnoException).code, process.getuid?.()));
    }
  }
  const passphrase = privateKeyPassphraseEnv ? readEnvSecret(field('privateKeyPassphraseEnv'), privateKeyPassphraseEnv, env, problems) : undefined;
  const id = `${passphrase?.reveal() ?? ''}\0${text}`;
  let known = cache.get(id);
  if (!known) {
    const key = { privateKey: new Secret(text), passphrase };
    const what = privateKeyEnv ? `the key in ${privateKeyEnv}` : (privateKeyPath ?? 'the key');
    known = { key, problem: text ? keyProblem(text, what, privateKeyPassphraseEnv, passphrase?.reveal()) : undefined };
    cache.set(id, known);
  }
  if (known.problem) problems.push(`${field(privateKeyEnv ? 'privateKeyEnv' : 'privateKeyPath')}: ${known.problem}`);
  return known.key;
}

/** Why the key text cannot be used, or undefined. `passphraseEnv` set but empty: already reported as unset. */
function keyProblem(text: string, what: string, passphraseEnv: string | undefined, passphrase: string | undefined): string | undefined {
  let parsed = ssh2.utils.parseKey(text);
  if (parsed instanceof Error && /^Encrypted .*no passphrase given/i.test(parsed.message)) {
    if (!passphraseEnv) return `${what} is encrypted — set ssh.privateKeyPassphraseEnv to the variable holding its passphrase`;
    if (!passphrase) return undefined;
    parsed = ssh2.utils.parseKey(text, passphrase);
    if (parsed instanceof Error)
      return `the passphrase in ${passphraseEnv} does not decrypt it — set ${passphraseEnv} to the passphrase of ${what} (ssh-keygen -y -f FILE asks for it)`;
  }
  if (parsed instanceof Error) return `not a private key the bot can use (${parsed.message}) — give an OpenSSH or PEM private key`;
  // ssh2 parses a .pub file as a key too; it would only fail at the first connection.
  if (!parsed.isPrivateKey()) return 'not a private key the bot can use (it is a public key) — give the private key file, the one without .pub';
  return undefined;
}
