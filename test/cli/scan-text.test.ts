import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { parseArgs } from '../../src/cli/parse-args.js';
import { APP_DEFAULTS, hostNameFor, scanText } from '../../src/cli/scan-text.js';
import { parseScanTarget } from '../../src/remote/scan-host-keys.js';
import { testConfig } from '../support/config.js';

/* `moneymind scan` and `doctor` arguments, the target's validation, and the stanza scan prints. */
describe('scan: arguments and targets', () => {
  it('parse-args: scan HOST[:PORT] [--jump NAME], doctor [HOST]; --jump only with scan', () => {
    assert.deepEqual(parseArgs(['scan', '10.0.0.5:2222']).command, { kind: 'scan', target: '10.0.0.5:2222', jump: undefined });
    assert.deepEqual(parseArgs(['doctor']).command, { kind: 'doctor', host: undefined });
    assert.deepEqual(parseArgs(['doctor', 'prod-1']).command, { kind: 'doctor', host: 'prod-1' });
    assert.throws(() => parseArgs(['scan']), /scan needs HOST\[:PORT\]/);
    assert.deepEqual(parseArgs(['scan', 'h', '--jump', 'bastion']).command, { kind: 'scan', target: 'h', jump: 'bastion' });
    assert.throws(() => parseArgs(['scan', 'h', '--jump=']), /--jump needs the name of a jumpHosts entry/);
    assert.throws(() => parseArgs(['status', '--jump', 'bastion']), /unknown option --jump/);
  });

  for (const [text, host, port] of [
    ['10.0.0.5', '10.0.0.5', 22],
    ['10.0.0.5:2222', '10.0.0.5', 2222],
    ['app-1.example.com', 'app-1.example.com', 22],
    ['[::1]:2200', '::1', 2200],
    ['fe80::1', 'fe80::1', 22],
  ] as const) {
    it(`accepts ${text}`, () => assert.deepEqual(parseScanTarget(text), { host, port }));
  }
  for (const text of ['$(id)', 'a;b', '-oProxyCommand=x', 'host name', 'a..b', 'h:0', 'h:99999', "h'", '']) {
    it(`refuses ${JSON.stringify(text)}: not a host name or IP (no shell ever sees it anyway)`, () => {
      assert.throws(
        () => parseScanTarget(text),
        (e: Error & { code?: string }) => e.code === 'USAGE',
      );
    });
  }
});

describe('scan: what it prints', () => {
  const keys = [
    { type: 'ECDSA', bits: 256, fingerprint: 'SHA256:oyzszhZwOx9zM/Qeo3Onn5T7MHSaj68MAp/yDOZ+dFo', keyType: 'ecdsa-sha2-nistp256' },
    { type: 'ED25519', bits: 256, fingerprint: 'SHA256:kEpHezUFnI1q49sMDWdaL3ysHnd6+RI2gT+fxnMN6KQ', keyType: 'ssh-ed25519' },
  ];
  it('each key as ssh-keygen -lf prints it, a stanza pinning the ED25519 key, and "verify on the host"', () => {
    const out = scanText({ host: 'app-1.example.com', port: 2222 }, keys);
    assert.match(out, /^ {2}256 SHA256:oyzszhZwOx9zM\/Qeo3Onn5T7MHSaj68MAp\/yDOZ\+dFo \(ECDSA\)$/m);
    assert.match(out, /^ {2}256 SHA256:kEpHezUFnI1q49sMDWdaL3ysHnd6\+RI2gT\+fxnMN6KQ \(ED25519\)$/m);
    assert.match(out, /NOT verified/);
    assert.match(out, /ssh-keygen -lf \/etc\/ssh\/ssh_host_\*_key\.pub/);
    const stanza = out.slice(out.indexOf('# moneymind.yml'));
    const [host] = parse(stanza) as [Record<string, Record<string, unknown>>];
    assert.deepEqual(host?.ssh, {
      host: 'app-1.example.com',
      port: 2222,
      username: 'ops',
      privateKeyPath: '/run/secrets/moneymind_ssh_key',
      hostKey: 'SHA256:kEpHezUFnI1q49sMDWdaL3ysHnd6+RI2gT+fxnMN6KQ',
    });
    assert.equal(host?.name, 'app-1');
    assert.deepEqual(host?.app, APP_DEFAULTS);
  });
  it('names: a host name gives its first label, an address its digits', () => {
    assert.equal(hostNameFor('10.0.0.5'), '10-0-0-5');
    assert.equal(hostNameFor('Web_1.example.com'), 'web-1');
    assert.equal(hostNameFor('fe80::1'), 'fe80-1');
  });
  it("the stanza's app section is what a host without one gets from the config", () => {
    const config = testConfig({ hosts: [{ name: 'x', transport: 'local' }] });
    const app = config.hosts[0]!.app as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(APP_DEFAULTS)) assert.equal(app[k], v, k);
  });
});
