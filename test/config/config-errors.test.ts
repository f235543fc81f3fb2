import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { keyFileProblem } from '../../src/config/key-file-problem.js';
import { loadConfig } from '../../src/config/load-config.js';
import { OpsError } from '../../src/errors.js';

// The messages of one config error, word for word: "did you mean", bare-number durations, YAML
// syntax errors, and secrets found in the same round as schema errors.

const dir = mkdtempSync(join(tmpdir(), 'mm-config-errors-'));
const keyPath = join(dir, 'id_ed25519');
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyPath]);
const FP = '"SHA256:ffstP7ZDLHJzi3ey+UwtzDQ9yhF4mLLZbdR9vIq4Ntc"';
let n = 0;
function file(yaml: string): string {
  const p = join(dir, `c${n++}.yml`);
  writeFileSync(p, yaml);
  return p;
}
function errorOf(env: Record<string, string>, path: string): OpsError {
  try {
    loadConfig(env, path);
  } catch (err) {
    assert.ok(err instanceof OpsError);
    assert.equal(err.code, 'CONFIG');
    return err;
  }
  return assert.fail('expected a config error');
}
/** The problems the error lists, one per entry, without the "  - " bullet. */
function problems(env: Record<string, string>, yaml: string): string[] {
  const [, ...lines] = errorOf(env, file(yaml)).message.split('\n');
  return lines.map((l) => l.replace(/^ {2}- /, ''));
}
const local = (rest: string) => `hosts:\n  - name: a\n    transport: local\n${rest}`;

describe('config errors', () => {
  describe('an unknown key says which key was meant, from the keys the schema has there', () => {
    const table: [string, string, string[]][] = [
      [
        'hosts[0].ssh.usrname',
        `hosts:\n  - name: a\n    ssh: { host: h, username: ops, usrname: ops, privateKeyPath: ${keyPath}, hostKey: ${FP} }\n`,
        ['hosts[0].ssh.usrname: unknown key — did you mean "username"?'],
      ],
      [
        'thresholds.diskUsedPercnt',
        local('thresholds: { diskUsedPercnt: 80 }\n'),
        ['thresholds.diskUsedPercnt: unknown key — did you mean "diskUsedPercent"?'],
      ],
      ['a top-level key', local('threshold: { diskUsedPercent: 80 }\n'), ['threshold: unknown key — did you mean "thresholds"?']],
      [
        'nothing close: the keys that are allowed there',
        local('slack: { rateLimit: { per: 1m } }\n'),
        ['slack.rateLimit.per: unknown key — the keys here are max, window'],
      ],
      [
        'two in one section, each on its own line',
        local('    app: { helthUrl: "http://x/health", prot: 80 }\n'),
        ['hosts[0].app.helthUrl: unknown key — did you mean "healthUrl"?', 'hosts[0].app.prot: unknown key — did you mean "port"?'],
      ],
    ];
    for (const [name, yaml, expected] of table) it(name, () => assert.deepEqual(problems({}, yaml), expected));
  });

  describe('a bare number where a duration is expected says how to write it', () => {
    const table: [string, string[]][] = [
      ['thresholds: { healthTimeout: 5 }', ['thresholds.healthTimeout: a duration like 5s or 500ms — write 5s']],
      ['thresholds: { healthSlow: 0.5 }', ['thresholds.healthSlow: a duration like 5s or 500ms — write 0.5s']],
      ['thresholds: { healthTimeout: 5000 }', ['thresholds.healthTimeout: a duration like 5s or 500ms — write 5000ms, or 5000s if you meant seconds']],
      ['slack: { rateLimit: { window: 60 } }', ['slack.rateLimit.window: a duration like 5s or 500ms — write 60s']],
      ['watch: { retryInterval: 10 }', ['watch.retryInterval: a retry interval like 10s, or off — write 10s']],
      ['thresholds: { logWindow: true }', ['thresholds.logWindow: a duration like 5s or 500ms']],
      ['thresholds: { logWindow: -5 }', ['thresholds.logWindow: a duration like 5s or 500ms']],
    ];
    for (const [yaml, expected] of table) it(yaml, () => assert.deepEqual(problems({}, local(`${yaml}\n`)), expected));
  });

  describe('a YAML syntax error names the line and column, then shows the line', () => {
    const table: [string, string, (f: string) => string][] = [
      [
        'a mapping item indented too little',
        'hosts:\n  - name: a\n   bad: [\n',
        (f) => `${f} line 3, column 1: sequence item without - indicator\n  3 |    bad: [`,
      ],
      [
        'a key one column left of its siblings',
        `${local('thresholds:\n  diskUsedPercent: 90\n healthTimeout: 5s\n')}`,
        (f) => `${f} line 6, column 1: all mapping items must start at the same column\n  6 |  healthTimeout: 5s`,
      ],
      ['a key given twice', 'hosts: []\nhosts: []\n', (f) => `${f} line 2, column 1: map keys must be unique\n  2 | hosts: []`],
      ['a quote never closed: the position is past the last line, which is not shown', 'hosts: "a\n', (f) => `${f} line 2, column 1: missing closing "quote`],
    ];
    for (const [name, yaml, expected] of table)
      it(name, () => {
        const path = file(yaml);
        assert.equal(errorOf({}, path).message, expected(path));
      });
  });

  it('one round lists schema errors and secrets together, each host in order', () => {
    const publicKey = `${keyPath}.pub`;
    const yaml = `hosts:
  - name: prod-1
    ssh: { host: h, username: ops, privateKeyPath: /nope/key, hostKey: ${FP} }
    mysql: { user: monitor, passwordEnv: MM_PROD1_PW }
  - name: Prod_2
    ssh: { host: h, usrname: ops, privateKeyPath: ${publicKey}, hostKey: ${FP} }
  - name: prod-3
    ssh: { host: h, username: ops, privateKeyEnv: MM_PROD3_KEY, hostKey: ${FP} }
    mysql: { user: monitor, passwordEnv: MM_PROD3_PW }
thresholds: { healthTimeout: 5 }
`;
    const path = file(yaml);
    const err = errorOf({ MM_PROD3_PW: 'set' }, path);
    assert.equal(
      err.message,
      [
        `config ${path} has 8 problems:`,
        "  - hosts[0].ssh.privateKeyPath: cannot read /nope/key (ENOENT) — check the path and that the bot's user may read it",
        '  - hosts[0].mysql.passwordEnv: environment variable MM_PROD1_PW is not set — export it before starting the bot',
        '  - hosts[1].name: lower-case letters, digits and - only (it is what people type in Slack) — e.g. prod-1',
        '  - hosts[1].ssh.username: required — the account the bot logs in as, e.g. ops',
        '  - hosts[1].ssh.usrname: unknown key — did you mean "username"?',
        `  - hosts[1].ssh.privateKeyPath: not a private key the bot can use (it is a public key) — give the private key file, the one without .pub`,
        '  - hosts[2].ssh.privateKeyEnv: environment variable MM_PROD3_KEY is not set — export it before starting the bot',
        '  - thresholds.healthTimeout: a duration like 5s or 500ms — write 5s',
      ].join('\n'),
    );
  });

  it('a secret is looked up only where its own field is valid', () => {
    const yaml = `hosts:
  - name: a
    ssh: { host: h, username: ops, privateKeyPath: relative/key, hostKey: ${FP} }
    mysql: { user: monitor, passwordEnv: lower_case }
  - name: b
    transport: local
    ssh: { host: h, username: ops, privateKeyPath: /nope/key, hostKey: ${FP} }
    mysql: { user: monitor, passwordEnv: MM_B_PW, extra: 1 }
`;
    assert.deepEqual(problems({}, yaml), [
      'hosts[0].ssh.privateKeyPath: an absolute path without spaces or shell characters — ' +
        "point it at the bot's private key file, or use privateKeyEnv: NAME or agent: true (ssh-agent)",
      'hosts[0].mysql.passwordEnv: an environment variable name like MONEYMIND_PROD1_MYSQL_PASSWORD — name the environment variable that holds the password',
      'hosts[1].mysql.extra: unknown key — the keys here are host, port, user, passwordEnv, connectTimeout, name',
      'hosts[1].mysql.passwordEnv: environment variable MM_B_PW is not set — export it before starting the bot',
    ]);
  });

  it('a key file the bot may not read names its uid and the fix', () => {
    assert.equal(
      keyFileProblem('hosts[0].ssh.privateKeyPath', '/run/secrets/k', 'EACCES', 1000),
      'hosts[0].ssh.privateKeyPath: /run/secrets/k cannot be read by uid 1000 (EACCES) — make it readable by that user: ' +
        'chown 1000 /run/secrets/k or chmod 0640 with a group it is in; ' +
        "in Docker the mounted file itself must be (Compose ignores a file secret's uid and mode): " +
        'install -o 1000 -m 0400 KEY /etc/moneymind/ssh_key',
    );
  });

  // Root reads any file: as root, key-file-eacces.integration.test.ts makes the case real as nobody.
  const root = process.getuid?.() === 0;
  it('… and so does a real unreadable key file, read by this unprivileged process', {
    skip: root ? 'root reads a 0000 file: see key-file-eacces.integration.test.ts' : false,
  }, () => {
    const key = join(dir, 'unreadable_key');
    writeFileSync(key, 'x');
    chmodSync(key, 0o000);
    const uid = process.getuid?.();
    assert.deepEqual(problems({}, `hosts:\n  - name: a\n    ssh: { host: h, username: ops, privateKeyPath: ${key}, hostKey: ${FP} }\n`), [
      `hosts[0].ssh.privateKeyPath: ${key} cannot be read by uid ${uid} (EACCES) — make it readable by that user: ` +
        `chown ${uid} ${key} or chmod 0640 with a group it is in; in Docker the mounted file itself must be (Compose ignores a file secret's uid and mode): ` +
        `install -o ${uid} -m 0400 KEY /etc/moneymind/ssh_key`,
    ]);
  });
});
