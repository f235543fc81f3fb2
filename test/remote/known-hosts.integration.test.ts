import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/cli/run-cli.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { SshTarget } from '../../src/config/types.js';
import { OpsError } from '../../src/errors.js';
import { createLogger } from '../../src/log/create-logger.js';
import { SshTransport } from '../../src/remote/ssh-transport.js';
import { writeConfigFile } from '../support/config.js';
import { runOk } from '../support/proc.js';
import { startSshd, type SshdHandle } from '../support/sshd.js';

/*
 * ssh.knownHostsPath end to end: known_hosts files written by ssh-keyscan (and ssh-keygen -H)
 * against a real sshd, loaded by the real config loader, used by the real SSH transport and CLI.
 * `other` is a second sshd: its key is the one a spoofed host would offer.
 */
const log = createLogger({ level: 'silent' });
let sshd: SshdHandle;
let other: SshdHandle;
let dir: string;
let n = 0;
const open: SshTransport[] = [];
const EXEC = { timeoutMs: 10_000, maxBytes: 1024 * 1024 };
const re = (s: string) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

/** `ssh-keyscan -p PORT 127.0.0.1`: "[127.0.0.1]:PORT ssh-ed25519 AAAA…" lines. */
async function keyscan(port: number): Promise<string> {
  const { stdout } = await runOk('ssh-keyscan', ['-p', String(port), '127.0.0.1'], { timeoutMs: 10_000 });
  assert.match(stdout, /^\[127\.0\.0\.1\]:\d+ ssh-ed25519 /m);
  return stdout;
}
/** The other sshd's key line, listed under this sshd's name (what a spoofed host would answer with). */
const otherAsThis = async () => (await keyscan(other.port)).replaceAll(`[127.0.0.1]:${other.port} `, `[127.0.0.1]:${sshd.port} `);
function knownHosts(text: string): string {
  const path = join(dir, `known_hosts_${n++}`);
  writeFileSync(path, text);
  return path;
}
function configFile(knownHostsPath: string): string {
  const ssh = { host: '127.0.0.1', port: sshd.port, username: sshd.user, privateKeyPath: sshd.privateKeyPath, knownHostsPath };
  return writeConfigFile(join(dir, `c${n++}.yml`), { hosts: [{ name: 'kh-1', ssh }] });
}
function target(knownHostsPath: string): SshTarget {
  const ssh = loadConfig({}, configFile(knownHostsPath)).hosts[0]?.ssh;
  assert.ok(ssh?.knownHosts);
  return ssh;
}
function transport(t: SshTarget): SshTransport {
  const tr = new SshTransport(t, log);
  open.push(tr);
  return tr;
}
async function logsIn(knownHostsPath: string): Promise<void> {
  const res = await transport(target(knownHostsPath)).exec('id -un', EXEC);
  assert.equal(res.stdout.trim(), sshd.user);
}
async function refused(knownHostsPath: string): Promise<OpsError> {
  const err = await transport(target(knownHostsPath))
    .exec('id -un', EXEC)
    .then(
      () => assert.fail('connected to a host the known_hosts file does not allow'),
      (e: unknown) => e,
    );
  assert.ok(err instanceof OpsError, String(err));
  assert.equal(err.code, 'SSH_HOSTKEY_MISMATCH', err.message);
  return err;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mm-known-hosts-'));
  [sshd, other] = await Promise.all([startSshd(), startSshd()]);
});
after(async () => {
  await Promise.allSettled(open.map((t) => t.close()));
  await Promise.allSettled([sshd?.destroy(), other?.destroy()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('ssh.knownHostsPath against a real sshd', () => {
  it('a plain [127.0.0.1]:PORT entry from ssh-keyscan: logs in', async () => {
    await logsIn(knownHosts(await keyscan(sshd.port)));
  });

  it('a hashed entry (ssh-keygen -H): logs in, and the file names no host', async () => {
    const path = knownHosts(await keyscan(sshd.port));
    await runOk('ssh-keygen', ['-H', '-f', path]);
    const text = readFileSync(path, 'utf8');
    assert.match(text, /^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+ ssh-ed25519 /);
    assert.ok(!text.includes('127.0.0.1'));
    await logsIn(path);
  });

  it('a name list and a pattern: prod-1,[127.0.0.1]:PORT and [127.0.0.?]:PORT', async () => {
    const line = (await keyscan(sshd.port)).trim();
    await logsIn(knownHosts(line.replace(`[127.0.0.1]:${sshd.port} `, `prod-1,[127.0.0.1]:${sshd.port} `)));
    await logsIn(knownHosts(`# by pattern\n\n${line.replace(`[127.0.0.1]:${sshd.port} `, `[127.0.0.?]:${sshd.port} `)}\n`));
  });

  it('several keys for the host: any one the host offers is accepted', async () => {
    const path = knownHosts(`${await otherAsThis()}${await keyscan(sshd.port)}`);
    assert.equal(target(path).knownHosts?.keys.length, 2);
    await logsIn(path);
  });

  it("another sshd's key only: SSH_HOSTKEY_MISMATCH naming the host, the file, the key expected and the key received", async () => {
    const path = knownHosts(await otherAsThis());
    const err = await refused(path);
    assert.match(err.message, re(`host key of 127.0.0.1:${sshd.port} is not one ${path} lists for [127.0.0.1]:${sshd.port}`));
    assert.match(err.message, re(`expected one of ${other.hostKeyFingerprint} (ssh-ed25519, line 1), received ${sshd.hostKeyFingerprint} (ssh-ed25519)`));
    assert.match(
      err.fix ?? '',
      re(`check the new key on the host with ssh-keygen -lf and replace its line in ${path} (ssh-keyscan -p ${sshd.port} 127.0.0.1)`),
    );
  });

  it('the CLI diagnoses the mismatch as host-unreachable, with both keys in the evidence', async () => {
    const cfg = configFile(knownHosts(await otherAsThis()));
    let stdout = '';
    const io = { stdout: (t: string) => (stdout += t), stderr: () => {}, isTTY: false };
    const code = await runCli(['check', 'health', 'kh-1', '--config', cfg, '--json'], {}, io, log);
    assert.equal(code, 1);
    const report = JSON.parse(stdout) as { hosts: { checks: { error?: { code: string } }[]; causes: { id: string; evidence: string[] }[] }[] };
    const h = report.hosts[0];
    assert.equal(h?.checks[0]?.error?.code, 'SSH_HOSTKEY_MISMATCH');
    assert.deepEqual(
      h?.causes.map((c) => c.id),
      ['host-unreachable'],
    );
    assert.match(h?.causes[0]?.evidence.join('\n') ?? '', re(`expected one of ${other.hostKeyFingerprint}`));
    assert.match(h?.causes[0]?.evidence.join('\n') ?? '', re(`received ${sshd.hostKeyFingerprint}`));
  });

  it('@revoked on the real key: refused even though another line lists it', async () => {
    const real = await keyscan(sshd.port);
    const path = knownHosts(`${await otherAsThis()}${real}@revoked ${real}`);
    const err = await refused(path);
    assert.match(err.message, re(`host key of 127.0.0.1:${sshd.port} is revoked in ${path} (@revoked, line 3): received ${sshd.hostKeyFingerprint}`));
    assert.match(err.message, re(`expected one of ${other.hostKeyFingerprint} (ssh-ed25519, line 1)`));
  });

  it('@cert-authority: a config error at load, from the CLI too (exit 2, nothing run)', async () => {
    const path = knownHosts(`@cert-authority ${await keyscan(sshd.port)}`);
    const expected = re(
      `hosts[0].ssh.knownHostsPath: ${path} line 1: @cert-authority is not supported: pin the host keys themselves ` +
        `(ssh-keyscan -p ${sshd.port} 127.0.0.1, checked with ssh-keygen -lf on the host)`,
    );
    assert.throws(
      () => loadConfig({}, configFile(path)),
      (e: unknown) => e instanceof OpsError && e.code === 'CONFIG' && expected.test(e.message),
    );
    let stderr = '';
    const io = { stdout: () => {}, stderr: (t: string) => (stderr += t), isTTY: false };
    assert.equal(await runCli(['check', 'health', 'kh-1', '--config', configFile(path)], {}, io, log), 2);
    assert.match(stderr, expected);
  });
});
