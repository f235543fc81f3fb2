import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/cli/run-cli.js';
import { createLogger } from '../../src/log/create-logger.js';
import { writeConfigFile } from '../support/config.js';
import { runOk } from '../support/proc.js';
import { installSudoers } from '../support/sudoers.js';
import { startTestHost, type TestHost } from '../support/test-host.js';
import { TEST_THRESHOLDS } from '../support/test-thresholds.js';
import { ensureTestUser } from '../support/test-user.js';

/*
 * `moneymind doctor` and `moneymind scan` against the real test host: sshd, MariaDB with the
 * README's monitor grants, supervisord running the stand-in with the test user's sudoers drop-in.
 */
const KERN_LOG = '/var/log/kern.log';
let host: TestHost;
let dir: string;
let madeKernLog = false;
const log = createLogger({ level: 'silent' });

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, host.env, { stdout: (t) => (stdout += `${t}\n`), stderr: (t) => (stderr += `${t}\n`), isTTY: false }, log);
  return { code, stdout, stderr };
}
const configFile = (): string => writeConfigFile(join(dir, 'moneymind.yml'), { hosts: [host.hostConfig('prod-1')], thresholds: TEST_THRESHOLDS });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mm-doctor-'));
  host = await startTestHost({ withDb: true });
  // This machine has no systemd journal and no kern.log: a host set up as the README says has one
  // of them, readable by the bot's user. Made for the test (the user's own group) and removed after.
  if (!existsSync(KERN_LOG)) {
    const user = await ensureTestUser(host.sshd.user);
    writeFileSync(KERN_LOG, '', { mode: 0o640 });
    chownSync(KERN_LOG, 0, user.gid);
    chmodSync(KERN_LOG, 0o640);
    madeKernLog = true;
  }
});
after(async () => {
  if (madeKernLog) rmSync(KERN_LOG, { force: true });
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('moneymind doctor on a real host', () => {
  it('set up as the README says: every item passes, exit 0', async () => {
    const r = await cli(['doctor', 'prod-1', '--config', configFile()]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^prod-1 \(\w+@127\.0\.0\.1:\d+\): all 8 pass$/m);
    for (const line of [
      /✓ SSH \w+@127\.0\.0\.1:\d+: logged in, host key matches SHA256:/,
      /✓ sudo -n supervisorctl -c \S+ status moneymind: allowed \(moneymind RUNNING/,
      /✓ restart allowed by sudoers: sudo -n supervisorctl -c \S+ restart moneymind/,
      /✓ log file \S+ readable by \w+/,
      /✓ kernel log \/var\/log\/kern.log readable/,
      /✓ \/health answers through the tunnel: GET \/health → 200/,
      /✓ MySQL 'monitor'@'127.0.0.1' has PROCESS/,
      /✓ ss: :\d+ listening, process python3 \(pid \d+\)/,
    ])
      assert.match(r.stdout, line);
    assert.doesNotMatch(r.stdout, /fix:/);
  });

  it('the sudoers line for restart missing: doctor names the line to add, exit 1', async () => {
    const file = host.app.sudoersFile;
    assert.ok(file, 'the test host installs a sudoers drop-in (root)');
    const saved = readFileSync(file, 'utf8');
    const conf = host.app.supervisorConfig;
    // Only the status line left: the drop-in for restart removed.
    rmSync(file);
    const statusOnly = await installSudoers(host.sshd.user, [`/usr/bin/supervisorctl -c ${conf} status moneymind`], dir);
    try {
      const r = await cli(['doctor', 'prod-1', '--config', configFile()]);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /^prod-1 \(.*\): 1 of 8 to fix$/m);
      assert.match(r.stdout, /✓ sudo -n supervisorctl -c \S+ status moneymind: allowed/);
      const user = host.sshd.user;
      assert.match(r.stdout, new RegExp(`✗ restart not allowed for ${user} by sudoers: sudo -n supervisorctl -c ${conf} restart moneymind`));
      const line = `${user} ALL=(root) NOPASSWD: /usr/bin/supervisorctl -c ${conf} status moneymind, /usr/bin/supervisorctl -c ${conf} restart moneymind`;
      assert.ok(
        r.stdout.includes(`fix: add this line to /etc/sudoers.d/moneymind-bot (mode 0440, check with visudo -cf /etc/sudoers.d/moneymind-bot): ${line}`),
        r.stdout,
      );
      // The named line is one sudo accepts, and with it restart is allowed again.
      const draft = join(dir, 'draft');
      writeFileSync(draft, `${line}\n`, { mode: 0o440 });
      await runOk('visudo', ['-c', '-q', '-f', draft]);
    } finally {
      rmSync(statusOnly, { force: true });
      writeFileSync(`${file}.tmp`, saved, { mode: 0o440 });
      renameSync(`${file}.tmp`, file);
    }
    assert.equal((await cli(['doctor', 'prod-1', '--config', configFile()])).code, 0);
  });
});

describe('moneymind scan on a real sshd', () => {
  it('prints the fingerprint ssh-keygen -lf gives for the sshd host key, and a stanza to verify', async () => {
    const pub = join(host.sshd.dir, 'ssh_host_ed25519_key.pub');
    const expected = (await runOk('ssh-keygen', ['-lf', pub])).stdout.trim().split(/\s+/);
    const r = await cli(['scan', `127.0.0.1:${host.sshd.port}`]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    // "256 SHA256:… comment (ED25519)" from ssh-keygen; scan prints bits, fingerprint and type.
    assert.ok(r.stdout.includes(`  ${expected[0]} ${expected[1]} ${expected.at(-1)}`), `${expected.join(' ')}\n${r.stdout}`);
    assert.equal(expected[1], host.sshd.hostKeyFingerprint);
    assert.match(r.stdout, new RegExp(`hostKey: "${expected[1]!.replace(/[+/]/g, '\\$&')}"`));
    assert.match(r.stdout, /verify/i);
    // Nothing authenticated: sshd saw no login attempt by the scan's user name.
    const sshdLog = readFileSync(join(host.sshd.dir, 'sshd.log'), 'utf8');
    assert.doesNotMatch(sshdLog, /Accepted \w+ for moneymind-scan|Invalid user moneymind-scan/);
  });

  it('a closed port: the connection error, exit 2; a name that is not a host: usage, exit 2', async () => {
    const closed = await cli(['scan', '127.0.0.1:1']);
    assert.equal(closed.code, 2, closed.stdout + closed.stderr);
    assert.match(closed.stderr, /cannot connect to 127\.0\.0\.1:1: ECONNREFUSED/);
    const bad = await cli(['scan', '$(reboot)']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not a host name or IP address/);
  });
});
