import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/log/create-logger.js';
import { TransportPool } from '../../src/remote/transport-pool.js';
import type { SlackRunner } from '../../src/slack/create-slack-app.js';
import { testConfig } from '../support/config.js';
import { freePort } from '../support/free-port.js';
import { runOk } from '../support/proc.js';
import { startSlackDouble, type SlackDouble } from '../support/slack-double.js';
import type { SlackSender } from '../support/slack-requests.js';
import { startHttpSlackApp } from '../support/http-slack-app.js';

/*
 * slack.rateLimit through Bolt's real HTTP receiver (signed requests, response_url into the Web
 * API double). The hosts' SSH port is closed, so every check fails at once: what is measured is
 * which requests are let through, not the checks.
 */
const SECRET = 'rate-limit-secret';
const ALICE = 'U0ALICE001';
let slack: SlackDouble;
let app: SlackRunner;
let pool: TransportPool;
let send: SlackSender;
let dir: string;
/** Response ids of commands let through: their answers are awaited before the app stops. */
const running: number[] = [];

before(async () => {
  slack = await startSlackDouble();
  dir = mkdtempSync(join(tmpdir(), 'mm-rate-int-'));
  await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'key')]);
  const closed = await freePort();
  const host = (name: string) => ({
    name,
    ssh: { host: '127.0.0.1', port: closed, username: 'ops', privateKeyPath: join(dir, 'key'), hostKey: 'SHA256:ffstP7ZDLHJzi3ey+UwtzDQ9yhF4mLLZbdR9vIq4Ntc' },
  });
  const config = testConfig({ hosts: [host('dead-1'), host('dead-2')], slack: { commandChannels: ['C0123ABCD'], rateLimit: { max: 2, window: '1m' } } });
  pool = new TransportPool(createLogger({ level: 'silent' }));
  ({ app, send } = await startHttpSlackApp({ config, slack, secret: SECRET, transportFor: (h) => pool.get(h) }));
});
after(async () => {
  await Promise.allSettled(running.map((id) => slack.waitFor((c) => c.path === `/response/${id}`, 20_000)));
  await app?.stop();
  await pool?.closeAll();
  await slack?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A command that must be let through: acked with its progress line, for the channel. */
async function accepted(text: string, user: string): Promise<void> {
  const r = await send.command(text, { user });
  assert.equal(r.status, 200);
  assert.equal(r.json.response_type, 'in_channel', JSON.stringify(r.json));
  assert.match(String(r.json.text), /checking|collecting/);
  running.push(r.id);
}

describe('slack.rateLimit: expensive commands per person (max 2 per minute here)', () => {
  it('the third report / status-all of one person in a minute is refused in the ack: ephemeral, "try again in N s"', async () => {
    await accepted('status', ALICE);
    await accepted('report dead-1', ALICE);
    const r = await send.command('status all', { user: ALICE });
    assert.equal(r.status, 200);
    assert.ok(r.ms < 1000, `refused in ${r.ms} ms`);
    assert.equal(r.json.response_type, 'ephemeral');
    const wait = Number(
      new RegExp(
        /^:hourglass: try again in (\d+) s: at most 2 expensive commands \(report, status of all hosts\) per person every 1 min, /.source +
          /so the watcher keeps its SSH sessions\none host at a time \(`status HOST`\) is not limited$/.source,
      ).exec(String(r.json.text))?.[1],
    );
    assert.ok(wait > 30 && wait <= 60, String(r.json.text));
    // Nothing ran: no answer ever comes through its response_url.
    await slack.waitFor((c) => c.path === `/response/${running.at(-1)}`, 20_000);
    assert.deepEqual(send.responses(r.id), []);
  });

  it('the same person may still check one host, and ask for help', async () => {
    await accepted('status dead-1', ALICE);
    const help = await send.command('help', { user: ALICE });
    assert.equal(help.json.response_type, 'ephemeral');
    assert.match(JSON.stringify(help.json.blocks), /report HOST/);
  });

  it('[Refresh] of an all-hosts report counts too; of one host it does not', async () => {
    const refused = await send.click('refresh', 'all', ALICE);
    assert.equal(refused.body.response_type, 'ephemeral');
    assert.equal(refused.body.replace_original, false, 'the report it sat on stays');
    assert.match(String(refused.body.text), /^:hourglass: try again in \d+ s/);
    const one = await send.click('refresh', 'dead-1', ALICE);
    assert.equal(one.body.replace_original, true, 'refreshed in place');
    assert.match(String(one.body.text), /dead-1/);
  });

  it('someone else is not affected', async () => {
    await accepted('status all', 'U0BOB00001');
  });

  it('commands turned away for the channel do not use up the limit', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await send.command('status all', { user: 'U0CAROL001', channel: 'C0999WXYZ' });
      assert.match(String(r.json.text), /answers in <#C0123ABCD>/);
    }
    await accepted('status all', 'U0CAROL001');
    await accepted('report dead-2', 'U0CAROL001');
  });
});
