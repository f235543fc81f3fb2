import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from './support/free-port.js';
import { startSlackDouble, type SlackDouble } from './support/slack-double.js';
import { slackSender } from './support/slack-requests.js';

/*
 * The bot as `npm start` runs it (src/main.ts, through tsx here): the environment picks the mode.
 * Nothing from the test's own environment leaks in: each run gets exactly the variables listed.
 */
const MAIN = new URL('../src/main.ts', import.meta.url).pathname;
let slack: SlackDouble;
let cwd: string;

function bot(env: Record<string, string>, stdin = '') {
  // A temp working directory: the default store (./data/moneymind.db) lands there, not in the repo.
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), MAIN], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LOG_LEVEL: 'warn', ...env }, cwd });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin.end(stdin);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => out, err: () => err };
}

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

  it('Socket Mode: connects through SLACK_API_URL, serves /healthz and /metrics on METRICS_PORT', async () => {
    const metricsPort = await freePort();
    const b = bot({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: slack.apiUrl, METRICS_PORT: String(metricsPort) });
    let body = '';
    for (let i = 0; i < 100 && !/"slack":"connected"/.test(body); i++) {
      body = await fetch(`http://127.0.0.1:${metricsPort}/healthz`).then((r) => r.text(), () => '');
      if (!/"slack":"connected"/.test(body)) await new Promise((res) => setTimeout(res, 100));
    }
    assert.match(body, /"status":"ok".*"slack":"connected"/, b.err());
    assert.match(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text(), /moneymind_alerts_posted_total/);
    b.child.kill('SIGTERM');
    assert.equal(await b.exited, 0, b.err());
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
    let r: Awaited<ReturnType<typeof send.command>> | undefined;
    for (let i = 0; i < 100 && !r; i++) {
      r = await send.command('help').catch(() => undefined); // not listening yet: retry (bounded, 10 s)
      if (!r) await new Promise((res) => setTimeout(res, 100));
    }
    assert.ok(r, `the bot never listened on ${port}: ${b.err()}`);
    assert.equal(r.json.response_type, 'ephemeral');
    assert.match(JSON.stringify(r.json.blocks), /\/moneymind report HOST/);
    // /healthz and /metrics beside /slack/events on the same port.
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    assert.match(await health.text(), /"status":"ok".*"slack":"http".*"watcher":"off"/);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.match(metrics, /# TYPE moneymind_host_up gauge/);
    assert.match(metrics, /moneymind_process_open_fds \d+/);
    b.child.kill('SIGTERM');
    assert.equal(await b.exited, 0, b.err());
  });
});
