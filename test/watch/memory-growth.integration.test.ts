import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { drawCharts } from '../../src/app/draw-charts.js';
import { createLogger } from '../../src/log/create-logger.js';
import { TransportPool } from '../../src/remote/transport-pool.js';
import { slackAlertSender } from '../../src/slack/alert-sender.js';
import { Store } from '../../src/store/store.js';
import { OutboxPoster } from '../../src/watch/outbox-poster.js';
import { runCycle } from '../../src/watch/watch-cycle.js';
import { testConfig } from '../support/config.js';
import { decodePng, distinctColours } from '../support/png.js';
import { startSlackDouble, type SlackDouble } from '../support/slack-double.js';
import { startTestHost, type TestHost } from '../support/test-host.js';
import { TEST_THRESHOLDS } from '../support/test-thresholds.js';

/*
 * A real leak on the test host: the stand-in app keeps 12 MB more per step (/_leak, written so it
 * is resident). The watcher's clock moves one minute per cycle, so ten real cycles are ten minutes
 * of samples: the app's real RSS, measured over SSH by `ps`, climbs ~720 MB/h. Expected: one
 * memory-growth thread whose diagnosis says when memory runs out, then the chart uploaded into
 * that thread — a PNG whose pixels show the RSS line (decoded and counted).
 */
const CHANNEL = 'C0ALERTS1';
const STEP_MB = 12;
let host: TestHost;
let slack: SlackDouble;
let dir: string;
let pool: TransportPool;
const log = createLogger({ level: 'silent' });
const leak = (path: string) => fetch(new URL(path, host.app.healthUrl)).then((r) => r.json());

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mm-leak-'));
  host = await startTestHost({ withDb: false });
  slack = await startSlackDouble();
  pool = new TransportPool(log);
});
after(async () => {
  await leak('/_leak/free').catch(() => undefined);
  await pool?.closeAll();
  await slack?.close();
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a leak made on the test app', () => {
  it('→ one memory-growth thread: the projection in its text, a chart of the real samples in the thread', async () => {
    const config = testConfig(
      {
        hosts: [host.hostConfig('prod-1')],
        thresholds: { ...TEST_THRESHOLDS, memoryGrowthMbPerHour: 200, memoryGrowthWindow: '8m' },
        slack: { alertChannel: CHANNEL },
        watch: { store: join(dir, 'store.db'), failuresToAlert: 2, alertWarnings: ['memory-growth'] },
      },
      host.env,
    );
    const store = new Store(config.watch.store);
    let now = Date.now();
    const clock = () => now;
    const poster = new OutboxPoster(store, slackAlertSender('xoxb-test', slack.apiUrl), log, {
      channel: CHANNEL,
      minIntervalMs: 20,
      baseBackoffMs: 300,
      clock,
      drawChart: drawCharts(store, clock).thread,
    });
    const from = slack.calls.length;
    try {
      const opened: string[] = [];
      // Bounded: the leak is seen after 4 samples over half the window, alerted 2 cycles later.
      for (let step = 0; step < 14 && !opened.length; step++) {
        await leak(`/_leak?mb=${STEP_MB}`);
        now += 60_000;
        const s = await runCycle({ config, store, transportFor: (h) => pool.get(h), log, clock, poster });
        opened.push(...s.intents.filter((i) => i.kind === 'open').map((i) => i.key));
      }
      assert.deepEqual(opened, ['host:prod-1|memory-growth']);
      const rss = (await store.rssHistory('prod-1', 0)).map((x) => Math.round(x.rssKb / 1024));
      assert.ok(rss[rss.length - 1]! - rss[0]! >= 3 * STEP_MB, `the real RSS grew: ${rss.join(' → ')} MB`);
      for (let i = 0; i < 200 && (await store.pendingPosts()) > 0; i++) {
        poster.kick();
        await poster.idle();
        if ((await store.pendingPosts()) > 0) await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(await store.pendingPosts(), 0, 'all posts delivered');

      const calls = slack.calls.slice(from);
      const parent = calls.find((c) => c.path === '/api/chat.postMessage' && !c.body.thread_ts)!;
      assert.match(String(parent.body.text), /memory-growth/);
      const threadTs = String((await store.openIncident('host:prod-1|memory-growth'))?.thread_ts);
      const replies = calls.filter((c) => c.path === '/api/chat.postMessage' && c.body.thread_ts === threadTs);
      const diagnosis = replies.map((c) => `${c.body.text} ${c.body.blocks}`).join('\n');
      assert.match(diagnosis, /memory runs out in ≈ (\d+ d )?\d+ (h|min)/, 'the projection is in the thread text');
      assert.match(diagnosis, /at \+\d+ MB\/h/);

      const done = calls.find((c) => c.path === '/api/files.completeUploadExternal')!;
      assert.ok(done, 'the chart was uploaded');
      assert.equal(done.body.thread_ts, threadTs, 'into the incident thread');
      assert.match(String(done.body.initial_comment), /memory runs out in ≈/);
      const ask = calls.find((c) => c.path === '/api/files.getUploadURLExternal')!;
      assert.match(
        String(ask.body.alt_text),
        /^prod-1: app RSS \d+ → \d+ MB over \d+ min, \+\d+ MB\/h, MemAvailable \d+ → \d+ MB \(\d+ samples\); memory runs out/,
      );
      const id = (JSON.parse(String(done.body.files)) as { id: string }[])[0]!;
      const img = decodePng(slack.uploads.get(id.id)!.bytes);
      if (process.env.SAVE_CHART) (await import('node:fs')).writeFileSync(process.env.SAVE_CHART, slack.uploads.get(id.id)!.bytes);
      assert.ok(distinctColours(img) > 20, 'not one flat colour');
      // The RSS line is drawn in #1f77b4: count its pixels (a blank or text-only image has none).
      let blue = 0;
      for (let p = 0; p < img.pixels.length; p += img.channels)
        if (Math.abs(img.pixels[p]! - 0x1f) < 40 && Math.abs(img.pixels[p + 1]! - 0x77) < 40 && Math.abs(img.pixels[p + 2]! - 0xb4) < 40) blue++;
      assert.ok(blue > 150, `${blue} pixels of the RSS line`);
    } finally {
      await poster.stop();
      await store.close();
    }
  });
});
