import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import { keyFileProblem } from './key-file-problem.js';
import type { Env } from './load-config.js';
import { readEnvSecret } from './read-env-secret.js';
import { Secret } from './secret.js';

/**
 * The private key a host's `ssh:` names, from its file (`privateKeyPath`) or an environment
 * variable (`privateKeyEnv`), read and parsed now: a wrong or unreadable file is a start-up error
 * naming the field, not a failed check later. `at` is the host's path, e.g. hosts[0].
 */
export function readSshKey(source: { privateKeyPath?: string; privateKeyEnv?: string }, at: string, env: Env, problems: string[]): Secret {
  const { privateKeyPath, privateKeyEnv } = source;
  let key = new Secret('');
  if (privateKeyEnv) key = readEnvSecret(`${at}.ssh.privateKeyEnv`, privateKeyEnv, env, problems);
  else if (privateKeyPath) {
    try {
      key = new Secret(readFileSync(privateKeyPath, 'utf8'));
    } catch (err) {
      // The uid the file was refused to is this process's: the fix names it.
      problems.push(keyFileProblem(`${at}.ssh.privateKeyPath`, privateKeyPath, (err as NodeJS.ErrnoException).code, process.getuid?.()));
    }
  }
  const parsed = key.reveal() ? ssh2.utils.parseKey(key.reveal()) : undefined;
  const field = `${at}.ssh.${privateKeyEnv ? 'privateKeyEnv' : 'privateKeyPath'}`;
  if (parsed instanceof Error) problems.push(`${field}: not a private key the bot can use (${parsed.message}) — give an unencrypted OpenSSH or PEM key`);
  // ssh2 parses a .pub file as a key too; it would only fail at the first connection.
  else if (parsed && !parsed.isPrivateKey())
    problems.push(`${field}: not a private key the bot can use (it is a public key) — give the private key file, the one without .pub`);
  return key;
}
