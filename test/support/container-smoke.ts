/**
 * What the container smokes' helper processes share (scripts/image-smoke-host.ts,
 * deploy/smoke/smoke-host.ts): the test host's key where a container reads it, the host entry that
 * points at it, and stopping when the calling script says so.
 */
import { chmodSync, chownSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { TestHost } from './test-host.js';

/**
 * DIR/ssh_key (below) and DIR/moneymind.yml: the test host as `smoke-1` with its key where the
 * container has the secret, an alert channel, and `extra` (e.g. `watch`). Returns the YAML.
 */
export function writeContainerConfig(host: TestHost, dir: string, extra: Record<string, unknown> = {}): string {
  keyForContainer(host, dir);
  const yaml = stringify({ hosts: [containerHostEntry(host)], slack: { alertChannel: 'C0SMOKE01' }, ...extra });
  writeFileSync(join(dir, 'moneymind.yml'), yaml, { mode: 0o644 });
  return yaml;
}

/** DIR/ssh_key: the client key, owned by the image's `node` user (uid 1000) and mode 0400, as the README mounts it. */
export function keyForContainer(host: TestHost, dir: string): void {
  const key = join(dir, 'ssh_key');
  copyFileSync(host.sshd.privateKeyPath, key);
  chownSync(key, 1000, 1000);
  chmodSync(key, 0o400);
}

/** The test host as `smoke-1`, its key where the container has the secret. */
export const containerHostEntry = (host: TestHost): Record<string, unknown> =>
  host.hostConfig('smoke-1', { ssh: { privateKeyPath: '/run/secrets/moneymind_ssh_key' } });

/** Runs `stop` on SIGTERM, SIGINT or the end of stdin (the calling script closing its end). */
export function stopWhenAsked(stop: () => Promise<void>): void {
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  process.stdin.resume();
  process.stdin.once('end', () => void stop());
}
