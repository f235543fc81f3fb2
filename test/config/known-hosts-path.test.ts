import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configProblems } from '../support/config.js';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { FIXTURES } from '../fixture.js';

/*
 * ssh.knownHostsPath at load: exactly one of hostKey / knownHostsPath, the file read and checked
 * once, its problems listed with the others. The files are test/fixtures/known-hosts/ (sshd A on
 * 127.0.0.1:34079, see its README).
 */
const dir = mkdtempSync(join(tmpdir(), 'mm-known-hosts-'));
const keyPath = join(dir, 'id_ed25519');
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyPath]);
const FP = '"SHA256:ffstP7ZDLHJzi3ey+UwtzDQ9yhF4mLLZbdR9vIq4Ntc"';
const KH = (name: string) => join(FIXTURES, 'known-hosts', name);
const A_KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIA0FP8my68PLcEgKAm9T2UJYNxYSgI5rZVvmqqvJOZum';
let n = 0;
function file(yaml: string): string {
  const p = join(dir, `c${n++}.yml`);
  writeFileSync(p, yaml);
  return p;
}
const host = (ssh: string, name = 'a') => `  - name: ${name}\n    ssh: { username: ops, privateKeyPath: ${keyPath}, ${ssh} }\n`;
const problems = (yaml: string): string[] => configProblems(() => loadConfig({}, file(yaml)));

describe('config: ssh.knownHostsPath', () => {
  it('loads the keys the file lists for [host]:port', () => {
    const cfg = loadConfig({}, file(`hosts:\n${host(`host: 127.0.0.1, port: 34079, knownHostsPath: ${KH('several')}`)}`));
    const ssh = cfg.hosts[0]?.ssh;
    assert.equal(ssh?.hostKey, undefined);
    assert.deepEqual(ssh?.knownHosts && { ...ssh.knownHosts, keys: ssh.knownHosts.keys.map((k) => k.line) }, {
      path: KH('several'),
      name: '[127.0.0.1]:34079',
      keys: [2, 4],
      revoked: [],
    });
    assert.ok(Object.isFrozen(ssh?.knownHosts?.keys[0]));
  });

  it('port 22 looks the bare host up, hashed or not', () => {
    for (const f of ['port-22', 'port-22-hashed']) {
      const cfg = loadConfig({}, file(`hosts:\n${host(`host: 127.0.0.1, knownHostsPath: ${KH(f)}`)}`));
      assert.deepEqual(
        cfg.hosts[0]?.ssh?.knownHosts?.keys.map((k) => k.key),
        [A_KEY],
      );
    }
  });

  it('a hostKey pin has no knownHosts', () => {
    const cfg = loadConfig({}, file(`hosts:\n${host(`host: h, hostKey: ${FP}`)}`));
    assert.equal(cfg.hosts[0]?.ssh?.knownHosts, undefined);
  });

  describe('exactly one of hostKey or knownHostsPath', () => {
    it('neither: hostKey is required, and knownHostsPath is named as the alternative', () => {
      assert.deepEqual(problems(`hosts:\n${host('host: h')}`), [
        'hosts[0].ssh.hostKey: required — run ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the host and paste the SHA256:… part, ' +
          'or give knownHostsPath (a known_hosts file) instead',
      ]);
    });
    it('both: named at knownHostsPath with the fix', () => {
      assert.deepEqual(problems(`hosts:\n${host(`host: 127.0.0.1, port: 34079, hostKey: ${FP}, knownHostsPath: ${KH('plain')}`)}`), [
        'hosts[0].ssh.knownHostsPath: give exactly one of hostKey or knownHostsPath, not both — remove one of them',
      ]);
    });
    it('neither, in the same round as other schema problems', () => {
      const found = problems(`hosts:\n  - name: a\n    ssh: { host: h, privateKeyPath: ${keyPath} }\n`);
      assert.deepEqual(
        found.map((p) => p.split(':')[0]),
        ['hosts[0].ssh.username', 'hosts[0].ssh.hostKey'],
      );
    });
    it('a local host needs neither', () => {
      assert.equal(loadConfig({}, file('hosts:\n  - name: a\n    transport: local\n')).hosts[0]?.ssh, undefined);
    });
  });

  describe('the file is checked at load, its problems listed with the others', () => {
    it('a missing file, beside a missing secret of another host', () => {
      assert.deepEqual(
        problems(
          `hosts:\n${host('host: h, knownHostsPath: /nope/known_hosts')}  - name: b\n    transport: local\n    mysql: { user: m, passwordEnv: MM_PW }\n`,
        ),
        [
          "hosts[0].ssh.knownHostsPath: cannot read /nope/known_hosts (ENOENT) — check the path and that the bot's user may read it",
          'hosts[1].mysql.passwordEnv: environment variable MM_PW is not set — export it before starting the bot',
        ],
      );
    });
    it('a missing file, beside schema problems of the same host (one round)', () => {
      assert.deepEqual(problems(`hosts:\n  - name: a\n    ssh: { host: h, privateKeyPath: ${keyPath}, knownHostsPath: /nope/kh }\n`), [
        'hosts[0].ssh.username: required — the account the bot logs in as, e.g. ops',
        "hosts[0].ssh.knownHostsPath: cannot read /nope/kh (ENOENT) — check the path and that the bot's user may read it",
      ]);
    });
    it('@cert-authority: refused with the ssh-keyscan line for this host', () => {
      assert.deepEqual(problems(`hosts:\n${host(`host: 127.0.0.1, port: 34079, knownHostsPath: ${KH('cert-authority')}`)}`), [
        `hosts[0].ssh.knownHostsPath: ${KH('cert-authority')} line 1: @cert-authority is not supported: pin the host keys themselves ` +
          '(ssh-keyscan -p 34079 127.0.0.1, checked with ssh-keygen -lf on the host)',
      ]);
    });
    it('no key for the host as ssh.host writes it', () => {
      assert.deepEqual(problems(`hosts:\n${host(`host: 10.0.0.5, port: 2222, knownHostsPath: ${KH('plain')}`)}`), [
        `hosts[0].ssh.knownHostsPath: ${KH('plain')} lists no key for [10.0.0.5]:2222 (ssh.host as written, in brackets with the port) — ` +
          `add the host's keys: ssh-keyscan -p 2222 10.0.0.5 >> ${KH('plain')}, then compare with ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on the host`,
      ]);
    });
    it('only revoked keys for the host', () => {
      assert.match(
        problems(`hosts:\n${host(`host: 127.0.0.1, port: 34079, knownHostsPath: ${KH('revoked')}`)}`).join('\n'),
        /revoked lists only revoked keys for \[127\.0\.0\.1\]:34079/,
      );
    });
    it('a broken line names the file and line', () => {
      const kh = join(dir, 'broken_hosts');
      writeFileSync(kh, `# made by hand\n127.0.0.1 ssh-ed25519\n127.0.0.1 ssh-ed25519 ${A_KEY}\n`);
      assert.deepEqual(problems(`hosts:\n${host(`host: 127.0.0.1, knownHostsPath: ${kh}`)}`), [
        `hosts[0].ssh.knownHostsPath: ${kh} line 2: expected "HOSTS KEYTYPE KEY" (as ssh-keyscan writes it)`,
      ]);
    });
  });
});
