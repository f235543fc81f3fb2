import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MIN_VERBATIM, Redactor } from '../../src/boundary/redactor.js';
import { secretValues } from '../../src/boundary/secret-values.js';
import { Secret } from '../../src/config/secret.js';

describe('Redactor: the configured secrets, verbatim', () => {
  const dbPassword = 'vX7"q\\w@rd';
  const signing = '8f14e45fceea167a5a36dedd4bea2543';
  const key = [
    '-----BEGIN OPENSSH PRIVATE\x20KEY-----',
    'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
    'QyNTUxOQAAACDcMqKvXQ0Xb7bW8mQ1hZ3lq5f7n8Vb6v0C3sZtq0m3yAAAAJg0',
    '-----END OPENSSH PRIVATE\x20KEY-----',
  ].join('\n');
  const r = new Redactor().addSecrets([dbPassword, signing, key, 'pw']);

  it('masks a secret wherever it sits, with no key name to give it away', () => {
    assert.equal(r.redact(`login failed for monitor with ${dbPassword} (retrying)`), 'login failed for monitor with *** (retrying)');
    assert.equal(r.redact(`signature mismatch: expected ${signing}`), 'signature mismatch: expected ***');
  });
  it('masks its JSON-escaped and URL-encoded forms, and a PEM key line by line', () => {
    assert.ok(!r.redact(JSON.stringify({ msg: `pw is ${dbPassword}` })).includes('q\\\\w@rd'));
    assert.equal(r.redact(`mysql://monitor:${encodeURIComponent(dbPassword)}@db/x`), 'mysql://monitor:***@db/x');
    const line = key.split('\n')[2]!;
    assert.equal(r.redact(`stray ${line} in a log`), 'stray *** in a log');
  });
  it(`leaves secrets shorter than ${MIN_VERBATIM} characters to the patterns (masking "pw" everywhere would garble every answer)`, () => {
    assert.equal(r.redact('upwards pw'), 'upwards pw');
    assert.equal(r.redact('password=pw'), 'password=***');
  });
  it('applies the patterns too, and is idempotent', () => {
    const once = r.redact(`env DB_PASSWORD=other1 token xoxb-1-2-abc and ${signing}`);
    assert.equal(once, 'env DB_PASSWORD=*** token xoxb-*** and ***');
    assert.equal(r.redact(once), once);
  });
  it('a new Redactor knows no secrets: nothing is global', () => {
    assert.equal(new Redactor().redact(`x ${signing} y`), `x ${signing} y`);
  });
});

describe('secretValues: every Secret inside the settings', () => {
  it('finds them at any depth, without naming fields', () => {
    const config = {
      hosts: [
        { name: 'a', mysql: { password: new Secret('db-one-pw') }, ssh: { privateKey: new Secret('KEY') } },
        { name: 'b', mysql: undefined },
      ],
      slack: { approvers: ['U1'] },
    };
    const slack = { mode: 'http', botToken: new Secret('xoxb-9'), signingSecret: new Secret('sig-secret') };
    const ops = { metricsToken: new Secret('metrics-token-123456') };
    assert.deepEqual(secretValues(config, slack, ops).sort(), ['KEY', 'db-one-pw', 'metrics-token-123456', 'sig-secret', 'xoxb-9']);
  });
  it('skips empty secrets (an SSH host with a key file has an empty env key) and survives cycles', () => {
    const a: Record<string, unknown> = { s: new Secret('') };
    a.self = a;
    assert.deepEqual(secretValues(a), []);
  });
});
