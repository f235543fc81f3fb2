import { createHmac } from 'node:crypto';
import type { KnownHostsEntry, KnownHostsNames } from './parse-known-hosts.js';
import type { KnownHostKey } from './types.js';

/**
 * The keys a known_hosts file lists for a host, the way OpenSSH looks them up: by `[host]:port`,
 * or the bare host on port 22 — the name as the config writes it (no DNS, no IP lookup).
 * `keys` are the lines without a marker; `revoked` the @revoked ones, which win over any listing.
 * Pure: HMAC is arithmetic.
 */
export function knownHostKeys(
  entries: readonly KnownHostsEntry[],
  host: string,
  port: number,
): { name: string; keys: KnownHostKey[]; revoked: KnownHostKey[] } {
  const name = knownHostsName(host, port);
  const keys: KnownHostKey[] = [];
  const revoked: KnownHostKey[] = [];
  for (const e of entries) {
    if (!namesMatch(e.names, name)) continue;
    (e.revoked ? revoked : keys).push({ type: e.keyType, key: e.key, line: e.line });
  }
  return { name, keys, revoked };
}

/** OpenSSH's put_host_port, lower-cased as ssh(1) lower-cases the host it is given. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/**
 * OpenSSH's match_hostname: a hashed name is compared by HMAC; a pattern list matches when one
 * pattern does and no negated one (`!pattern`) does — a negated match vetoes the whole line.
 */
export function namesMatch(names: KnownHostsNames, name: string): boolean {
  if (names.kind === 'hashed') {
    const mac = createHmac('sha1', Buffer.from(names.salt, 'base64')).update(name).digest();
    return mac.equals(Buffer.from(names.hash, 'base64'));
  }
  let positive = false;
  for (const p of names.patterns) {
    const negated = p.startsWith('!');
    if (!glob(negated ? p.slice(1) : p).test(name)) continue;
    if (negated) return false;
    positive = true;
  }
  return positive;
}

/** `*` any run of characters, `?` one; everything else literal; case-insensitive like OpenSSH. */
function glob(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'is');
}
