import { readFileSync } from 'node:fs';
import { keyFileProblem } from './key-file-problem.js';
import { knownHostKeys } from './known-host-keys.js';
import { CERT_AUTHORITY_UNSUPPORTED, parseKnownHosts } from './parse-known-hosts.js';
import type { KnownHostsPin } from './types.js';

/**
 * The keys the known_hosts file at `ssh.knownHostsPath` lists for one host, read and checked
 * now, at load: an unreadable file, a line the bot cannot use (@cert-authority, a broken key) or
 * no key at all for the host is a start-up problem naming the field, not a refused connection
 * later. `field` names knownHostsPath where it was written (hosts[0].ssh.knownHostsPath, or under
 * defaults:); `host`/`port` are as the config writes them.
 */
export function readKnownHosts(path: string, host: string, port: number, field: string, problems: string[]): KnownHostsPin {
  const scan = `ssh-keyscan -p ${port} ${host}`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    problems.push(keyFileProblem(field, path, (err as NodeJS.ErrnoException).code, process.getuid?.()));
    return { path, name: '', keys: [], revoked: [] };
  }
  const parsed = parseKnownHosts(text);
  for (const p of parsed.problems) {
    const message = p.message === CERT_AUTHORITY_UNSUPPORTED ? p.message.replace('ssh-keyscan -p PORT HOST', scan) : p.message;
    problems.push(`${field}: ${path} line ${p.line}: ${message}`);
  }
  const { name, keys, revoked } = knownHostKeys(parsed.entries, host, port);
  const usable = keys.filter((k) => !revoked.some((r) => r.key === k.key));
  if (!parsed.problems.length && !usable.length) {
    const what = keys.length ? 'only revoked keys' : 'no key';
    problems.push(
      `${field}: ${path} lists ${what} for ${name} (ssh.host as written${port === 22 ? '' : ', in brackets with the port'}) — ` +
        `add the host's keys: ${scan} >> ${path}, then compare with ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on the host`,
    );
  }
  return { path, name, keys, revoked };
}
