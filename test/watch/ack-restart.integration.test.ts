import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type BotProcess, spawnBot } from '../support/bot-process.js';
import { writeConfigFile } from '../support/config.js';
import { freePort } from '../support/free-port.js';
import { waitUntil } from '../support/proc.js';
import { type RecordedCall, type SlackDouble, startSlackDouble } from '../support/slack-double.js';
import { type SlackSender, slackSender } from '../support/slack-requests.js';
import { startTestHost, type TestHost } from '../support/test-host.js';
import { TEST_THRESHOLDS } from '../support/test-thresholds.js';

/*
 * An acknowledgement outlives the bot process, not only a reopen of the store. The bot runs as
 * `npm start` runs it (HTTP mode, the Web API double as Slack) and watches the real test host
 * every 2 s; the stand-in app's /health is broken on purpose. Reminders come every 4 s, so one that
 * should not be there would show within a few cycles. [Acknowledge] is a signed click into the
 * bot's /slack/events; then SIGTERM, and a second process on the same store carries on: no
 * reminder, the click knows who has it, `history` has the time to acknowledge, and once the app
 * recovers the thread resolves with the time to resolve. Every wait is a bounded poll on a
 * condition (cycles counted from /metrics), never a fixed sleep.
 */
const CHANNEL = 'C0ACKREST1';
const SECRET = 'ack-restart-secret';
const BOB = 'U0BOB0001';
const KEY = 'host:prod-1|app-unhealthy';
const REMIND_MS = 4000;

let host: TestHost;
let slack: SlackDouble;
let dir: string;
let configPath: string;
/** The running bot: the first process, then the one started after SIGTERM. */
let bot: { b: BotProcess; url: string; send: SlackSender } | undefined;
/** The parent's ts (its thread), and where the acknowledgement's own posts are in the call log. */
let parentTs: string;
let ackMark: number;
let ackedAt: number;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mm-ack-restart-'));
  [host, slack] = await Promise.all([startTestHost(), startSlackDouble()]);
  configPath = writeConfigFile(join(dir, 'moneymind.yml'), {
    hosts: [host.hostConfig('prod-1')],
    thresholds: TEST_THRESHOLDS,
    slack: { alertChannel: CHANNEL },
    watch: {
      schedule: '*/2 * * * * *',
      failuresToAlert: 1,
      successesToResolve: 1,
      retryInterval: 'off',
      remindEvery: `${REMIND_MS / 1000}s`,
      store: join(dir, 'store.db'),
    },
  });
});
after(async () => {
  await bot?.b.stop();
  await fetch(new URL('/_mode/ok', host.app.healthUrl)).catch(() => undefined);
  await slack?.close();
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const get = (url: string) =>
  fetch(url).then(
    async (r) => ({ status: r.status, text: await r.text() }),
    () => undefined,
  );
const waitOpts = (timeoutMs: number) => ({ timeoutMs, intervalMs: 200, describeFailure: () => bot?.b.err().slice(-4000) ?? '' });

async function startBot(): Promise<NonNullable<typeof bot>> {
  const port = await freePort();
  const env = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, PORT: String(port), MONEYMIND_CONFIG: configPath };
  const b = spawnBot({ ...env, ...host.env }, { cwd: dir });
  const url = `http://127.0.0.1:${port}`;
  bot = { b, url, send: slackSender(url, slack, SECRET) };
  await waitUntil('/healthz to answer', () => get(`${url}/healthz`), waitOpts(30_000));
  return bot;
}

/** One sample of the running bot's /metrics (the real route), or NaN when the series is absent. */
async function metric(series: string): Promise<number> {
  const body = (await get(`${bot!.url}/metrics`))?.text ?? '';
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return Number(line?.split(' ')[1] ?? Number.NaN);
}
/** A call's text and blocks as the Web API client sent them (blocks form-encoded as JSON). */
const text = (c: RecordedCall): string =>
  `${String(c.body.text ?? '')}\n${typeof c.body.blocks === 'string' ? c.body.blocks : JSON.stringify(c.body.blocks ?? '')}`;
const parents = () => slack.calls.filter((c) => c.path === '/api/chat.postMessage' && c.body.channel === CHANNEL && !c.body.thread_ts);
const replies = (from = 0) => slack.calls.slice(from).filter((c) => c.path === '/api/chat.postMessage' && c.body.thread_ts === parentTs);
const edits = (from = 0) => slack.calls.slice(from).filter((c) => c.path === '/api/chat.update' && c.body.ts === parentTs);
const stillFailing = (from = 0) => replies(from).filter((c) => /Still failing/.test(text(c)));

describe('an acknowledgement survives a restart of the bot process', () => {
  it('the app breaks: one alert thread with [Acknowledge], then reminders every remindEvery', async () => {
    await startBot();
    await fetch(new URL('/_mode/broken', host.app.healthUrl));
    const parent = await slack.waitFor((c) => c.path === '/api/chat.postMessage' && c.body.channel === CHANNEL && !c.body.thread_ts, 60_000);
    assert.match(text(parent), /prod-1\*?: app-unhealthy/);
    assert.match(text(parent), /"action_id":"alert_ack"/);
    assert.ok(text(parent).includes(`"value":"${KEY}"`), 'the button carries the incident key');
    // The thread's ts is the parent's: every reply carries it.
    parentTs = String(
      (await slack.waitFor((c) => c.path === '/api/chat.postMessage' && c.body.channel === CHANNEL && Boolean(c.body.thread_ts), 30_000)).body.thread_ts,
    );
    await waitUntil('a reminder in the thread', async () => (stillFailing().length > 0 ? true : undefined), waitOpts(60_000));
  });

  it('[Acknowledge] through /slack/events: the parent says who is on it; /metrics has the time to acknowledge', async () => {
    const { send } = bot!;
    const r = await send.click('alert_ack', KEY, BOB);
    ackedAt = Date.now();
    assert.match(String(r.body.text), /Acknowledged/);
    const edit = await waitUntil('the parent edited', async () => edits().find((c) => /is on it/.test(text(c))), waitOpts(30_000));
    assert.match(text(edit), /👀 <@U0BOB0001> is on it since/);
    assert.match(text(edit), /"action_id":"alert_unack"/);
    const took = await waitUntil('the thread to say who took it', async () => replies().find((c) => /took it/.test(text(c))), waitOpts(30_000));
    // Reminders queued before the click go out before its posts (the outbox keeps order): count after them.
    ackMark = slack.calls.indexOf(took) + 1;
    assert.equal(await metric('moneymind_incident_time_to_acknowledge_seconds_count{cause="app-unhealthy"}'), 1);
  });

  it('SIGTERM, a new process on the same store: no reminder after the ack, the click knows who has it, no second thread', async () => {
    assert.equal(await bot!.b.stop(), 0, bot!.b.err().slice(-4000));
    const { send } = await startBot();
    // Enough cycles of the new process, and twice remindEvery since the ack: a reminder would be out.
    await waitUntil(
      'three cycles of the new process, 2 × remindEvery after the ack',
      async () => ((await metric('moneymind_watch_cycle_seconds_count')) >= 3 && Date.now() - ackedAt >= 2 * REMIND_MS ? true : undefined),
      waitOpts(60_000),
    );
    assert.equal(await metric('moneymind_open_incidents'), 1, 'still firing');
    assert.deepEqual(stillFailing(ackMark).map(text), [], 'no reminder after the acknowledgement');
    const again = await send.click('alert_ack', KEY, 'U0ALICE01');
    assert.match(String(again.body.text), /Already acknowledged by <@U0BOB0001>/);
    assert.equal(parents().length, 1, 'one thread');
    // The parent stays acknowledged: whatever edited it since still shows who is on it.
    for (const e of edits(ackMark)) assert.match(text(e), /is on it/);
  });

  it('history (a signed /moneymind history) shows the time to acknowledge', async () => {
    const r = await bot!.send.command('history');
    assert.match(JSON.stringify(r.json), /prod-1\*? app-unhealthy — still open · acknowledged after [\d.]+ (s|min)/);
  });

  it('the app recovers: resolved in the thread; history and /metrics have the time to resolve', async () => {
    const from = slack.calls.length;
    await fetch(new URL('/_mode/ok', host.app.healthUrl));
    await waitUntil('the resolve in the thread', async () => replies(from).find((c) => /Resolved after/.test(text(c))), waitOpts(60_000));
    const resolved = await waitUntil('the parent edited as resolved', async () => edits(from).find((c) => /resolved after/.test(text(c))), waitOpts(30_000));
    assert.doesNotMatch(text(resolved), /"actions"/, 'no stale buttons');
    const history = JSON.stringify((await bot!.send.command('history')).json);
    assert.match(history, /prod-1\*? app-unhealthy — resolved after [\d.]+ (s|min) · acknowledged after [\d.]+ (s|min)/);
    assert.equal(await metric('moneymind_incident_time_to_resolve_seconds_count{cause="app-unhealthy"}'), 1);
    assert.equal(await metric('moneymind_open_incidents'), 0);
    assert.equal(await bot!.b.stop(), 0, bot!.b.err().slice(-4000));
  });
});
