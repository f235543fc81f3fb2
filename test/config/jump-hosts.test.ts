import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configProblems } from '../support/config.js';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/load-config.js';

// `jumpHosts:` and `ssh.jumpHost`: the bastion's own key and pin, the name check, defaults.

const dir = mkdtempSync(join(tmpdir(), 'mm-jump-config-'));
const keyPath = join(dir, 'id_ed25519');
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyPath]);
const FP = 'SHA256:ffstP7ZDLHJzi3ey+UwtzDQ9yhF4mLLZbdR9vIq4Ntc';
const FP2 = 'SHA256:AAAAP7ZDLHJzi3ey+UwtzDQ9yhF4mLLZbdR9vIq4Ntc';

const bastion = (over: object = {}) => ({ name: 'bastion', host: 'bastion.example.net', username: 'jump', privateKeyPath: keyPath, hostKey: FP2, ...over });
const host = (name: string, ssh: object = {}) => ({ name, ssh: { host: '10.0.0.5', username: 'ops', privateKeyPath: keyPath, hostKey: FP, ...ssh } });

const problems = (doc: object): string[] => configProblems(() => resolveConfig(doc, {}, 'test'));

describe('config: jump hosts', () => {
  it('hosts naming a jump host carry it (one object for all); maxChannels defaults to 10 and can be raised', () => {
    const c = resolveConfig(
      { jumpHosts: [bastion()], hosts: [host('prod-1', { jumpHost: 'bastion' }), host('prod-2', { jumpHost: 'bastion' }), host('direct')] },
      {},
    );
    const [a, b, direct] = c.hosts;
    assert.equal(a!.ssh!.jump?.name, 'bastion');
    assert.equal(a!.ssh!.jump, b!.ssh!.jump);
    assert.equal(a!.ssh!.jump, c.jumpHosts[0]);
    assert.equal(direct!.ssh!.jump, undefined);
    assert.deepEqual(
      {
        host: c.jumpHosts[0]!.host,
        port: c.jumpHosts[0]!.port,
        user: c.jumpHosts[0]!.username,
        hostKey: c.jumpHosts[0]!.hostKey,
        max: c.jumpHosts[0]!.maxChannels,
      },
      { host: 'bastion.example.net', port: 22, user: 'jump', hostKey: FP2, max: 10 },
    );
    assert.ok(c.jumpHosts[0]!.privateKey.reveal().includes('PRIVATE KEY'));
    const raised = resolveConfig({ jumpHosts: [bastion({ maxChannels: 40 })], hosts: [host('prod-1', { jumpHost: 'bastion' })] }, {});
    assert.equal(raised.jumpHosts[0]!.maxChannels, 40);
  });

  it('defaults.ssh.jumpHost puts every ssh host behind it; a host can name another', () => {
    const c = resolveConfig(
      {
        defaults: { ssh: { jumpHost: 'bastion', username: 'ops', privateKeyPath: keyPath } },
        jumpHosts: [bastion(), bastion({ name: 'other', host: 'other.example.net' })],
        hosts: [
          { name: 'a', ssh: { host: '10.0.0.5', hostKey: FP } },
          { name: 'b', ssh: { host: '10.0.0.6', hostKey: FP, jumpHost: 'other' } },
        ],
      },
      {},
    );
    assert.deepEqual(
      c.hosts.map((h) => h.ssh?.jump?.name),
      ['bastion', 'other'],
    );
  });

  it('an unknown jumpHost names the field, the known names and the likely one', () => {
    const p = problems({ jumpHosts: [bastion(), bastion({ name: 'edge' })], hosts: [host('prod-1', { jumpHost: 'bastoin' })] });
    assert.deepEqual(p, ['hosts[0].ssh.jumpHost: "bastoin" is not a jumpHosts entry — did you mean "bastion"? (the jump hosts are bastion, edge)']);
    assert.match(
      problems({ hosts: [host('prod-1', { jumpHost: 'bastion' })] })[0]!,
      /^hosts\[0\]\.ssh\.jumpHost: "bastion" is not a jumpHosts entry, and there are none/,
    );
    // From defaults: named once, where it was written.
    const fromDefaults = problems({ defaults: { ssh: { jumpHost: 'nope' } }, jumpHosts: [bastion()], hosts: [host('a'), host('b')] });
    assert.deepEqual(fromDefaults, ['defaults.ssh.jumpHost: "nope" is not a jumpHosts entry (the jump hosts are bastion)']);
  });

  it("a jump host's pin, key source, name and fields are checked in the same round as the hosts'", () => {
    const p = problems({
      jumpHosts: [
        bastion({ hostKey: undefined }),
        bastion({ knownHostsPath: '/etc/ssh/ssh_known_hosts' }),
        bastion({ name: 'b2', privateKeyPath: undefined }),
        bastion({ name: 'b3', jumpHost: 'bastion' }),
      ],
      hosts: [host('prod-1', { port: 0 })],
    });
    assert.ok(
      p.some((l) => l.startsWith('jumpHosts[0].hostKey: required (or knownHostsPath)')),
      p.join('\n'),
    );
    assert.ok(
      p.some((l) => l.startsWith('jumpHosts[1].knownHostsPath: give exactly one of hostKey or knownHostsPath')),
      p.join('\n'),
    );
    assert.ok(
      p.some((l) => l.startsWith('jumpHosts[3].jumpHost: unknown key')),
      p.join('\n'),
    );
    assert.ok(
      p.some((l) => l.startsWith('hosts[0].ssh.port')),
      p.join('\n'),
    );
    const keys = problems({ jumpHosts: [bastion({ name: 'b2', privateKeyPath: undefined }), bastion({ name: 'b2' })], hosts: [host('prod-1')] });
    assert.ok(
      keys.some((l) => l.startsWith('jumpHosts[0].privateKeyPath: give exactly one of privateKeyPath, privateKeyEnv or agent: true')),
      keys.join('\n'),
    );
    assert.ok(
      keys.some((l) => l.startsWith('jumpHosts[1].name: "b2" is used twice')),
      keys.join('\n'),
    );
  });

  it("a bastion's unset key variable is listed beside a schema error elsewhere: one round", () => {
    const p = problems({ jumpHosts: [bastion({ privateKeyPath: undefined, privateKeyEnv: 'MM_BASTION_KEY' })], hosts: [host('prod-1', { port: 0 })] });
    assert.ok(
      p.some((l) => l.startsWith('jumpHosts[0].privateKeyEnv: environment variable MM_BASTION_KEY is not set')),
      p.join('\n'),
    );
    assert.ok(
      p.some((l) => l.startsWith('hosts[0].ssh.port')),
      p.join('\n'),
    );
  });

  it("the bastion's key is pinned by a known_hosts file too, looked up by its own host and port", () => {
    const pub = execFileSync('ssh-keygen', ['-y', '-f', keyPath], { encoding: 'utf8' }).trim();
    const kh = join(dir, 'known_hosts');
    writeFileSync(kh, `[bastion.example.net]:2222 ${pub}\n`);
    const c = resolveConfig({ jumpHosts: [bastion({ hostKey: undefined, knownHostsPath: kh, port: 2222 })], hosts: [host('p', { jumpHost: 'bastion' })] }, {});
    assert.equal(c.jumpHosts[0]!.knownHosts?.name, '[bastion.example.net]:2222');
    assert.equal(c.jumpHosts[0]!.knownHosts?.keys.length, 1);
    const missing = problems({ jumpHosts: [bastion({ hostKey: undefined, knownHostsPath: kh })], hosts: [host('p', { jumpHost: 'bastion' })] });
    assert.match(missing[0]!, /^jumpHosts\[0\]\.knownHostsPath: .* lists no key for bastion\.example\.net/);
  });
});
