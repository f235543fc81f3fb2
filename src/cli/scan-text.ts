import type { ScannedKey, ScanTarget } from '../app/create-cli-app.js';

/** What a host without an `app:` section gets (the schema's defaults; test/cli/scan-text.test.ts keeps them equal). */
export const APP_DEFAULTS = {
  healthUrl: 'http://127.0.0.1:5070/health',
  port: 5070,
  service: 'moneymind',
  manager: 'systemd',
  logFile: '/var/log/moneymind.log',
  processMatch: 'moneymind',
  poolRecycle: 3600,
} as const;

/** A config name ([a-z0-9-], 40 at most) from what was scanned: a host name's first label, an IP's digits. */
export function hostNameFor(host: string): string {
  const isName = /[a-z]/i.test(host) && !host.includes(':');
  const base = (isName ? (host.split('.')[0] ?? host) : host).toLowerCase();
  return (
    base
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'host'
  );
}

/**
 * `moneymind scan`'s answer: each key as `ssh-keygen -lf` prints it (bits, fingerprint, type), then a
 * host stanza pinning the ED25519 key (else the first), with the commands to verify it on the host.
 * The keys are what answered on the network: nothing is written, and it says so.
 */
export function scanText(target: ScanTarget, keys: readonly ScannedKey[]): string {
  const where = target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
  const pinned = keys.find((k) => k.type === 'ED25519') ?? keys[0];
  if (!pinned) return `${where} offered no host key of a kind the bot knows (ed25519, ecdsa, rsa)`;
  const yamlHost = /^[A-Za-z0-9.-]+$/.test(target.host) ? target.host : JSON.stringify(target.host);
  return [
    `host keys offered by ${where} (as ssh-keygen -lf prints them):`,
    ...keys.map((k) => `  ${k.bits} ${k.fingerprint} (${k.type})`),
    '',
    'NOT verified: these came over the network from whatever answered on that address. Verify on the host',
    'itself that each line matches, before you put the stanza below in moneymind.yml:',
    '  ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub   (and each other /etc/ssh/ssh_host_*_key.pub)',
    '',
    '# moneymind.yml, under hosts: — check hostKey against ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on the host first',
    `- name: ${hostNameFor(target.host)}`,
    '  transport: ssh',
    '  ssh:',
    `    host: ${yamlHost}`,
    `    port: ${target.port}`,
    '    username: ops',
    '    privateKeyPath: /run/secrets/moneymind_ssh_key',
    `    hostKey: "${pinned.fingerprint}"   # ${pinned.type}: verify on the host`,
    '  app:',
    ...Object.entries(APP_DEFAULTS).map(([k, v]) => `    ${k}: ${v}`),
  ].join('\n');
}
