import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/log/create-logger.js';
import { slackAlertSender } from '../../src/slack/alert-sender.js';
import { Store } from '../../src/store/store.js';
import { OutboxPoster } from '../../src/watch/outbox-poster.js';
import { startSlackDouble, type SlackDouble } from '../support/slack-double.js';

/*
 * An alert refused while Slack was away backs off (up to 5 min by default). When the bot reaches
 * Slack again, retryNow() makes it due at once: it must not wait out the backoff it earned.
 */
let slack: SlackDouble;
let dir: string;
before(async () => {
  slack = await startSlackDouble();
  dir = mkdtempSync(join(tmpdir(), 'mm-outbox-'));
});
after(async () => {
  await slack?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One cycle that opens host X's service-down incident and queues its parent post, then its replies. */
async function openWithPosts(store: Pick<Store, 'commitCycle'>, host: string, now: number, [parent, ...replies]: string[]): Promise<void> {
  const key = `host:${host}|service-down` as const;
  await store.commitCycle({
    now,
    trackers: [],
    opened: [{ key, subject: host, cause: 'service-down', hosts: [host], title: 't', at: now }],
    posts: [
      { key, kind: 'post-parent', message: { text: parent!, blocks: [] } },
      ...replies.map((text) => ({ key, kind: 'reply' as const, message: { text, blocks: [] } })),
    ],
    closed: [],
    samples: [],
    keepSamplesMs: 0,
  });
}

describe('outbox: Slack reached again', () => {
  it('a post in a long backoff goes out on retryNow(), once', async () => {
    const store = new Store(join(dir, 's.db'));
    const log = createLogger({ level: 'silent' });
    // A base backoff of an hour: without retryNow() the refused post would wait that long.
    const poster = new OutboxPoster(store, slackAlertSender('xoxb-test', slack.apiUrl), log, { channel: 'C1', minIntervalMs: 0, baseBackoffMs: 3_600_000 });
    try {
      const now = Date.now();
      await openWithPosts(store, 'a', now, ['a is down']);
      slack.failNext(503);
      poster.kick();
      await poster.idle();
      const refused = slack.calls.filter((c) => c.path === '/api/chat.postMessage').length;
      assert.equal(refused, 1, 'refused once');
      assert.ok(((await store.nextPostAt()) ?? 0) > Date.now() + 60_000, 'backing off');
      await poster.retryNow();
      await poster.idle();
      const calls = slack.calls.filter((c) => c.path === '/api/chat.postMessage');
      assert.equal(calls.length, 2, 'delivered right away');
      assert.equal(await store.pendingPosts(), 0);
      await poster.retryNow();
      await poster.idle();
      assert.equal(slack.calls.filter((c) => c.path === '/api/chat.postMessage').length, 2, 'nothing sent twice');
    } finally {
      await poster.stop();
      await store.close();
    }
  });

  it('a reply waiting behind its parent in backoff: the poster sleeps until the parent is due, it does not spin', async () => {
    const store = new Store(join(dir, 'spin.db'));
    let drains = 0;
    // The same store, counting how often the poster looks for due posts.
    const counting = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'duePosts')
          return (now: number, limit: number) => {
            drains++;
            return target.duePosts(now, limit);
          };
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const log = createLogger({ level: 'silent' });
    const poster = new OutboxPoster(counting, slackAlertSender('xoxb-test', slack.apiUrl), log, { channel: 'C1', minIntervalMs: 0, baseBackoffMs: 1500 });
    try {
      const now = Date.now();
      await openWithPosts(store, 'b', now, ['b is down', 'why']);
      slack.failNext(503);
      poster.kick();
      await poster.idle();
      drains = 0;
      await new Promise((r) => setTimeout(r, 700));
      assert.ok(drains <= 2, `${drains} looks for due posts while the parent waits out 1.5 s`);
      for (let i = 0; i < 100 && (await store.pendingPosts()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(await store.pendingPosts(), 0, 'both went out once the parent was due');
    } finally {
      await poster.stop();
      await store.close();
    }
  });
});
