import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secretValues } from '../../src/boundary/secret-values.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { PAGERDUTY_EVENTS_URL } from '../../src/config/resolve-paging.js';
import { configProblems, testConfig } from '../support/config.js';

// `pagerduty:` and `webhooks:`: secrets only from the environment, every problem named with its fix.
const hosts = [{ name: 'a', transport: 'local' }];
const SECRET = 'whsec-0123456789abcdef';
const problems = (doc: object, env: Record<string, string> = {}) => configProblems(() => resolveConfig({ hosts, ...doc }, env, 'test config'));

describe('paging config', () => {
  it('none configured: no targets, nothing paged', () => {
    assert.deepEqual(testConfig({ hosts }).paging, []);
  });

  it('PagerDuty and a webhook: their secrets read from the environment, masked like every secret', () => {
    const c = testConfig(
      { hosts, pagerduty: { routingKeyEnv: 'PD_KEY' }, webhooks: [{ url: 'https://ntfy.example.com/ops', secretEnv: 'HOOK_SECRET' }] },
      { PD_KEY: 'R0UTING0KEY0000000000000000000000', HOOK_SECRET: SECRET },
    );
    const [pd, hook] = c.paging;
    assert.equal(pd?.kind, 'pagerduty');
    assert.equal(pd?.url, PAGERDUTY_EVENTS_URL);
    assert.equal(hook?.kind, 'webhook');
    assert.equal(hook?.url, 'https://ntfy.example.com/ops');
    assert.equal(hook?.label, 'webhooks[0] (ntfy.example.com)');
    assert.match(hook?.id ?? '', /^webhook:[0-9a-f]{16}$/);
    assert.deepEqual(secretValues(c).sort(), ['R0UTING0KEY0000000000000000000000', SECRET].sort());
    assert.doesNotMatch(JSON.stringify(c), /R0UTING0KEY|whsec/);
  });

  it('PAGERDUTY_EVENTS_URL overrides the endpoint; a bad one is named with the fix', () => {
    const env = { PD_KEY: 'k', PAGERDUTY_EVENTS_URL: 'http://127.0.0.1:9/v2/enqueue' };
    assert.equal(testConfig({ hosts, pagerduty: { routingKeyEnv: 'PD_KEY' } }, env).paging[0]?.url, 'http://127.0.0.1:9/v2/enqueue');
    assert.deepEqual(problems({ pagerduty: { routingKeyEnv: 'PD_KEY' } }, { ...env, PAGERDUTY_EVENTS_URL: 'ftp://x:pw@host/' }), [
      `PAGERDUTY_EVENTS_URL: not an http(s) URL without user:pass@ — unset it to use ${PAGERDUTY_EVENTS_URL}, or give the full URL of the double`,
    ]);
  });

  it('an unset variable names the field and the fix, in the same round as schema problems', () => {
    assert.deepEqual(problems({ pagerduty: { routingKeyEnv: 'PD_KEY' }, webhooks: [{ url: 'https://h.example.com/x', secretEnv: 'HOOK_SECRET' }] }), [
      'pagerduty.routingKeyEnv: environment variable PD_KEY is not set — export it before starting the bot',
      'webhooks[0].secretEnv: environment variable HOOK_SECRET is not set — export it before starting the bot',
    ]);
    const both = problems({ pagerduty: { routingKeyEnv: 'PD_KEY' }, watch: { failuresToAlert: 0 } });
    assert.equal(both.length, 2, both.join('\n'));
    assert.match(both.join('\n'), /watch\.failuresToAlert/);
    assert.match(both.join('\n'), /pagerduty\.routingKeyEnv: environment variable PD_KEY is not set/);
  });

  it('bad webhook URLs, a short secret, a typo and a duplicate are each named', () => {
    const env = { S: SECRET, SHORT: 'abc' };
    const found = problems(
      {
        webhooks: [
          { url: 'not a url', secretEnv: 'S' },
          { url: 'ftp://files.example.com/x', secretEnv: 'S' },
          { url: 'https://bob:hunter2@hooks.example.com/x', secretEnv: 'S' },
          { url: 'https://ok.example.com/x', secretEnv: 'SHORT' },
          { url: 'https://ok.example.com/x', secretEnv: 'S' },
          { url: 'https://ok.example.com/y', secretEnv: 'S', secretenv: 'S' },
        ],
        pagerduty: { routingKey: 'literal-key' },
      },
      env,
    );
    const text = found.join('\n');
    assert.match(text, /webhooks\[0\]\.url: an http\(s\) URL like https:\/\/ntfy\.example\.com\/moneymind — give the full address/);
    assert.match(text, /webhooks\[1\]\.url: an http\(s\) URL/);
    assert.match(text, /webhooks\[2\]\.url: has a user name or password in it \(user:pass@\) — remove them/);
    assert.doesNotMatch(text, /hunter2/, 'the password is not repeated');
    assert.match(text, /webhooks\[3\]\.secretEnv: SHORT is shorter than 16 characters — export SHORT="\$\(openssl rand -hex 32\)"/);
    assert.match(text, /webhooks\[4\]\.url: the same URL as webhooks\[3\] — remove one of them/);
    assert.match(text, /webhooks\[5\]\.secretenv: unknown key — did you mean "secretEnv"\?/);
    assert.match(text, /pagerduty\.routingKey: unknown key — the keys here are routingKeyEnv/);
    assert.match(text, /pagerduty\.routingKeyEnv: required/);
  });
});
