import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configProblems } from '../support/config.js';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/load-config.js';

// `defaults:` merged under every host: what merges, what a host overrides, and where errors point.

const dir = mkdtempSync(join(tmpdir(), 'mm-defaults-'));
const keyPath = join(dir, 'id_ed25519');
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyPath]);
const FP = 'SHA256:ffstP7ZDLHJzi3ey+UwtzDQ9yhF4mLLZbdR9vIq4Ntc';
const ENV = { MONEYMIND_MYSQL_PASSWORD: 'pw', OTHER_PW: 'pw2' };

const host = (name: string, ssh: object = {}, rest: object = {}) => ({ name, ssh: { host: `${name}.example`, hostKey: FP, ...ssh }, ...rest });
const problems = (doc: object, env: Record<string, string> = ENV): string[] => configProblems(() => resolveConfig(doc, env, 'test'));

const DEFAULTS = {
  ssh: { username: 'ops', privateKeyPath: keyPath, port: 2222 },
  app: { manager: 'systemd', logFile: '/opt/moneymind/logs/moneymind.log' },
  mysql: { user: 'monitor', passwordEnv: 'MONEYMIND_MYSQL_PASSWORD' },
};

describe('defaults: merged under every host', () => {
  it('every host takes the defaults; its own fields win, key by key', () => {
    const config = resolveConfig(
      {
        defaults: DEFAULTS,
        hosts: [
          host('a'),
          host('b', { port: 22 }, { app: { manager: 'supervisor' }, mysql: { user: 'reader', passwordEnv: 'OTHER_PW' } }),
          { name: 'c', transport: 'local' },
        ],
      },
      ENV,
    );
    const [a, b, c] = config.hosts;
    assert.deepEqual([a?.ssh?.username, a?.ssh?.port, a?.ssh?.host], ['ops', 2222, 'a.example']);
    assert.equal(a?.app.manager, 'systemd');
    assert.equal(a?.app.logFile, '/opt/moneymind/logs/moneymind.log');
    assert.equal(a?.app.service, 'moneymind', "the schema's own default still fills what defaults: leaves out");
    assert.deepEqual([a?.mysql?.user, a?.mysql?.password.reveal()], ['monitor', 'pw']);
    assert.deepEqual([b?.ssh?.username, b?.ssh?.port], ['ops', 22]);
    assert.equal(b?.app.manager, 'supervisor');
    assert.equal(b?.app.logFile, '/opt/moneymind/logs/moneymind.log', 'objects merge: the rest of app: still comes from defaults');
    assert.deepEqual([b?.mysql?.user, b?.mysql?.password.reveal()], ['reader', 'pw2']);
    assert.equal(c?.ssh, undefined, 'a local host takes no ssh defaults');
    assert.equal(c?.app.logFile, '/opt/moneymind/logs/moneymind.log');
  });

  it("a host with its own key source takes none of the defaults' (agent: true in defaults, a key file on one host)", () => {
    const config = resolveConfig(
      { defaults: { ssh: { username: 'ops', agent: true } }, hosts: [host('a', { privateKeyPath: keyPath })] },
      { SSH_AUTH_SOCK: '/nonexistent/agent.sock' },
    );
    assert.equal(config.hosts[0]?.ssh?.agent, undefined);
    assert.match(config.hosts[0]?.ssh?.privateKey.reveal() ?? '', /OPENSSH PRIVATE KEY/);
  });

  it('a missing field is named at the host; a bad default once, at defaults', () => {
    const doc = {
      defaults: { ssh: { username: 'ops', privateKeyPath: keyPath, port: 'twenty-two', usrname: 'x' } },
      hosts: [host('a'), host('b'), host('c'), { name: 'd', ssh: { host: 'd.example' } }],
    };
    const [port, usrname, hostKey, ...rest] = problems(doc);
    assert.equal(port, 'defaults.ssh.port: Invalid input: expected number, received string');
    assert.equal(usrname, 'defaults.ssh.usrname: unknown key — did you mean "username"?');
    assert.match(hostKey ?? '', /^hosts\[3\]\.ssh\.hostKey: required — run ssh-keygen -lf/);
    assert.deepEqual(rest, []);
  });

  it("a host's own bad value is named at the host, even where defaults give a good one", () => {
    assert.deepEqual(problems({ defaults: DEFAULTS, hosts: [host('a'), host('b', { port: 0 })] }), ['hosts[1].ssh.port: Too small: expected number to be >=1']);
  });

  it('a secret named in defaults is looked up once and named there: unset variable, unreadable key file', () => {
    const doc = {
      defaults: { ...DEFAULTS, ssh: { ...DEFAULTS.ssh, privateKeyPath: join(dir, 'missing') } },
      hosts: [host('a'), host('b'), host('c', {}, { mysql: { passwordEnv: 'OTHER_PW' } })],
    };
    assert.deepEqual(problems(doc, { OTHER_PW: 'x' }), [
      `defaults.ssh.privateKeyPath: cannot read ${join(dir, 'missing')} (ENOENT) — check the path and that the bot's user may read it`,
      'defaults.mysql.passwordEnv: environment variable MONEYMIND_MYSQL_PASSWORD is not set — export it before starting the bot',
    ]);
  });

  it('name, ssh.host and ssh.hostKey cannot be defaults', () => {
    const doc = { defaults: { name: 'x', ssh: { host: '10.0.0.5', hostKey: FP, username: 'ops', privateKeyPath: keyPath } }, hosts: [host('a')] };
    assert.deepEqual(problems(doc), [
      'defaults.name: cannot be a default: it names one host — give each host its own name',
      'defaults.ssh.host: cannot be a default: it names one host — give each host its own ssh.host',
      'defaults.ssh.hostKey: cannot be a default: it names one host — give each host its own ssh.hostKey',
    ]);
  });

  it('defaults.ssh.jumpHost must name a jumpHosts entry; `jumpHosts` under a host is a typo for jumpHost', () => {
    const doc = { defaults: { ssh: { username: 'ops', privateKeyPath: keyPath, jumpHost: 'bastion' } }, hosts: [host('a', { jumpHosts: ['b'] })] };
    const found = problems(doc);
    assert.equal(found.length, 2, found.join('\n'));
    assert.match(found[0] ?? '', /^defaults\.ssh\.jumpHost: "bastion" is not a jumpHosts entry, and there are none — /);
    assert.equal(found[1], 'hosts[0].ssh.jumpHosts: unknown key — did you mean "jumpHost"?');
  });

  it('an unknown section of defaults is refused with the sections there are', () => {
    assert.deepEqual(problems({ defaults: { sssh: {} }, hosts: [host('a', { username: 'ops', privateKeyPath: keyPath })] }), [
      'defaults.sssh: unknown key — did you mean "ssh"?',
    ]);
  });
});
