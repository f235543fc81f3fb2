import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/log/create-logger.js';
import { TransportPool } from '../../src/remote/transport-pool.js';
import type { SlackRunner } from '../../src/slack/create-slack-app.js';
import { testConfig } from '../support/config.js';
import { runOk } from '../support/proc.js';
import { startSlackDouble, type SlackDouble } from '../support/slack-double.js';
import type { SlackSender } from '../support/slack-requests.js';
import { startHttpSlackApp } from '../support/http-slack-app.js';

/*
 * The slash command through Bolt's real HTTP receiver: requests signed as Slack signs them, the
 * Web API and response_url pointed at a local double that records every call. The one host here
 * accepts TCP but never speaks SSH, so every check hangs until readyTimeout: the ack must not wait.
 */
const SECRET = 'test-signing-secret';
let slack: SlackDouble;
let app: SlackRunner;
let silent: Server;
let dir: string;
let pool: TransportPool;
let send: SlackSender;

before(async () => {
  slack = await startSlackDouble();
  silent = createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  dir = mkdtempSync(join(tmpdir(), 'mm-slack-'));
  await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'key')]);
  const config = testConfig({
    hosts: [
      {
        name: 'slow-1',
        ssh: {
          host: '127.0.0.1',
          port: (silent.address() as { port: number }).port,
          username: 'ops',
          privateKeyPath: join(dir, 'key'),
          hostKey: 'SHA256:ffstP7ZDLHJzi3ey+UwtzDQ9yhF4mLLZbdR9vIq4Ntc',
          readyTimeout: '2s',
        },
      },
    ],
    slack: { commandChannels: ['C0123ABCD', 'C0456EFGH'] },
  });
  pool = new TransportPool(createLogger({ level: 'silent' }));
  ({ app, send } = await startHttpSlackApp({ config, slack, secret: SECRET, transportFor: (h) => pool.get(h) }));
});
after(async () => {
  await app?.stop();
  await pool?.closeAll();
  await slack?.close();
  silent?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("/moneymind over Bolt's HTTP receiver", () => {
  it('acks at once while the host hangs, then replaces the ack with the diagnosis', async () => {
    const r = await send.command('status slow-1');
    assert.equal(r.status, 200);
    assert.ok(r.ms < 1000, `ack took ${r.ms} ms`);
    assert.equal(r.json.response_type, 'in_channel');
    assert.match(String(r.json.text), /checking slow-1…/);
    const answer = await slack.waitFor((c) => c.path === `/response/${r.id}`, 10_000);
    assert.equal(answer.body.replace_original, true);
    assert.equal(answer.body.response_type, 'in_channel');
    assert.match(String(answer.body.text), /^🔴 slow-1 unhealthy — likely host-unreachable/);
    const blocks = answer.body.blocks as { type: string }[];
    assert.equal(blocks[0]?.type, 'header');
    assert.ok(blocks.length <= 50);
    assert.ok(blocks.some((b) => b.type === 'actions'));
  });

  it('rejects a forged signature and a request older than 5 minutes, changing nothing', async () => {
    const before = slack.calls.length;
    const forged = await send.command('status slow-1', { secret: 'wrong' });
    assert.equal(forged.status, 401);
    const old = await send.command('status slow-1', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    assert.equal(old.status, 401);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(
      slack.calls.filter((c) => c.path.startsWith('/response/')).length,
      slack.calls.slice(0, before).filter((c) => c.path.startsWith('/response/')).length,
    );
  });

  it('hostile text and unknown hosts get an ephemeral error in the ack, and nothing runs', async () => {
    for (const [text, re] of [
      ['status slow-1; rm -rf /', /unexpected character ";"/],
      ['status $(reboot)', /unexpected character "\$"/],
      ['x'.repeat(10_000), /characters long/],
      ['status prod-9', /unknown host "prod-9" — known hosts: slow-1/],
    ] as const) {
      const r = await send.command(text);
      assert.equal(r.status, 200);
      assert.equal(r.json.response_type, 'ephemeral');
      assert.match(String(r.json.text), re);
    }
  });

  it('unknown subcommand → help, ephemeral', async () => {
    const r = await send.command('dance');
    assert.equal(r.json.response_type, 'ephemeral');
    assert.match(JSON.stringify(r.json.blocks), /\/moneymind status \[HOST\|all\]/);
  });

  it('a 500 then a 429 from response_url: the answer still arrives, once', async () => {
    slack.failNext(500);
    slack.failNext(429);
    const r = await send.command('health slow-1');
    await slack.waitFor(
      (c) =>
        c.path === `/response/${r.id}` &&
        c.body.replace_original === true &&
        Array.isArray(c.body.blocks) &&
        slack.calls.filter((x) => x.path === `/response/${r.id}`).length === 3,
      15_000,
    );
    await new Promise((res) => setTimeout(res, 500));
    assert.equal(slack.calls.filter((c) => c.path === `/response/${r.id}`).length, 3, 'two refused attempts and one delivered answer');
  });

  it("[Refresh] re-runs the status in place; a crafted button value gets the router's error", async () => {
    const click = send.click;
    const refreshed = await click('refresh', 'slow-1');
    assert.equal(refreshed.body.replace_original, true);
    assert.match(String(refreshed.body.text), /slow-1 unhealthy/);
    const crafted = await click('logs', 'slow-1; rm -rf /');
    assert.equal(crafted.body.response_type, 'ephemeral');
    assert.match(String(crafted.body.text), /unexpected character ";"/);
  });

  it('outside slack.commandChannels: an ephemeral pointer to where it works, and nothing runs', async () => {
    const r = await send.command('status slow-1', { channel: 'C0777WXYZ' });
    assert.equal(r.json.response_type, 'ephemeral');
    assert.equal(r.json.text, '/moneymind answers in <#C0123ABCD>, <#C0456EFGH>; try it there.');
    await new Promise((res) => setTimeout(res, 300));
    assert.equal(send.responses(r.id).length, 0);
  });

  it('when response_url keeps failing: a short ephemeral message, no stack trace', async () => {
    slack.failNext(500, 3);
    const r = await send.command('health slow-1');
    const told = await slack.waitFor((c) => c.path === `/response/${r.id}` && c.body.response_type === 'ephemeral', 15_000);
    assert.equal(told.body.text, ":warning: Something went wrong running that command; the details are in the bot's logs. Try again in a minute.");
    assert.equal(send.responses(r.id).length, 4, 'three refused attempts, then the apology');
  });
});
