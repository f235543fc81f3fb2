import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

/*
 * The container case for real: a root-owned 0600 key (how Docker mounts a secret by default) read by
 * a process of another user. Root reads any file, so the loader runs in a child process as nobody
 * (runuser); the unprivileged case in-process is in config-errors.test.ts.
 */
const root = process.getuid?.() === 0;
const runuser = root && spawnSync('runuser', ['--help']).status === 0;
const skip = !root ? 'needs root to make a file another user cannot read' : !runuser ? 'runuser is not installed' : false;

describe('a key file another user owns (EACCES)', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm-config-eacces-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('names the uid that may not read it and the fix, with the Compose settings', () => {
    chmodSync(dir, 0o755); // nobody may look into the directory; only the key itself is refused
    const key = join(dir, 'moneymind_ssh_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]); // root-owned, 0600
    const config = join(dir, 'moneymind.yml');
    writeFileSync(
      config,
      `hosts:\n  - name: a\n    ssh: { host: h, username: ops, privateKeyPath: ${key}, hostKey: "SHA256:ffstP7ZDLHJzi3ey+UwtzDQ9yhF4mLLZbdR9vIq4Ntc" }\n`,
    );
    const loader = new URL('../../src/config/load-config.ts', import.meta.url).href;
    const script = `import { loadConfig } from ${JSON.stringify(loader)};
try { loadConfig({}, ${JSON.stringify(config)}); } catch (err) { process.stdout.write(err.message); }`;
    const uid = execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim();
    const out = execFileSync('runuser', ['-u', 'nobody', '--', process.execPath, '--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      cwd: process.cwd(),
    });
    assert.equal(
      out,
      `config ${config} has 1 problem:\n` +
        `  - hosts[0].ssh.privateKeyPath: ${key} cannot be read by uid ${uid} (EACCES) — make it readable by that user: ` +
        `chown ${uid} ${key} or chmod 0640 with a group it is in; in Docker the mounted file itself must be (Compose ignores a file secret's uid and mode): ` +
        `install -o ${uid} -m 0400 KEY /etc/moneymind/ssh_key`,
    );
  });
});
