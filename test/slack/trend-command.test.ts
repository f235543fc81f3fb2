import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LocalTransport } from '../../src/remote/local-transport.js';
import type { SlackRunner } from '../../src/slack/create-slack-app.js';
import { Store } from '../../src/store/store.js';
import { testConfig } from '../support/config.js';
import { startHttpSlackApp } from '../support/http-slack-app.js';
import { decodePng, distinctColours } from '../support/png.js';
import { rssLeak } from '../support/rss-leak.js';
import { startSlackDouble, type SlackDouble } from '../support/slack-double.js';
import type { SlackSender } from '../support/slack-requests.js';

// `/moneymind trend HOST`: a signed request into Bolt's HTTP receiver, samples in a real store, the PNG into the Web API double.
let slack: SlackDouble;
let app: SlackRunner;
let send: SlackSender;
let store: Store;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mm-trend-slack-'));
  const config = testConfig({
    hosts: [
      { name: 'prod-1', transport: 'local' },
      { name: 'prod-2', transport: 'local' },
    ],
  });
  store = new Store(join(dir, 'store.db'));
  const now = Date.now();
  await store.commitCycle({ now, trackers: [], opened: [], posts: [], closed: [], samples: rssLeak('prod-1', now), keepSamplesMs: 24 * 3_600_000 });
  slack = await startSlackDouble();
  ({ app, send } = await startHttpSlackApp({ config, slack, secret: 's', transportFor: () => new LocalTransport(), store }));
});
after(async () => {
  await app?.stop();
  await slack?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('/moneymind trend', () => {
  it('trend prod-1: the chart is uploaded to the channel as a PNG with the numbers as alt text', async () => {
    const r = await send.command('trend prod-1');
    assert.equal(r.status, 200);
    assert.match(String(r.json.text), /drawing prod-1's trend over the last 6 h…/);
    const res = await slack.waitFor((c) => c.path === `/response/${r.id}`, 10_000);
    const alt =
      /^prod-1: app RSS 21\d → 3[34]\d MB over 5\.9 h, \+2[01] MB\/h, MemAvailable \d+ → \d+ MB; \/health median \d+ ms, max \d+ ms, 0 of 72 failed; DB connections 8–12 of 151; load per core [\d.]+–[\d.]+ \(72 samples\)$/;
    assert.match(String(res.body.text), /^📎 prod-1: app RSS/);
    const ask = slack.calls.find((c) => c.path === '/api/files.getUploadURLExternal')!;
    assert.match(String(ask.body.alt_text), alt);
    assert.match(String(ask.body.filename), /^moneymind-trend-prod-1-\d{12}\.png$/);
    const done = slack.calls.find((c) => c.path === '/api/files.completeUploadExternal')!;
    assert.equal(done.body.channel_id, 'C0123ABCD');
    assert.match(String(done.body.initial_comment), alt);
    const id = (JSON.parse(String(done.body.files)) as { id: string; title: string }[])[0]!;
    assert.equal(id.title, 'prod-1 trend, last 6 h');
    const img = decodePng(slack.uploads.get(id.id)!.bytes);
    assert.deepEqual([img.width, img.height], [900, 840]);
    assert.ok(distinctColours(img) > 20);
  });

  it('trend prod-2 with no samples: a clear message, no upload', async () => {
    const uploads = slack.uploads.size;
    const r = await send.command('trend prod-2');
    const res = await slack.waitFor((c) => c.path === `/response/${r.id}`, 10_000);
    assert.match(JSON.stringify(res.body), /no memory samples stored for prod-2 in the last 6 h/);
    assert.equal(slack.uploads.size, uploads);
  });

  it('[Trend] on an alert parent: the chart goes into that thread; the clicker gets a receipt, the channel no second copy', async () => {
    const before = slack.calls.length;
    const res = await send.click('alert_trend', 'prod-1', 'U0BOB0001', { ts: '1700000000.000100' });
    assert.equal(res.body.response_type, 'ephemeral');
    assert.match(String(res.body.text), /^📎 posted in the thread: prod-1 trend, last 6 h$/);
    const done = slack.calls.slice(before).find((c) => c.path === '/api/files.completeUploadExternal')!;
    assert.equal(done.body.channel_id, 'C0123ABCD');
    assert.equal(done.body.thread_ts, '1700000000.000100');
    const id = (JSON.parse(String(done.body.files)) as { id: string }[])[0]!;
    assert.ok(distinctColours(decodePng(slack.uploads.get(id.id)!.bytes)) > 20);
    assert.ok(!slack.calls.slice(before).some((c) => c.path.startsWith('/response/') && c.body.response_type === 'in_channel'));
  });

  it('[Trend] on a status answer: into the channel (or the thread the answer is in); a crafted host is refused like typed text', async () => {
    let before = slack.calls.length;
    await send.click('trend', 'prod-1', 'U123', { ts: '1700000001.000200' });
    let done = slack.calls.slice(before).find((c) => c.path === '/api/files.completeUploadExternal')!;
    assert.equal(done.body.thread_ts, undefined, 'a status answer in the channel: the chart goes beside it');
    before = slack.calls.length;
    await send.click('trend', 'prod-1', 'U123', { ts: '1700000003.000400', thread_ts: '1700000002.000300' });
    done = slack.calls.slice(before).find((c) => c.path === '/api/files.completeUploadExternal')!;
    assert.equal(done.body.thread_ts, '1700000002.000300');
    const uploads = slack.uploads.size;
    const bad = await send.click('trend', 'prod-1; rm -rf /', 'U123', { ts: '1700000004.000500' });
    assert.equal(bad.body.response_type, 'ephemeral');
    assert.match(String(bad.body.text), /unexpected character ";"/);
    assert.equal(slack.uploads.size, uploads);
  });
});
