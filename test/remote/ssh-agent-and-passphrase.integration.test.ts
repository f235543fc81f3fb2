import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Env } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/types.js';
import { OpsError } from '../../src/errors.js';
import { createLogger } from '../../src/log/create-logger.js';
import { SshTransport } from '../../src/remote/ssh-transport.js';
import { testConfig } from '../support/config.js';
import { runOk } from '../support/proc.js';
import { type SshAgentHandle, startSshAgent } from '../support/ssh-agent.js';
import { startSshd, type SshdHandle } from '../support/sshd.js';
import { makeTempDir, removeDir } from '../support/tmp.js';

/*
 * `ssh.agent: true`, `ssh.privateKeyPassphraseEnv` and `defaults:` against a real OpenSSH server
 * and real ssh-agents: one holding the key sshd authorizes, one holding only a key it does not.
 */
const log = createLogger({ level: 'silent' });
const EXEC = { timeoutMs: 10_000, maxBytes: 64 * 1024 };
let sshd: SshdHandle;
let dir: string;
let goodAgent: SshAgentHandle;
let wrongAgent: SshAgentHandle;
let encryptedKey: string;
const open: SshTransport[] = [];

function hostDoc(name: string, ssh: object): object {
  return { name, ssh: { host: '127.0.0.1', port: sshd.port, username: sshd.user, hostKey: sshd.hostKeyFingerprint, readyTimeout: '5s', ...ssh } };
}
function transportOf(config: Config, i = 0): SshTransport {
  const ssh = config.hosts[i]?.ssh;
  assert.ok(ssh);
  const t = new SshTransport(ssh, log);
  open.push(t);
  return t;
}
function configError(doc: object, env: Env): string {
  try {
    testConfig(doc, env);
  } catch (err) {
    assert.ok(err instanceof OpsError);
    assert.equal(err.code, 'CONFIG');
    return err.message;
  }
  return assert.fail('expected a config error');
}

before(async () => {
  sshd = await startSshd();
  dir = makeTempDir('agent');
  // The key sshd authorizes goes into one agent; a key it has never seen into the other.
  await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'other_key')]);
  goodAgent = await startSshAgent(dir, 'good');
  await goodAgent.add(sshd.privateKeyPath);
  wrongAgent = await startSshAgent(dir, 'wrong');
  await wrongAgent.add(join(dir, 'other_key'));
  // An encrypted key, authorized too.
  encryptedKey = join(dir, 'encrypted_key');
  await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'pass phrase', '-f', encryptedKey]);
  appendFileSync(join(sshd.dir, 'authorized_keys'), readFileSync(`${encryptedKey}.pub`, 'utf8'));
});
after(async () => {
  await Promise.allSettled(open.map((t) => t.close()));
  await Promise.allSettled([goodAgent?.stop(), wrongAgent?.stop()]);
  await sshd?.destroy();
  if (dir) removeDir(dir);
});

describe('ssh-agent, encrypted keys and defaults on a real sshd', () => {
  it('agent: true logs in with the key the ssh-agent at SSH_AUTH_SOCK holds', async () => {
    const config = testConfig({ hosts: [hostDoc('a', { agent: true })] }, { SSH_AUTH_SOCK: goodAgent.socket });
    assert.equal(config.hosts[0]?.ssh?.agent, goodAgent.socket);
    const res = await transportOf(config).exec('id -un', EXEC);
    assert.equal(res.stdout.trim(), sshd.user);
  });

  it('an agent holding only a key the server does not accept: SSH_AUTH saying how many keys it offered and which to add', async () => {
    const config = testConfig({ hosts: [hostDoc('a', { agent: true })] }, { SSH_AUTH_SOCK: wrongAgent.socket });
    await assert.rejects(transportOf(config).exec('id', EXEC), (e: unknown) => {
      assert.ok(e instanceof OpsError, String(e));
      assert.equal(e.code, 'SSH_AUTH');
      assert.equal(
        e.toUserText(),
        `${sshd.user}@127.0.0.1:${sshd.port}: the agent at SSH_AUTH_SOCK offered 1 key and the server accepted none — ` +
          `ssh-add the key whose public half is in ~${sshd.user}/.ssh/authorized_keys on 127.0.0.1`,
      );
      return true;
    });
  });

  it('an agent that went away after start: SSH_AUTH naming SSH_AUTH_SOCK', async () => {
    const gone = await startSshAgent(dir, 'gone');
    const config = testConfig({ hosts: [hostDoc('a', { agent: true })] }, { SSH_AUTH_SOCK: gone.socket });
    await gone.stop();
    await assert.rejects(transportOf(config).exec('id', EXEC), (e: unknown) => {
      assert.ok(e instanceof OpsError, String(e));
      assert.equal(e.code, 'SSH_AUTH');
      assert.match(e.toUserText(), /cannot use the ssh-agent at SSH_AUTH_SOCK .* — start ssh-agent, ssh-add the key/);
      return true;
    });
  });

  it('an encrypted key with the right passphrase connects', async () => {
    const doc = { hosts: [hostDoc('a', { privateKeyPath: encryptedKey, privateKeyPassphraseEnv: 'MONEYMIND_KEY_PASSPHRASE' })] };
    const config = testConfig(doc, { MONEYMIND_KEY_PASSPHRASE: 'pass phrase' });
    const t = transportOf(config);
    const res = await t.exec('id -un', EXEC);
    assert.equal(res.stdout.trim(), sshd.user);
    // A reconnect reuses the key decrypted once.
    await t.close();
    const again = transportOf(config);
    assert.equal((await again.exec('echo ok', EXEC)).stdout.trim(), 'ok');
  });

  it('an encrypted key with a wrong passphrase is a config error, not a failed connection', () => {
    const doc = { hosts: [hostDoc('a', { privateKeyPath: encryptedKey, privateKeyPassphraseEnv: 'MONEYMIND_KEY_PASSPHRASE' })] };
    assert.equal(
      configError(doc, { MONEYMIND_KEY_PASSPHRASE: 'wrong' }),
      'config test config has 1 problem:\n' +
        `  - hosts[0].ssh.privateKeyPath: the passphrase in MONEYMIND_KEY_PASSPHRASE does not decrypt it — set MONEYMIND_KEY_PASSPHRASE ` +
        `to the passphrase of ${encryptedKey} (ssh-keygen -y -f FILE asks for it)`,
    );
  });

  it('20 hosts with one defaults: block resolve to the same ssh settings, and every one logs in', async () => {
    const doc = {
      defaults: { ssh: { port: sshd.port, username: sshd.user, agent: true, readyTimeout: '5s' }, app: { manager: 'supervisor' } },
      hosts: Array.from({ length: 20 }, (_, i) => ({ name: `app-${i}`, ssh: { host: '127.0.0.1', hostKey: sshd.hostKeyFingerprint } })),
    };
    const config = testConfig(doc, { SSH_AUTH_SOCK: goodAgent.socket });
    assert.equal(config.hosts.length, 20);
    const first = JSON.stringify(config.hosts[0]?.ssh);
    for (const h of config.hosts) {
      assert.equal(JSON.stringify(h.ssh), first, h.name);
      assert.equal(h.app.manager, 'supervisor');
    }
    assert.equal(config.hosts[0]?.ssh?.agent, goodAgent.socket);
    const users = await Promise.all(config.hosts.map((_, i) => transportOf(config, i).exec('id -un', EXEC)));
    assert.deepEqual(
      users.map((r) => r.stdout.trim()),
      Array(20).fill(sshd.user),
    );
  });
});
