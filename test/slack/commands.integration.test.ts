import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createLogger } from '../../src/log/create-logger.js';
import { TransportPool } from '../../src/remote/transport-pool.js';
import type { SlackRunner } from '../../src/slack/create-slack-app.js';
import { testConfig } from '../support/config.js';
import { freePort } from '../support/free-port.js';
import { httpGet } from '../support/http-probe.js';
import { startSlackDouble, type RecordedCall, type SlackDouble } from '../support/slack-double.js';
import type { SlackSender } from '../support/slack-requests.js';
import { startTestHost, type TestHost } from '../support/test-host.js';
import { TEST_THRESHOLDS } from '../support/test-thresholds.js';
import { startHttpSlackApp } from '../support/http-slack-app.js';

/*
 * Every subcommand end to end: a signed request into Bolt's HTTP receiver, the checks over real
 * SSH to sshd + MariaDB + supervisord running the Flask/Waitress stand-in, the answer into the
 * Web API double. Thirty unreachable hosts sit beside prod-1 so `status all` outgrows one message.
 */
const SECRET = 'integration-signing-secret';
const DEAD = 30;
let host: TestHost;
let slack: SlackDouble;
let app: SlackRunner;
let pool: TransportPool;
let send: SlackSender;
let dir: string;

type Block = { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { action_id?: string; value?: string }[] };

/** Runs a command and returns the answer that replaced its ack. */
async function answer(text: string): Promise<{ ack: Record<string, unknown>; body: Record<string, unknown>; blocks: Block[] }> {
  const r = await send.command(text);
  assert.equal(r.status, 200);
  assert.ok(r.ms < 1000, `ack took ${r.ms} ms`);
  const res = await slack.waitFor((c) => c.path === `/response/${r.id}`, 20_000);
  return { ack: r.json, body: res.body, blocks: (res.body.blocks ?? []) as Block[] };
}
const fieldsOf = (blocks: Block[]): string[] => blocks.flatMap((b) => b.fields?.map((f) => f.text) ?? []);
const callsTo = (method: string): RecordedCall[] => slack.calls.filter((c) => c.path === `/api/${method}`);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mm-slack-int-'));
  host = await startTestHost({ withDb: true });
  slack = await startSlackDouble();
  const closed = await freePort();
  const dead = Array.from({ length: DEAD }, (_, i) => host.hostConfig(`dead-${i + 1}`, { ssh: { port: closed }, mysql: undefined }));
  const config = testConfig({ hosts: [host.hostConfig('prod-1', { app: { poolRecycle: 300 } }), ...dead], thresholds: TEST_THRESHOLDS }, host.env);
  pool = new TransportPool(createLogger({ level: 'silent' }));
  ({ app, send } = await startHttpSlackApp({ config, slack, secret: SECRET, transportFor: (h) => pool.get(h) }));
});
beforeEach(() => truncateSync(host.app.logFile, 0));
after(async () => {
  await app?.stop();
  await pool?.closeAll();
  await slack?.close();
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('/moneymind subcommands against a real host', () => {
  it('status prod-1: the ack says what is being checked; the answer is the healthy report for the channel', async () => {
    const a = await answer('status prod-1');
    assert.match(String(a.ack.text), /checking prod-1…/);
    assert.equal(a.body.replace_original, true);
    assert.equal(a.body.response_type, 'in_channel');
    assert.equal(a.body.text, '✅ prod-1 healthy');
    assert.equal(a.blocks[0]?.text?.text, '✅ prod-1 healthy');
    const fields = fieldsOf(a.blocks);
    assert.deepEqual(
      fields.map((f) => /\*(\w+)\*/.exec(f)?.[1]),
      ['health', 'service', 'port', 'resources', 'database', 'logs'],
    );
    assert.match(fields.join('\n'), /supervisor moneymind RUNNING for/);
    assert.match(fields.join('\n'), /wait_timeout 600 s ≥ 2 × pool_recycle 300 s/);
    const buttons = a.blocks.find((b) => b.type === 'actions')?.elements ?? [];
    assert.deepEqual(
      buttons.map((b) => [b.action_id, b.value]),
      [
        ['refresh', 'prod-1'],
        ['logs', 'prod-1'],
        ['trend', 'prod-1'],
      ],
    );
  });

  for (const [area, label, summary] of [
    ['health', 'health', /GET \/health → 200 in \d+ ms/],
    ['service', 'service', /supervisor moneymind RUNNING/],
    ['port', 'port', /:\d+ listening/],
    ['resources', 'resources', /load [\d.]+\/\d+ cores · mem \d+ % available/],
    ['db', 'database', /reachable in \d+ ms/],
  ] as const) {
    it(`${area} prod-1 answers that one area`, async () => {
      const a = await answer(`${area} prod-1`);
      const fields = fieldsOf(a.blocks);
      assert.equal(fields.length, 1, fields.join(' | '));
      assert.match(fields[0]!, new RegExp(`\\*${label}\\*`));
      assert.match(fields[0]!, summary);
    });
  }

  it('logs prod-1 with a clean log says so', async () => {
    const a = await answer('logs prod-1');
    assert.match(a.blocks.map((b) => b.text?.text ?? '').join('\n'), /no error lines in the window — no errors in 15 min/);
  });

  it('logs prod-1 3: the last real error lines after a real DB outage', async () => {
    await host.db!.stop();
    try {
      const res = await httpGet(host.app.healthUrl, 5000);
      assert.equal(res?.status, 500, 'the app notices the DB is gone');
    } finally {
      await host.db!.start();
    }
    const a = await answer('logs prod-1 3');
    assert.equal(a.body.response_type, 'in_channel');
    assert.match(String(a.body.text), /^last \d error lines on prod-1$/);
    const body = a.blocks.map((b) => b.text?.text ?? '').join('\n');
    assert.match(body, /ERROR: Health check failed: .*\((2003|2013|2006)/);
  });

  it('hosts: every configured host and its last known state, only for the asker', async () => {
    await answer('status prod-1');
    const r = await send.command('hosts');
    assert.equal(r.json.response_type, 'ephemeral');
    const text = JSON.stringify(r.json.blocks);
    assert.match(text, /✅ \*prod-1\* — 127\.0\.0\.1:\d+, supervisor moneymind/);
    assert.match(text, /⚪ \*dead-30\*/);
  });

  it('help lists report among the commands, ephemerally', async () => {
    const r = await send.command('help');
    assert.equal(r.json.response_type, 'ephemeral');
    assert.match(JSON.stringify(r.json.blocks), /`\/moneymind report HOST`/);
  });

  it('report prod-1: the support bundle is uploaded as a file to the channel, credentials masked', async () => {
    const before = callsTo('files.completeUploadExternal').length;
    await host.app.setMode('ok'); // the app logs "Test mode set to ok": a line for the bundle's log part
    const a = await answer('report prod-1');
    assert.match(String(a.ack.text), /collecting a support bundle from prod-1…/);
    assert.match(String(a.body.text), /^📎 support bundle for prod-1: \d+ KB, \d+ log lines$/);
    const done = callsTo('files.completeUploadExternal');
    assert.equal(done.length, before + 1, 'one upload');
    assert.equal(done.at(-1)!.body.channel_id, 'C0123ABCD');
    const id = (JSON.parse(String(done.at(-1)!.body.files)) as { id: string }[])[0]!.id;
    const file = slack.uploads.get(id)!;
    assert.match(file.filename, /^moneymind-prod-1-\d{4}-\d\d-\d\dT[\d-]+Z\.txt$/);
    const text = file.content;
    for (const re of [
      /^MoneyMind support bundle — prod-1 \(ssh mmtest@127\.0\.0\.1:\d+\)/,
      /== Diagnosis ==\nprod-1 {2}✓ HEALTHY/,
      /== OS ==\n(.*\n)*PRETTY_NAME=/,
      /== Kernel ==\nLinux /,
      /== Python ==\nPython 3\.\d+/,
      /== Service state ==\nmoneymind +RUNNING/,
      /== Service configuration ==\n# \/.*supervisord\.conf\n\[program:moneymind\]\ncommand=/,
      /MM_DB_URL="mysql\+pymysql:\/\/[^:]+:\*\*\*@127\.0\.0\.1/,
      /== Memory \(free -m\) ==\n +total/,
      /== Disk ==\nFilesystem/,
      /== Processes by memory ==\n(.*\n)*.*stand-in-app\/app\.py/,
      /== Log: last 200 lines of \/.*moneymind\.log ==\n(.*\n)*.*INFO: Test mode set to ok/,
      /== Database ==\nvariables:\n(.*\n)*wait_timeout +600\n/,
      /max_connections +151/,
      /Threads_connected +\d+/,
    ])
      assert.match(text, re);
    assert.ok(!text.includes(host.db!.appPassword), 'the app DB password never reaches Slack');
    assert.ok(!text.includes(host.db!.monitorPassword), 'nor the monitor password');
  });

  it('report when the bot is not in the channel: a short ephemeral hint, nothing posted', async () => {
    slack.refuseNext('files.completeUploadExternal', 'not_in_channel');
    const r = await send.command('report prod-1');
    const hint = await slack.waitFor((c) => c.path === `/response/${r.id}` && c.body.response_type === 'ephemeral', 20_000);
    assert.match(String(hint.body.text), /invite me to this channel \(\/invite @moneymind\)/);
    assert.ok(
      send.responses(r.id).some((c) => c.body.delete_original === true),
      'the "collecting…" message is removed',
    );
    assert.ok(!send.responses(r.id).some((c) => String(c.body.text).startsWith('📎')));
  });

  it('report takes exactly one configured host', async () => {
    for (const [text, re] of [
      ['report', /report takes exactly one host/],
      ['report all', /report takes exactly one host/],
      ['report prod-9', /unknown host "prod-9"/],
    ] as const) {
      const r = await send.command(text);
      assert.equal(r.json.response_type, 'ephemeral');
      assert.match(String(r.json.text), re);
    }
  });

  it('status all outgrows one message: the blocks say so and the whole answer is attached as a file', async () => {
    const before = callsTo('files.completeUploadExternal').length;
    const a = await answer('status all');
    assert.match(String(a.ack.text), /checking all 31 hosts…/);
    assert.match(String(a.body.text), /^🔴 1\/31 hosts healthy — likely host-unreachable$/);
    assert.ok(a.blocks.length <= 50);
    assert.match(JSON.stringify(a.blocks), /and \d+ more blocks: the full answer is attached as a file/);
    await slack.waitFor(() => callsTo('files.completeUploadExternal').length > before);
    const id = (JSON.parse(String(callsTo('files.completeUploadExternal').at(-1)!.body.files)) as { id: string }[])[0]!.id;
    const file = slack.uploads.get(id)!.content;
    for (const name of ['prod-1', 'dead-1', 'dead-30']) assert.match(file, new RegExp(`^${name} `, 'm'));
  });
});
