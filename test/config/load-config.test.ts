import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { loadConfig, resolveConfig } from '../../src/config/load-config.js';
import { OpsError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'mm-config-'));
const keyPath = join(dir, 'id_ed25519');
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyPath]);
const keyBody = readFileSync(keyPath, 'utf8').split('\n')[1] ?? '';
let n = 0;
function file(yaml: string): string {
  const p = join(dir, `c${n++}.yml`);
  writeFileSync(p, yaml);
  return p;
}
function problems(env: Record<string, string>, yaml: string): string {
  try {
    loadConfig(env, file(yaml));
  } catch (err) {
    assert.ok(err instanceof OpsError);
    assert.equal(err.code, 'CONFIG');
    return err.message;
  }
  assert.fail('expected a config error');
}

const FULL = `
hosts:
  - name: prod-1
    transport: ssh
    ssh:
      host: 10.0.0.5
      port: 22
      username: ops
      privateKeyPath: ${keyPath}
      hostKey: "SHA256:ffstP7ZDLHJzi3ey+UwtzDQ9yhF4mLLZbdR9vIq4Ntc"
    app:
      healthUrl: http://127.0.0.1:5070/health
      port: 5070
      service: moneymind
      manager: systemd
      logFile: /opt/moneymind/logs/moneymind.log
      processMatch: moneymind
      poolRecycle: 3600
    mysql:
      host: 127.0.0.1
      port: 3306
      user: monitor
      passwordEnv: MONEYMIND_PROD1_MYSQL_PASSWORD
thresholds:
  diskUsedPercent: 90
  memAvailablePercent: 10
  loadPerCore: 2
  healthTimeout: 5s
  healthSlow: 500ms
`;

describe('loadConfig', () => {
  it('reads the documented example, fills defaults, converts durations and resolves secrets', () => {
    const cfg = loadConfig({ MONEYMIND_PROD1_MYSQL_PASSWORD: 's3cret' }, file(FULL));
    const h = cfg.hosts[0]!;
    assert.equal(h.name, 'prod-1');
    assert.equal(h.ssh?.hostKey, 'SHA256:ffstP7ZDLHJzi3ey+UwtzDQ9yhF4mLLZbdR9vIq4Ntc');
    assert.equal(h.ssh?.privateKey.reveal(), readFileSync(keyPath, 'utf8'), 'the key file, read at start');
    assert.equal(h.mysql?.password.reveal(), 's3cret');
    assert.equal(cfg.thresholds.healthTimeout, 5000);
    assert.equal(cfg.thresholds.healthSlow, 500);
    assert.equal(cfg.thresholds.commandTimeout, 10_000, 'default');
    assert.equal(h.ssh?.readyTimeout, 10_000, 'default');
    assert.ok(Object.isFrozen(cfg) && Object.isFrozen(cfg.hosts[0]) && Object.isFrozen(h.app));
  });

  it('never prints a secret: JSON and inspect show a placeholder', () => {
    const cfg = loadConfig({ MONEYMIND_PROD1_MYSQL_PASSWORD: 's3cret-value' }, file(FULL));
    const shown = JSON.stringify(cfg) + inspect(cfg, { depth: 10 });
    assert.ok(!shown.includes('s3cret-value'));
    assert.ok(keyBody.length > 20 && !shown.includes(keyBody));
    assert.ok(shown.includes('[redacted]'));
  });

  it('without a file uses one local host with the runbook defaults', () => {
    const cfg = loadConfig({}, undefined);
    assert.equal(cfg.hosts.length, 1);
    const h = cfg.hosts[0]!;
    assert.deepEqual([h.name, h.transport, h.app.port, h.app.service, h.app.manager], ['local', 'local', 5070, 'moneymind', 'systemd']);
  });

  it('a missing host key is named with its path and the command that gives it', () => {
    const msg = problems({}, `hosts:\n  - name: prod-1\n    ssh: { host: 10.0.0.5, username: ops, privateKeyPath: ${keyPath} }\n`);
    assert.match(msg, /hosts\[0\]\.ssh\.hostKey: required — run ssh-keygen -lf \/etc\/ssh\/ssh_host_ed25519_key\.pub/);
  });

  it('lists every problem at once, each with its path', () => {
    const msg = problems(
      {},
      `hosts:
  - name: Prod_1
    ssh: { host: h, username: ops, privateKeyPath: ${keyPath}, hostKey: "MD5:aa", hostkey: typo }
    app: { manager: upstart }
  - name: b
    transport: ssh
thresholds: { healthTimeout: 5 seconds, diskUsedPercent: 150 }
`,
    );
    for (const expected of [
      /hosts\[0\]\.name: .*lower-case/,
      /hosts\[0\]\.ssh\.hostKey: .*SHA256/,
      /hosts\[0\]\.ssh\.hostkey: unknown key — did you mean "hostKey"\?/,
      /hosts\[0\]\.app\.manager: .*systemd/,
      /thresholds\.healthTimeout: "5 seconds" is not a duration/,
      /thresholds\.diskUsedPercent: /,
    ]) {
      assert.match(msg, expected);
    }
    assert.match(msg, /has \d+ problems/);
  });

  it('names a missing environment secret', () => {
    const msg = problems({}, FULL);
    assert.match(msg, /hosts\[0\]\.mysql\.passwordEnv: environment variable MONEYMIND_PROD1_MYSQL_PASSWORD is not set/);
  });

  it('refuses duplicate names, both or neither key source, and an unreadable key file', () => {
    const host = (name: string, key: string) =>
      `  - name: ${name}\n    ssh: { host: h, username: ops, ${key} hostKey: "SHA256:ffstP7ZDLHJzi3ey+UwtzDQ9yhF4mLLZbdR9vIq4Ntc" }\n`;
    assert.match(
      problems({}, `hosts:\n${host('a', '')}${host('a', `privateKeyPath: ${keyPath},`)}`),
      /hosts\[0\]\.ssh\.privateKeyPath: give exactly one[\s\S]*hosts\[1\]\.name: "a" is used twice/,
    );
    assert.match(problems({}, `hosts:\n${host('a', 'privateKeyPath: /nope/key,')}`), /hosts\[0\]\.ssh\.privateKeyPath: cannot read \/nope\/key \(ENOENT\)/);
    assert.match(problems({}, `hosts:\n${host('a', 'privateKeyEnv: MM_KEY,')}`), /environment variable MM_KEY is not set/);
  });

  it('refuses a key file that is not a usable private key, at start', () => {
    const bad = join(dir, 'bad_key');
    writeFileSync(bad, 'ssh-ed25519 AAAA… this is a public key\n');
    const msg = problems(
      {},
      `hosts:\n  - name: a\n    ssh: { host: h, username: ops, privateKeyPath: ${bad}, hostKey: "SHA256:ffstP7ZDLHJzi3ey+UwtzDQ9yhF4mLLZbdR9vIq4Ntc" }\n`,
    );
    assert.match(msg, /hosts\[0\]\.ssh\.privateKeyPath: not a private key the bot can use/);
  });

  it('refuses shell characters in values that reach command templates', () => {
    const msg = problems({}, `hosts:\n  - name: a\n    transport: local\n    app: { service: "moneymind; rm -rf /", logFile: "/tmp/$(reboot)" }\n`);
    assert.match(msg, /hosts\[0\]\.app\.service/);
    assert.match(msg, /hosts\[0\]\.app\.logFile/);
  });

  describe('service and processMatch may not start with "-" (systemctl/supervisorctl would read an option)', () => {
    const local = (app: string) => `hosts:\n  - name: a\n    transport: local\n    app: ${app}\n`;
    const table: [string, RegExp][] = [
      [
        '{ service: "-H" }',
        new RegExp(
          /hosts\[0\]\.app\.service: may not start with "-" \(a command would read it as an option\) /.source +
            /— give the systemd unit or supervisor program name itself, e\.g\. moneymind/.source,
        ),
      ],
      ['{ service: "--help" }', /hosts\[0\]\.app\.service: may not start with "-"/],
      ['{ manager: supervisor, service: "-c/tmp/evil.conf" }', /hosts\[0\]\.app\.service: /],
      [
        '{ processMatch: "--version" }',
        new RegExp(
          /hosts\[0\]\.app\.processMatch: may not start with "-" \(a command would read it as an option\) /.source +
            /— give a plain substring of the app's command line, e\.g\. moneymind/.source,
        ),
      ],
      ['{ processMatch: "-" }', /hosts\[0\]\.app\.processMatch: may not start with "-"/],
    ];
    for (const [app, re] of table) it(app, () => assert.match(problems({}, local(app)), re));
    it('a "-" inside the name is fine', () => {
      const app = loadConfig({}, file(local('{ service: "moneymind-web@1", processMatch: "waitress-serve --port=5070" }'))).hosts[0]!.app;
      assert.deepEqual([app.service, app.processMatch], ['moneymind-web@1', 'waitress-serve --port=5070']);
    });
  });

  it('slack.rateLimit: 4 per 1m by default; max 0 turns it off; a window under 1s is refused', () => {
    const local = (slack: string) => file(`hosts:\n  - name: a\n    transport: local\n${slack}`);
    assert.deepEqual(loadConfig({}, local('')).slack.rateLimit, { max: 4, windowMs: 60_000 });
    assert.deepEqual(loadConfig({}, local('slack: { approvers: [U0123ABCD] }\n')).slack.rateLimit, { max: 4, windowMs: 60_000 });
    assert.deepEqual(loadConfig({}, local('slack: { rateLimit: { max: 2, window: 30s } }\n')).slack.rateLimit, { max: 2, windowMs: 30_000 });
    assert.deepEqual(loadConfig({}, local('slack: { rateLimit: { max: 0 } }\n')).slack.rateLimit, { max: 0, windowMs: 60_000 });
    assert.match(
      problems({}, `hosts:\n  - name: a\n    transport: local\nslack: { rateLimit: { window: 500ms } }\n`),
      /slack\.rateLimit\.window: at least 1s — write e\.g\. 1m/,
    );
    assert.match(
      problems({}, `hosts:\n  - name: a\n    transport: local\nslack: { rateLimit: { max: -1, per: 1m } }\n`),
      /slack\.rateLimit\.max: [\s\S]*slack\.rateLimit\.per: unknown key/,
    );
  });

  it('watch.retryInterval: 10s by default, off or 0s turns it off, under 1s is refused', () => {
    const local = (watch: string) => file(`hosts:\n  - name: a\n    transport: local\n${watch}`);
    assert.equal(loadConfig({}, local('')).watch.retryInterval, 10_000);
    assert.equal(loadConfig({}, local('watch: { retryInterval: 2s }\n')).watch.retryInterval, 2000);
    assert.equal(loadConfig({}, local('watch: { retryInterval: off }\n')).watch.retryInterval, 0);
    assert.equal(loadConfig({}, local('watch: { retryInterval: 0s }\n')).watch.retryInterval, 0);
    for (const bad of ['500ms', 'soon']) {
      assert.match(
        problems({}, `hosts:\n  - name: a\n    transport: local\nwatch: { retryInterval: ${bad} }\n`),
        new RegExp(`watch\\.retryInterval: "${bad}" is not a retry interval — write e\\.g\\. 10s \\(at least 1s\\), or off`),
      );
    }
  });

  it('watch.escalateRepeat: false by default, true repeats, anything but a boolean is refused', () => {
    const local = (watch: string) => file(`hosts:\n  - name: a\n    transport: local\n${watch}`);
    assert.equal(loadConfig({}, local('')).watch.escalateRepeat, false);
    assert.equal(loadConfig({}, local('watch: { escalateAfter: 15m, escalateRepeat: true }\n')).watch.escalateRepeat, true);
    assert.match(problems({}, `hosts:\n  - name: a\n    transport: local\nwatch: { escalateRepeat: 15m }\n`), /watch\.escalateRepeat: /);
  });

  it('resolveConfig takes the document as data: the same config, the same errors, named after its source', () => {
    const doc = { hosts: [{ name: 'a', transport: 'local', mysql: { user: 'monitor', passwordEnv: 'MM_PW' } }], slack: { rateLimit: { window: '30s' } } };
    const fromFile = loadConfig({ MM_PW: 'x' }, file(JSON.stringify(doc)));
    const fromDoc = resolveConfig(doc, { MM_PW: 'x' });
    assert.deepEqual({ ...fromDoc, source: fromFile.source }, fromFile);
    assert.ok(Object.isFrozen(fromDoc) && Object.isFrozen(fromDoc.hosts[0]!.app));
    const bad = { hosts: [{ name: 'Prod_1', transport: 'local' }] };
    const path = file(JSON.stringify(bad));
    const errorOf = (f: () => unknown): unknown => {
      try {
        f();
      } catch (err) {
        return err;
      }
      return assert.fail('expected a config error');
    };
    assert.deepEqual(
      errorOf(() => resolveConfig(bad, {}, path)),
      errorOf(() => loadConfig({}, path)),
    );
    assert.throws(() => resolveConfig(bad, {}), /config the config document has 1 problem:\n {2}- hosts\[0\]\.name: .*lower-case/);
  });

  it('reports invalid YAML with its line and an unreadable file with the fix', () => {
    assert.match(problems({}, 'hosts:\n  - name: a\n   bad: [\n'), /c\d+\.yml line 3, column 1: sequence item without - indicator\n/);
    assert.throws(
      () => loadConfig({}, join(dir, 'missing.yml')),
      (e: OpsError) => e.code === 'CONFIG' && /--config PATH or set MONEYMIND_CONFIG/.test(e.message + e.fix),
    );
  });
});
