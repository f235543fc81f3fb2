import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * mkdtemp creates 0700 directories. The SSH test user must be able to
 * traverse them (sshd opens AuthorizedKeysFile as that user; the app runs as
 * that user and the bot reads its log), so open them up to 0755. Nothing
 * secret is readable by default: key files keep their own 0600 mode.
 */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `mm-${prefix}-`));
  chmodSync(dir, 0o755);
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
