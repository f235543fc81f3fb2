import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawnBot } from './support/bot-process.js';
import { freePort } from './support/free-port.js';
import { waitUntil } from './support/proc.js';
import { startSlackDouble, type SlackDouble } from './support/slack-double.js';
import { slackSender } from './support/slack-requests.js';
import { slackHeaders } from './support/slack-sign.js';

/*
 * The bot as `npm start` runs it (src/main.ts, through tsx here): the environment picks the mode.
 * Each run gets a temp working directory: the default store (./data/moneymind.db) lands there.
 */
let slack: SlackDouble;
let cwd: string;
const bot = (env: Record<string, string>, stdin = '', imports: string[] = []) => spawnBot(env, { cwd, stdin, imports });
const get = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, { headers }).then(
    async (r) => ({ status: r.status, text: await r.text() }),
    () => undefined,
  );
/** An address of this machine other than loopback, if it has one. */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && !a.internal && a.family === 'IPv4')?.address;

before(async () => {
  slack = await startSlackDouble();
  cwd = mkdtempSync(join(tmpdir(), 'mm-bot-'));
});
after(async () => {
  await slack?.close();
  rmSync(cwd, { recursive: true, force: true });
});

describe('the bot process picks its mode from the environment', () => {
  it('no Slack tokens: terminal mode on stdin with the built-in local host', async () => {
    const b = bot({}, 'hosts\nstatus nope\nquit\n');
    assert.equal(await b.exited, 0, b.err());
    assert.match(b.out(), /^MoneyMind ops bot — terminal mode \(1 host from built-in defaults/);
    assert.match(b.out(), /local {12}local {18}systemd moneymind {8}not checked yet/);
    assert.match(b.out(), /error: unknown host "nope" — known hosts: local/);
    assert.ok(existsSync(join(cwd, 'data', 'moneymind.db')), 'the store is created under ./data/');
  });

  it('Socket Mode: connects through SLACK_API_URL, serves /healthz and /metrics on METRICS_PORT, on 127.0.0.1 only', async (t) => {
    const metricsPort = await freePort();
    const b = bot({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: slack.apiUrl, METRICS_PORT: String(metricsPort) });
    const health = await waitUntil(
      '/healthz to say connected',
      async () => {
        const r = await get(`http://127.0.0.1:${metricsPort}/healthz`);
        return r && /"slack":"connected"/.test(r.text) ? r : undefined;
      },
      { timeoutMs: 20_000, describeFailure: b.err },
    );
    assert.match(health.text, /"status":"ok".*"slack":"connected"/, b.err());
    assert.match((await get(`http://127.0.0.1:${metricsPort}/metrics`))?.text ?? '', /moneymind_alerts_posted_total/);
    // Without METRICS_HOST it listens on loopback only: nothing answers on the machine's own address.
    if (outsideAddress) assert.equal(await get(`http://${outsideAddress}:${metricsPort}/healthz`), undefined, `reachable on ${outsideAddress}`);
    else t.diagnostic('not checked from outside: this machine has no address besides loopback');
    assert.equal(await b.stop(), 0, b.err());
  });

  it('HTTP mode with METRICS_TOKEN: /metrics on the public Slack port wants the bearer token; /healthz does not', async () => {
    const port = await freePort();
    const token = 'process-metrics-token-0123456789';
    const b = bot({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'process-secret',
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
      METRICS_TOKEN: token,
    });
    try {
      const health = await waitUntil('/healthz to answer', () => get(`http://127.0.0.1:${port}/healthz`), { timeoutMs: 20_000, describeFailure: b.err });
      assert.match(health.text, /"status":/, 'answered without a token');
      const refused = await get(`http://127.0.0.1:${port}/metrics`);
      assert.equal(refused?.status, 401);
      assert.doesNotMatch(refused?.text ?? '', /moneymind_/);
      assert.equal((await get(`http://127.0.0.1:${port}/metrics`, { authorization: 'Bearer wrong-token-0123456789' }))?.status, 401);
      const ok = await get(`http://127.0.0.1:${port}/metrics`, { authorization: `Bearer ${token}` });
      assert.equal(ok?.status, 200);
      assert.match(ok?.text ?? '', /# TYPE moneymind_host_up gauge/);
      assert.doesNotMatch(b.err(), /METRICS_TOKEN is not set/);
      assert.ok(!b.err().includes(token), 'the token is never logged');
    } finally {
      assert.equal(await b.stop(), 0, b.err());
    }
  });

  it('METRICS_HOST in HTTP mode, or a bad METRICS_*: exit 2, the variable and the fix named', async () => {
    const http = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'process-secret', SLACK_API_URL: slack.apiUrl, PORT: String(await freePort()) };
    const host = bot({ ...http, METRICS_HOST: '127.0.0.1' });
    assert.equal(await host.exited, 2, host.err());
    assert.match(
      host.err(),
      new RegExp(
        /^moneymind: METRICS_HOST is set, but in HTTP mode \/healthz and \/metrics are served on PORT beside \/slack\/events, /.source +
          /which Slack must reach — unset METRICS_HOST and set METRICS_TOKEN to protect \/metrics$/.source,
        'm',
      ),
    );
    const weak = bot({ ...http, METRICS_TOKEN: 'secret-1' });
    assert.equal(await weak.exited, 2, weak.err());
    assert.match(weak.err(), /METRICS_TOKEN must be 16 to 512 printable characters/);
    assert.doesNotMatch(weak.err(), /secret-1/);
  });

  it('a half-set Slack environment: exit 2, the variables named, no token printed', async () => {
    const b = bot({ SLACK_BOT_TOKEN: 'xoxb-do-not-print-me' });
    assert.equal(await b.exited, 2);
    assert.match(b.err(), /SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN \(Socket Mode\) nor SLACK_SIGNING_SECRET \(HTTP mode\) is/);
    assert.doesNotMatch(b.out() + b.err(), /do-not-print-me/);
  });

  it('bot token + signing secret: HTTP mode on PORT answers a signed command; SIGTERM stops it cleanly', async () => {
    const port = await freePort();
    const b = bot({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'process-secret', SLACK_API_URL: slack.apiUrl, PORT: String(port) });
    const send = slackSender(`http://127.0.0.1:${port}`, slack, 'process-secret');
    // Not listening yet: retry (bounded).
    const r = await waitUntil('the bot to answer a command', () => send.command('help').catch(() => undefined), { timeoutMs: 20_000, describeFailure: b.err });
    assert.equal(r.json.response_type, 'ephemeral');
    assert.match(JSON.stringify(r.json.blocks), /\/moneymind report HOST/);
    // /healthz and /metrics beside /slack/events on the same port; 200 once auth.test has answered.
    const health = await waitUntil(
      '/healthz 200',
      async () => {
        const h = await get(`http://127.0.0.1:${port}/healthz`);
        return h?.status === 200 ? h : undefined;
      },
      { timeoutMs: 20_000, describeFailure: b.err },
    );
    assert.match(health.text, /"status":"ok".*"slack":"http".*"watcher":"off"/);
    const metrics = (await get(`http://127.0.0.1:${port}/metrics`))?.text ?? '';
    assert.match(metrics, /# TYPE moneymind_host_up gauge/);
    assert.match(metrics, /moneymind_process_open_fds \d+/);
    assert.equal(await b.stop(), 0, b.err());
  });
});

describe('the process policy: request errors are never fatal', () => {
  const httpBot = async (imports: string[] = [], env: Record<string, string> = {}) => {
    const port = await freePort();
    const b = bot(
      { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'process-secret', SLACK_API_URL: slack.apiUrl, PORT: String(port), ...env },
      '',
      imports,
    );
    const url = `http://127.0.0.1:${port}`;
    await waitUntil('/healthz to answer', () => get(`${url}/healthz`), { timeoutMs: 20_000, describeFailure: b.err });
    return { b, url };
  };
  const errorsCounted = async (url: string, where: string) =>
    Number(new RegExp(`moneymind_errors_total\\{where="${where}"\\} (\\d+)`).exec((await get(`${url}/metrics`))?.text ?? '')?.[1] ?? 0);

  it("a signed `payload=null` (which threw inside Bolt's receiver and ended the process) gets a 400; the bot goes on", async () => {
    const { b, url } = await httpBot();
    try {
      for (const [body, type] of [
        ['payload=null', 'application/x-www-form-urlencoded'],
        ['null', 'application/json'],
      ] as const) {
        const res = await fetch(`${url}/slack/events`, { method: 'POST', headers: { ...slackHeaders('process-secret', body), 'content-type': type }, body });
        assert.equal(res.status, 400, b.err());
        assert.equal(await res.text(), 'the body is null, not an object\n');
      }
      assert.equal(b.child.exitCode, null, 'still running');
      const r = await slackSender(url, slack, 'process-secret').command('help');
      assert.equal(r.json.response_type, 'ephemeral');
      assert.equal(await errorsCounted(url, 'slack_request'), 2);
    } finally {
      assert.equal(await b.stop(), 0, b.err());
    }
  });

  it('a promise rejection nobody handles is logged and counted; the process stays up', async () => {
    const { b, url } = await httpBot([new URL('./support/stray-error.ts', import.meta.url).href]);
    try {
      b.child.kill('SIGUSR2');
      await waitUntil('the rejection to be counted', async () => ((await errorsCounted(url, 'unhandled_rejection')) === 1 ? true : undefined), {
        timeoutMs: 10_000,
        describeFailure: b.err,
      });
      assert.match(b.err(), /"msg":"unhandled promise rejection; carrying on"/);
      assert.match(b.err(), /stray rejection from the test/);
      assert.equal((await get(`${url}/healthz`))?.status, 200);
    } finally {
      assert.equal(await b.stop(), 0, b.err());
    }
  });

  it('an uncaught exception is logged as fatal and ends the process with 1, for its supervisor to restart it', async () => {
    const { b } = await httpBot([new URL('./support/stray-error.ts', import.meta.url).href], { MM_TEST_STRAY: 'exception' });
    b.child.kill('SIGUSR2');
    assert.equal(await Promise.race([b.exited, new Promise((r) => setTimeout(() => r('still running'), 15_000))]), 1, b.err());
    assert.match(b.err(), /"level":60.*"msg":"uncaught exception; exiting for the supervisor to restart the bot"/);
    assert.match(b.err(), /stray exception from the test/);
    await b.stop();
  });
});
