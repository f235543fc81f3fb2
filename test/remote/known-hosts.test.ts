import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { knownHostKeys, knownHostsName } from '../../src/config/known-host-keys.js';
import { CERT_AUTHORITY_UNSUPPORTED, parseKnownHosts } from '../../src/config/parse-known-hosts.js';
import type { KnownHostsPin } from '../../src/config/types.js';
import { sshFingerprint } from '../../src/remote/fingerprint.js';
import { knownHostsVerdict } from '../../src/remote/known-hosts-verdict.js';
import { fixture } from '../fixture.js';

/*
 * known_hosts files written by ssh-keyscan and ssh-keygen -H against two throwaway test sshds,
 * A on 127.0.0.1:34079 and B on 127.0.0.1:35505 (test/fixtures/known-hosts/README.md): parsed,
 * looked up the way OpenSSH does, and judged against the key each sshd really offers.
 */
const A_PORT = 34079;
const B_PORT = 35505;
const A_KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIA0FP8my68PLcEgKAm9T2UJYNxYSgI5rZVvmqqvJOZum';
const B_KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIFfJwZxPasYjZ1Yem/Ws07n/35sdcmL2V/mIEi3Hl1O+';
/** What ssh-keygen -lf printed for each sshd's ssh_host_ed25519_key.pub. */
const A_FP = 'SHA256:W3xV9xrqrwn2M+NvH5vPkUH7Hd26FifVCGaJw2mF+Ck';
const B_FP = 'SHA256:NMIKVecCZaxppWTuStPoi19vnZZNJwLwTfRgvekjrCA';
const blob = (key: string) => Buffer.from(key, 'base64');

const file = (name: string) => parseKnownHosts(fixture(`known-hosts/${name}`));
/** The keys (as "A"/"B" and line) a text lists for host:port, and the revoked ones. */
function lookup(text: string, host: string, port: number): { keys: string[]; revoked: string[] } {
  const { entries, problems } = parseKnownHosts(text);
  assert.deepEqual(problems, []);
  const found = knownHostKeys(entries, host, port);
  const who = (k: { key: string; line: number }) => `${k.key === A_KEY ? 'A' : k.key === B_KEY ? 'B' : '?'}@${k.line}`;
  return { keys: found.keys.map(who), revoked: found.revoked.map(who) };
}
function pin(name: string, host: string, port: number): KnownHostsPin {
  return { path: `fixtures/${name}`, ...knownHostKeys(file(name).entries, host, port) };
}

describe('known_hosts: the fixtures are what the sshds offer', () => {
  it('the keys hash to the fingerprints ssh-keygen -lf printed', () => {
    assert.equal(sshFingerprint(blob(A_KEY)), A_FP);
    assert.equal(sshFingerprint(blob(B_KEY)), B_FP);
  });
});

describe('known_hosts: parse and look up (OpenSSH rules)', () => {
  const table: [string, string, number, { keys: string[]; revoked: string[] }][] = [
    ['plain: [127.0.0.1]:PORT from ssh-keyscan', 'plain', A_PORT, { keys: ['A@1'], revoked: [] }],
    ['plain: not for another port', 'plain', B_PORT, { keys: [], revoked: [] }],
    ['plain: not for the bare host (port 22)', 'plain', 22, { keys: [], revoked: [] }],
    ['hashed (ssh-keygen -H): found by HMAC', 'hashed', A_PORT, { keys: ['A@1'], revoked: [] }],
    ['hashed: not for another port', 'hashed', B_PORT, { keys: [], revoked: [] }],
    ['port 22: the bare host', 'port-22', 22, { keys: ['A@1'], revoked: [] }],
    ['port 22: the bare host is not [host]:PORT', 'port-22', A_PORT, { keys: [], revoked: [] }],
    ['port 22, hashed', 'port-22-hashed', 22, { keys: ['A@1'], revoked: [] }],
    ['several keys for one host, comments and blank lines skipped', 'several', A_PORT, { keys: ['B@2', 'A@4'], revoked: [] }],
    ['several: the other host keeps its own', 'several', B_PORT, { keys: ['B@5'], revoked: [] }],
    ["another sshd's key under A's name", 'other-sshd', A_PORT, { keys: ['B@1'], revoked: [] }],
    ['@revoked', 'revoked', A_PORT, { keys: ['A@1'], revoked: ['A@2'] }],
  ];
  for (const [name, f, port, expected] of table) it(name, () => assert.deepEqual(lookup(fixture(`known-hosts/${f}`), '127.0.0.1', port), expected));

  it('a hashed file keeps no host name in clear', () => {
    const { entries } = file('hashed');
    assert.equal(entries[0]?.names.kind, 'hashed');
    assert.ok(!fixture('known-hosts/hashed').includes('127.0.0.1'));
  });

  it('@cert-authority is refused with the fix', () => {
    assert.deepEqual(file('cert-authority'), { entries: [], problems: [{ line: 1, message: CERT_AUTHORITY_UNSUPPORTED }] });
    assert.match(CERT_AUTHORITY_UNSUPPORTED, /@cert-authority is not supported: pin the host keys themselves \(ssh-keyscan -p PORT HOST/);
  });

  describe('name lists and patterns (*, ?, !negation), case-insensitive', () => {
    const line = (names: string) => `${names} ssh-ed25519 ${A_KEY}\n`;
    const table: [string, string, number, boolean][] = [
      ['a comma list', 'prod-1,[127.0.0.1]:2222,10.0.0.5', 2222, true],
      ['a comma list, port 22', 'prod-1,127.0.0.1', 22, true],
      ['* matches any host', '*', 2222, true],
      ['a wildcard inside brackets', '[127.0.0.*]:2222', 2222, true],
      ['? is one character', '[127.0.0.?]:2222', 2222, true],
      ['? is exactly one character', '127.0.0.?', 22, true],
      ['? never matches two', '127.0.?', 22, false],
      ['a negation vetoes the line', '127.0.0.*,!127.0.0.1', 22, false],
      ['a negation of another host leaves it', '127.0.0.*,!127.0.0.2', 22, true],
      ['a negation alone matches nothing', '!10.0.0.5', 22, false],
      ['regex characters are literal', '127.0.0.1+', 22, false],
      ['host names are case-insensitive', 'PROD-1.Example', 22, true],
    ];
    for (const [name, names, port, match] of table) {
      const host = names.startsWith('PROD') ? 'prod-1.example' : '127.0.0.1';
      it(name, () => assert.deepEqual(lookup(line(names), host, port).keys, match ? ['A@1'] : []));
    }
    it('the name looked up is [host]:port, or the host alone on 22, lower-cased', () => {
      assert.deepEqual([knownHostsName('Prod-1', 22), knownHostsName('10.0.0.5', 2222)], ['prod-1', '[10.0.0.5]:2222']);
    });
  });

  it('lines it cannot use are problems with their line number', () => {
    const text = [
      '# comment',
      '',
      `@marker 127.0.0.1 ssh-ed25519 ${A_KEY}`,
      '127.0.0.1 ssh-ed25519',
      `127.0.0.1 ssh-rsa ${A_KEY}`,
      '127.0.0.1 ssh-ed25519 not-base64!',
      `|1|abc ssh-ed25519 ${A_KEY}`,
      `a,,b ssh-ed25519 ${A_KEY}`,
      `   127.0.0.1 ssh-ed25519 ${A_KEY} trailing comment`,
    ].join('\n');
    const { entries, problems } = parseKnownHosts(text);
    assert.deepEqual(
      problems.map((p) => `${p.line}: ${p.message}`),
      [
        '3: unknown marker @marker — only @revoked is supported',
        '4: expected "HOSTS KEYTYPE KEY" (as ssh-keyscan writes it)',
        '5: not a ssh-rsa public key (the blob does not decode to one) — copy the line again from ssh-keyscan',
        '6: not a ssh-ed25519 public key (the blob does not decode to one) — copy the line again from ssh-keyscan',
        '7: "|1|abc" is not a hashed name as ssh-keygen -H writes it (|1|salt|hash)',
        '8: "a,,b" has an empty host name — separate names with single commas',
      ],
    );
    assert.deepEqual(
      entries.map((e) => [e.line, e.keyType]),
      [[9, 'ssh-ed25519']],
    );
  });
});

describe('known_hosts: the verdict on the key a host offers', () => {
  const table: [string, string, number, string, string][] = [
    ['plain, the real key', 'plain', A_PORT, A_KEY, 'accepted'],
    ['hashed, the real key', 'hashed', A_PORT, A_KEY, 'accepted'],
    ['several keys: any one of them', 'several', A_PORT, A_KEY, 'accepted'],
    ['several keys: the other one too', 'several', A_PORT, B_KEY, 'accepted'],
    ["another sshd's key", 'plain', A_PORT, B_KEY, 'mismatch'],
    ['a file listing only the other key', 'other-sshd', A_PORT, A_KEY, 'mismatch'],
    ['no entry for the name at all', 'plain', B_PORT, A_KEY, 'mismatch'],
    ['revoked, although line 1 lists it', 'revoked', A_PORT, A_KEY, 'revoked'],
  ];
  for (const [name, f, port, key, verdict] of table)
    it(name, () => assert.equal(knownHostsVerdict({ hostKey: undefined, knownHosts: pin(f, '127.0.0.1', port) }, blob(key)).verdict, verdict));

  it('a revoked verdict names the @revoked line; every verdict the fingerprint and type received', () => {
    assert.deepEqual(knownHostsVerdict({ hostKey: undefined, knownHosts: pin('revoked', '127.0.0.1', A_PORT) }, blob(A_KEY)), {
      fp: A_FP,
      type: 'ssh-ed25519',
      verdict: 'revoked',
      line: 2,
    });
  });

  it('a hostKey pin compares fingerprints, as before', () => {
    assert.equal(knownHostsVerdict({ hostKey: A_FP }, blob(A_KEY)).verdict, 'accepted');
    assert.equal(knownHostsVerdict({ hostKey: B_FP }, blob(A_KEY)).verdict, 'mismatch');
  });
});
