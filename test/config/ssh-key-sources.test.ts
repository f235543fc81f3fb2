import { configProblems } from '../support/config.js';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { secretValues } from '../../src/boundary/secret-values.js';
import { resolveConfig } from '../../src/config/load-config.js';

// How a host authenticates: exactly one of privateKeyPath, privateKeyEnv or agent: true; an
// encrypted key and its passphrase variable; the ssh-agent's socket. Keys are made by ssh-keygen.

const dir = mkdtempSync(join(tmpdir(), 'mm-key-sources-'));
const plainKey = join(dir, 'plain');
const encryptedKey = join(dir, 'encrypted');
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', plainKey]);
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'pass', '-f', encryptedKey]);
const FP = 'SHA256:ffstP7ZDLHJzi3ey+UwtzDQ9yhF4mLLZbdR9vIq4Ntc';
const PASS = 'MONEYMIND_KEY_PASSPHRASE';

const doc = (ssh: object) => ({ hosts: [{ name: 'a', ssh: { host: 'h', username: 'ops', hostKey: FP, ...ssh } }] });
const problems = (ssh: object, env: Record<string, string> = {}): string[] => configProblems(() => resolveConfig(doc(ssh), env, 'test'));

let agentServer: Server;
const agentSocket = join(dir, 'agent.sock');
before(async () => {
  // A listening Unix socket where SSH_AUTH_SOCK points: what config load checks for.
  agentServer = createServer((s) => s.destroy());
  await new Promise<void>((resolve) => agentServer.listen(agentSocket, resolve));
});
after(() => new Promise<void>((resolve) => agentServer.close(() => resolve())));

describe('ssh key sources', () => {
  it('exactly one of privateKeyPath, privateKeyEnv or agent: true', () => {
    const one = 'give exactly one of privateKeyPath, privateKeyEnv or agent: true';
    const fix = " — point it at the bot's private key file, or use privateKeyEnv: NAME or agent: true (ssh-agent)";
    assert.deepEqual(problems({}), [`hosts[0].ssh.privateKeyPath: ${one}${fix}`]);
    assert.deepEqual(problems({ agent: false }), [`hosts[0].ssh.privateKeyPath: ${one}${fix}`]);
    assert.deepEqual(problems({ privateKeyPath: plainKey, agent: true }, { SSH_AUTH_SOCK: agentSocket }), [
      `hosts[0].ssh.privateKeyPath: ${one} (this host has privateKeyPath and agent)${fix}`,
    ]);
    assert.deepEqual(problems({ privateKeyEnv: 'K', agent: true }, { K: 'x' }), [`hosts[0].ssh.privateKeyEnv: ${one} (this host has privateKeyEnv and agent)`]);
  });

  it('agent: true takes the socket from SSH_AUTH_SOCK in the environment given', () => {
    const config = resolveConfig(doc({ agent: true }), { SSH_AUTH_SOCK: agentSocket }, 'test');
    assert.equal(config.hosts[0]?.ssh?.agent, agentSocket);
    assert.equal(config.hosts[0]?.ssh?.privateKey.reveal(), '');
  });

  it('agent: true without an agent is a config error naming the fix', () => {
    assert.deepEqual(problems({ agent: true }), ['hosts[0].ssh.agent: SSH_AUTH_SOCK is not set — start ssh-agent and ssh-add the key, or use privateKeyPath']);
    const gone = join(dir, 'gone.sock');
    assert.deepEqual(problems({ agent: true }, { SSH_AUTH_SOCK: gone }), [
      `hosts[0].ssh.agent: SSH_AUTH_SOCK is ${gone}, which does not exist (the agent is gone?) — start ssh-agent and ssh-add the key, or use privateKeyPath`,
    ]);
    assert.deepEqual(problems({ agent: true }, { SSH_AUTH_SOCK: plainKey }), [
      `hosts[0].ssh.agent: SSH_AUTH_SOCK is ${plainKey}, which is not a socket — start ssh-agent and ssh-add the key, or use privateKeyPath`,
    ]);
  });

  it('a passphrase belongs to a key the bot reads, not to the agent', () => {
    assert.deepEqual(problems({ agent: true, privateKeyPassphraseEnv: PASS }, { SSH_AUTH_SOCK: agentSocket, [PASS]: 'pass' }), [
      'hosts[0].ssh.privateKeyPassphraseEnv: only for a key the bot reads (privateKeyPath or privateKeyEnv): the agent holds its keys decrypted — remove it',
    ]);
  });

  it('an encrypted key without privateKeyPassphraseEnv says to set it', () => {
    assert.deepEqual(problems({ privateKeyPath: encryptedKey }), [
      `hosts[0].ssh.privateKeyPath: ${encryptedKey} is encrypted — set ssh.privateKeyPassphraseEnv to the variable holding its passphrase`,
    ]);
    assert.deepEqual(problems({ privateKeyEnv: 'MM_KEY' }, { MM_KEY: readFileSync(encryptedKey, 'utf8') }), [
      'hosts[0].ssh.privateKeyEnv: the key in MM_KEY is encrypted — set ssh.privateKeyPassphraseEnv to the variable holding its passphrase',
    ]);
  });

  it('an unset passphrase variable, and a wrong passphrase, are named', () => {
    assert.deepEqual(problems({ privateKeyPath: encryptedKey, privateKeyPassphraseEnv: PASS }), [
      `hosts[0].ssh.privateKeyPassphraseEnv: environment variable ${PASS} is not set — export it before starting the bot`,
    ]);
    assert.deepEqual(problems({ privateKeyPath: encryptedKey, privateKeyPassphraseEnv: PASS }, { [PASS]: 'nope' }), [
      `hosts[0].ssh.privateKeyPath: the passphrase in ${PASS} does not decrypt it — ` +
        `set ${PASS} to the passphrase of ${encryptedKey} (ssh-keygen -y -f FILE asks for it)`,
    ]);
  });

  it('the schema problems and the passphrase problems come in one error', () => {
    const found = problems({ privateKeyPath: encryptedKey, privateKeyPassphraseEnv: PASS, port: 'x' }, { [PASS]: 'nope' });
    assert.equal(found.length, 2, found.join('\n'));
    assert.match(found.join('\n'), /ssh\.port:[\s\S]*the passphrase in MONEYMIND_KEY_PASSPHRASE does not decrypt it/);
  });

  it('the right passphrase: the key and its passphrase are secrets, never printed, and redacted', () => {
    const config = resolveConfig(doc({ privateKeyPath: encryptedKey, privateKeyPassphraseEnv: PASS }), { [PASS]: 'pass' }, 'test');
    const ssh = config.hosts[0]?.ssh;
    assert.equal(ssh?.passphrase?.reveal(), 'pass');
    assert.ok(!JSON.stringify(config).includes('"pass"'));
    assert.ok(!inspect(config, { depth: 10 }).includes("'pass'"));
    assert.ok(secretValues(config).includes('pass'), 'the passphrase joins what the Redactor masks');
  });

  it('hosts sharing one encrypted key through defaults decrypt it once and share one Secret', () => {
    const started = Date.now();
    const config = resolveConfig(
      {
        defaults: { ssh: { username: 'ops', privateKeyPath: encryptedKey, privateKeyPassphraseEnv: PASS } },
        hosts: Array.from({ length: 20 }, (_, i) => ({ name: `h${i}`, ssh: { host: `10.0.0.${i}`, hostKey: FP } })),
      },
      { [PASS]: 'pass' },
      'test',
    );
    const keys = new Set(config.hosts.map((h) => h.ssh?.privateKey));
    assert.equal(keys.size, 1);
    // One bcrypt decryption is ~0.4 s; twenty would be ~8 s.
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  });
});
