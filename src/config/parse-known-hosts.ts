/*
 * An OpenSSH known_hosts file (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"), one key a line:
 *
 *   [127.0.0.1]:2222,prod-1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA0F… comment
 *   |1|wfneXNWtsl4pisLef+41N2tuj4o=|LeO8596F5byretFZq1vLK5g7Ldw= ssh-ed25519 AAAAC3Nza…
 *   @revoked * ssh-ed25519 AAAAC3Nza…
 *
 * The first field is a comma-separated list of names or patterns (`*`, `?`, `!negation`;
 * `[host]:port` for a port other than 22), or one name hashed by `ssh-keygen -H`:
 * |1|base64(salt)|base64(HMAC-SHA1(salt, name)). Pure: text in, entries and problems out.
 */

export type KnownHostsNames =
  | { readonly kind: 'patterns'; readonly patterns: readonly string[] }
  | { readonly kind: 'hashed'; readonly salt: string; readonly hash: string };

export interface KnownHostsEntry {
  /** 1-based, for messages. */
  readonly line: number;
  readonly revoked: boolean;
  readonly names: KnownHostsNames;
  readonly keyType: string;
  /** The public key blob, base64 as OpenSSH writes it (canonical: re-encoded). */
  readonly key: string;
}

export interface KnownHostsProblem {
  readonly line: number;
  readonly message: string;
}

const HASHED = /^\|1\|([A-Za-z0-9+/]+=*)\|([A-Za-z0-9+/]+=*)$/;
const BASE64 = /^[A-Za-z0-9+/]+=*$/;
/** "PORT HOST" in the advice is filled in by the caller, who knows the host. */
export const CERT_AUTHORITY_UNSUPPORTED =
  '@cert-authority is not supported: pin the host keys themselves (ssh-keyscan -p PORT HOST, checked with ssh-keygen -lf on the host)';

export function parseKnownHosts(text: string): { entries: KnownHostsEntry[]; problems: KnownHostsProblem[] } {
  const entries: KnownHostsEntry[] = [];
  const problems: KnownHostsProblem[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const parsed = parseLine(raw, i + 1);
    if (typeof parsed === 'string') problems.push({ line: i + 1, message: parsed });
    else if (parsed) entries.push(parsed);
  }
  return { entries, problems };
}

/** One line → its entry, undefined for a comment or blank line, or what is wrong with it. */
function parseLine(raw: string, line: number): KnownHostsEntry | string | undefined {
  const fields = raw.trim().split(/\s+/);
  if (!fields[0] || fields[0].startsWith('#')) return undefined;
  let revoked = false;
  if (fields[0].startsWith('@')) {
    const marker = fields.shift();
    if (marker === '@cert-authority') return CERT_AUTHORITY_UNSUPPORTED;
    if (marker !== '@revoked') return `unknown marker ${marker} — only @revoked is supported`;
    revoked = true;
  }
  const [hosts, keyType, key] = fields;
  if (!hosts || !keyType || !key) return 'expected "HOSTS KEYTYPE KEY" (as ssh-keyscan writes it)';
  const names = parseNames(hosts);
  if (typeof names === 'string') return names;
  const blob = BASE64.test(key) ? Buffer.from(key, 'base64') : undefined;
  // The blob starts with its own type name: a key pasted under the wrong type, or cut short, shows here.
  if (!blob || blobType(blob) !== keyType) return `not a ${keyType} public key (the blob does not decode to one) — copy the line again from ssh-keyscan`;
  return { line, revoked, names, keyType, key: blob.toString('base64') };
}

function parseNames(field: string): KnownHostsNames | string {
  if (field.startsWith('|')) {
    const m = HASHED.exec(field);
    if (!m) return `"${field}" is not a hashed name as ssh-keygen -H writes it (|1|salt|hash)`;
    return { kind: 'hashed', salt: m[1]!, hash: m[2]! };
  }
  const patterns = field.split(',');
  if (patterns.some((p) => p === '' || p === '!')) return `"${field}" has an empty host name — separate names with single commas`;
  return { kind: 'patterns', patterns };
}

/** uint32 length + type name ("ssh-ed25519") at the start of an SSH public key blob. */
function blobType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const len = blob.readUInt32BE(0);
  return len > 0 && len < 64 && blob.length > 4 + len ? blob.subarray(4, 4 + len).toString('latin1') : undefined;
}
