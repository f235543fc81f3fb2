import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadOpsSettings } from '../../src/config/ops-settings.js';
import { OpsError } from '../../src/errors.js';

const TOKEN = '0123456789abcdef0123456789abcdef';

describe('loadOpsSettings: where /healthz and /metrics listen, and the /metrics token', () => {
  // [env, mode, host, port, token set]
  const ok: [Record<string, string>, 'socket' | 'http', string, number, boolean][] = [
    [{}, 'socket', '127.0.0.1', 9102, false],
    [{ METRICS_HOST: '0.0.0.0', METRICS_PORT: '9200' }, 'socket', '0.0.0.0', 9200, false],
    [{ METRICS_HOST: '::1' }, 'socket', '::1', 9102, false],
    [{ METRICS_HOST: 'localhost' }, 'socket', 'localhost', 9102, false],
    [{ METRICS_HOST: '' }, 'socket', '127.0.0.1', 9102, false],
    [{ METRICS_TOKEN: TOKEN }, 'socket', '127.0.0.1', 9102, true],
    [{ METRICS_TOKEN: TOKEN }, 'http', '127.0.0.1', 9102, true],
    [{}, 'http', '127.0.0.1', 9102, false],
  ];
  for (const [env, mode, host, port, token] of ok) {
    it(`${mode} ${JSON.stringify(env).replace(TOKEN, '…')} → ${host}:${port}${token ? ' with a token' : ''}`, () => {
      const s = loadOpsSettings(env, mode);
      assert.deepEqual([s.host, s.port, s.metricsToken?.reveal()], [host, port, token ? TOKEN : undefined]);
    });
  }

  const refused: [Record<string, string>, 'socket' | 'http', RegExp][] = [
    [
      { METRICS_HOST: '127.0.0.1' },
      'http',
      new RegExp(
        /^METRICS_HOST is set, but in HTTP mode \/healthz and \/metrics are served on PORT beside \/slack\/events, /.source +
          /which Slack must reach — unset METRICS_HOST and set METRICS_TOKEN to protect \/metrics$/.source,
      ),
    ],
    [
      { METRICS_HOST: '10.0.0.5; rm -rf /' },
      'socket',
      new RegExp(
        /^METRICS_HOST=10\.0\.0\.5; rm -rf \/ is not an address to listen on /.source +
          /— export METRICS_HOST=127\.0\.0\.1 \(this machine only\) or 0\.0\.0\.0 \(every interface\)$/.source,
      ),
    ],
    [{ METRICS_PORT: 'ninety' }, 'socket', /^METRICS_PORT=ninety is not a port number — export METRICS_PORT=9102$/],
    [{ METRICS_PORT: '70000' }, 'socket', /METRICS_PORT=70000 is not a port number/],
    [
      { METRICS_TOKEN: 'short' },
      'http',
      /^METRICS_TOKEN must be 16 to 512 printable characters without spaces — export METRICS_TOKEN="\$\(openssl rand -hex 32\)"$/,
    ],
    [{ METRICS_TOKEN: 'has a space in it, sixteen+' }, 'socket', /METRICS_TOKEN must be/],
    [{ METRICS_TOKEN: '' }, 'socket', /METRICS_TOKEN must be/],
    [{ METRICS_PORT: '0', METRICS_TOKEN: 'x' }, 'socket', /^the environment has 2 problems:\n {2}- METRICS_PORT=0 [^\n]+\n {2}- METRICS_TOKEN must be/],
  ];
  for (const [env, mode, re] of refused) {
    it(`${mode} ${JSON.stringify(env)} → a CONFIG error naming the variable and the fix`, () => {
      assert.throws(
        () => loadOpsSettings(env, mode),
        (e: unknown) =>
          e instanceof OpsError &&
          e.code === 'CONFIG' &&
          re.test(e.message) &&
          !(env.METRICS_TOKEN && env.METRICS_TOKEN.length > 4 && e.message.includes(env.METRICS_TOKEN)),
      );
    });
  }
});
