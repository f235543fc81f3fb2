import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { drawCharts } from '../../src/app/draw-charts.js';
import type { IncidentKey } from '../../src/domain/incident-key.js';
import { createLogger } from '../../src/log/create-logger.js';
import { slackAlertSender } from '../../src/slack/alert-sender.js';
import { Store } from '../../src/store/store.js';
import { chartPostsFor } from '../../src/watch/chart-posts.js';
import { hostSample } from '../../src/watch/host-sample.js';
import type { Tracker } from '../../src/watch/incident-policy.js';
import { OutboxPoster } from '../../src/watch/outbox-poster.js';
import { cause, check, firingTracker, report } from '../support/builders.js';
import { decodePng } from '../support/png.js';
import { rssLeak } from '../support/rss-leak.js';
import { startSlackDouble } from '../support/slack-double.js';

const MIN = 60_000;
const KEY: IncidentKey = 'host:prod-1|memory-growth';
const dir = mkdtempSync(join(tmpdir(), 'mm-chart-posts-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const projection = 'at this slope memory runs out in ≈ 3 h 20 min at +52 MB/h (MemAvailable 173 MB)';
const growth = cause('memory-growth', { severity: 'warning', title: 'The app’s memory grows by 52 MB/h <!channel>', evidence: [projection, '12 RSS samples'] });
const tracker = (over: Partial<Tracker> = {}): Tracker => firingTracker({ key: KEY, cause: 'memory-growth', since: 10 * MIN, detail: growth, ...over });

describe('the chart a memory-growth thread carries', () => {
  it('only when a one-host memory-growth incident opens; the projection in its words and under its title', () => {
    const [post, ...more] = chartPostsFor({ kind: 'open', key: KEY, flapping: false }, tracker(), 12 * MIN, 30 * MIN);
    assert.equal(more.length, 0);
    assert.equal(post?.kind, 'chart');
    if (post?.kind !== 'chart') return;
    assert.deepEqual({ host: post.chart.host, windowMs: post.chart.windowMs, at: post.chart.at }, { host: 'prod-1', windowMs: 30 * MIN, at: 12 * MIN });
    assert.equal(post.chart.headline, 'memory runs out in ≈ 3 h 20 min at +52 MB/h (MemAvailable 173 MB)');
    assert.match(post.chart.comment, /memory runs out in ≈ 3 h 20 min/);
    assert.doesNotMatch(post.chart.comment, /<!channel>/, 'host text is escaped');
    assert.deepEqual(chartPostsFor({ kind: 'remind', key: KEY, firingMs: MIN }, tracker(), 12 * MIN, 30 * MIN), []);
    assert.deepEqual(chartPostsFor({ kind: 'open', key: 'host:prod-1|service-down', flapping: false }, tracker({ cause: 'service-down' }), 0, MIN), []);
  });

  it('a cycle sample: what the checks measured, nulls where they could not say, none for a host that said nothing', () => {
    const resources = check('resources', 'ok', 'ok', {
      details: { loadPerCore: 0.4, memTotalKb: 2_097_152, memAvailableKb: 1_048_576, appRssKb: 220_000 } as never,
    });
    const health = check('health', 'fail', 'GET /health → 500', { details: { outcome: 'http-error', latencyMs: 2100 } as never });
    const s = hostSample(report('prod-1', { checks: [resources, health] }), 5)!;
    assert.deepEqual(s, {
      host: 'prod-1',
      at: 5,
      rssKb: 220_000,
      memAvailableKb: 1_048_576,
      memTotalKb: 2_097_152,
      healthMs: 2100,
      healthOk: false,
      dbConnections: null,
      dbMaxConnections: null,
      loadPerCore: 0.4,
    });
    assert.equal(
      hostSample(report('prod-2', { checks: [check('health', 'fail', 'timeout', { details: { outcome: 'timeout', latencyMs: null } as never })] }), 5),
      undefined,
    );
  });

  it('the poster draws it when sending and uploads it into the thread; without samples the words go as a reply', async () => {
    const slack = await startSlackDouble();
    const store = new Store(join(dir, 's.db'));
    const now = Date.now();
    const clock = () => now;
    const poster = new OutboxPoster(store, slackAlertSender('xoxb-test', slack.apiUrl), createLogger({ level: 'silent' }), {
      channel: 'C1',
      minIntervalMs: 0,
      clock,
      drawChart: drawCharts(store, clock).thread,
    });
    try {
      const chart = (host: string) => ({ host, windowMs: 6 * 3_600_000, at: now, title: `${host} memory`, comment: 'grows', headline: 'memory runs out soon' });
      await store.commitCycle({
        now,
        trackers: [],
        opened: [{ key: KEY, subject: 'prod-1', cause: 'memory-growth', hosts: ['prod-1'], title: 't', at: now }],
        posts: [
          { key: KEY, kind: 'post-parent', message: { text: 'parent', blocks: [] } },
          { key: KEY, kind: 'chart', chart: chart('prod-1') },
          { key: KEY, kind: 'chart', chart: chart('prod-9') },
        ],
        closed: [],
        samples: rssLeak('prod-1', now),
        keepSamplesMs: 24 * 3_600_000,
      });
      for (let i = 0; i < 50 && (await store.pendingPosts()) > 0; i++) {
        poster.kick();
        await poster.idle();
      }
      assert.equal(await store.pendingPosts(), 0);
      const ts = (await store.openIncident(KEY))!.thread_ts;
      const done = slack.calls.find((c) => c.path === '/api/files.completeUploadExternal')!;
      assert.equal(done.body.thread_ts, ts);
      assert.equal(done.body.initial_comment, 'grows');
      const ask = slack.calls.find((c) => c.path === '/api/files.getUploadURLExternal')!;
      assert.match(String(ask.body.alt_text), /^prod-1: app RSS .*; memory runs out soon$/);
      const id = (JSON.parse(String(done.body.files)) as { id: string }[])[0]!;
      assert.ok(decodePng(slack.uploads.get(id.id)!.bytes).height < 500, 'the memory panel alone');
      const reply = slack.calls.filter((c) => c.path === '/api/chat.postMessage' && c.body.thread_ts === ts);
      assert.equal(reply.length, 1, 'prod-9 has no samples: its words only');
      assert.equal(reply[0]!.body.text, 'grows');
    } finally {
      await poster.stop();
      await store.close();
      await slack.close();
    }
  });
});
