import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { MariadbHandle } from '../support/mariadb.js';
import { waitUntil } from '../support/proc.js';
import type { RecordedCall } from '../support/slack-double.js';
import type { TestHost } from '../support/test-host.js';
import { appMode, outboxRows, PERIOD_MS, type ReplicaPair, startPair, replicaWorld, TTL_MS, text, waitOpts } from './replica-pair.js';
import { confirmOnBoth } from './confirm-race.js';

/*
 * Issue 18: two replicas on one MariaDB store, both answering Slack. Confirm clicks on one restart
 * request reach both replicas at the same moment: the store's conditional transition lets one of
 * them restart the app, once. And the store's database restarts while an incident is being opened:
 * both replicas ride it out, and the incident is posted and resolved once.
 */
let host: TestHost;
let db: MariadbHandle;
let dir: string;

replicaWorld('mm-replicas-store-', (w) => {
  ({ host, db, dir } = w);
});

const opts = waitOpts;
const _blocksOf = (c: RecordedCall): string => String(c.body.blocks ?? '');

describe('concurrent confirm clicks delivered to both replicas', () => {
  let pair: ReplicaPair | undefined;
  after(async () => pair?.stop());

  it('one click restarts the app, once; the other is refused; the audit has one execution', async (t) => {
    pair = await startPair(host, db, dir);
    const { ran, loser, refusal } = await confirmOnBoth(pair, host, pair.a);
    t.diagnostic(`the restart ran on replica ${ran.name}; ${loser.name} answered "${refusal}"`);
    const { b } = pair;
    const history = JSON.stringify((await b.send.command('history prod-1')).json);
    assert.match(history, /prod-1\*? restart — done: healthy/);
  });
});

describe('the store database restarts while an incident is being opened', () => {
  let pair: ReplicaPair | undefined;
  after(async () => {
    await db.start(); // if the test stopped halfway: the replicas shut down cleanly with their store
    await pair?.stop();
    await appMode(host, 'ok').catch(() => undefined);
  });

  it('both replicas recover; the incident is posted once and resolved once; the outbox drains', async (t) => {
    pair = await startPair(host, db, dir);
    const { a, b } = pair;
    // The app breaks and, within the same watch period, the store goes away: the cycle that sees the
    // failure cannot commit it, nor can any lease be renewed.
    await appMode(host, 'broken');
    await db.stop();
    const downAt = Date.now();
    const standby = await waitUntil(
      'the leader to step down without its store',
      async () => {
        const [ha, hb] = await Promise.all([a.health(), b.health()]);
        return ha?.watcher === 'standby' && hb?.watcher === 'standby' ? Date.now() - downAt : undefined;
      },
      opts(pair),
    );
    t.diagnostic(`store down: both replicas stood by after ${standby} ms (lease TTL ${TTL_MS} ms)`);
    // Down a little longer than the lease, then back on the same port and data.
    await waitUntil('a lease TTL since the store went down', async () => (Date.now() - downAt >= TTL_MS + PERIOD_MS ? true : undefined), opts(pair));
    t.diagnostic(`alert parents posted before the store went down: ${pair.parents().length}`);
    await db.start();
    const upAt = Date.now();
    const leader = await waitUntil(
      'one replica to lead again',
      async () => {
        const hs = await Promise.all([a.health(), b.health()]);
        return hs.filter((h) => h?.watcher === 'on').length === 1 ? hs : undefined;
      },
      opts(pair),
    );
    t.diagnostic(`store back: ${leader[0]?.watcher === 'on' ? 'A' : 'B'} leads after ${Date.now() - upAt} ms`);
    await waitUntil('the alert parent', async () => pair!.parents()[0], opts(pair));
    const first = await waitUntil(
      'the first reply in the thread',
      async () => pair!.slack.calls.find((c) => c.path === '/api/chat.postMessage' && Boolean(c.body.thread_ts)),
      opts(pair),
    );
    const threadTs = String(first.body.thread_ts);

    await appMode(host, 'ok');
    await waitUntil('the resolve in the thread', async () => pair!.replies(threadTs).find((c) => /Resolved after/.test(text(c))), opts(pair));
    await waitUntil('the parent edited as resolved', async () => pair!.edits(threadTs).find((c) => /resolved after/.test(text(c))), opts(pair));
    await waitUntil('the outbox drained', async () => ((await outboxRows(pair!)) === 0 ? true : undefined), opts(pair));
    // Two more watch periods: a late duplicate from either replica would show.
    const quietFrom = Date.now();
    await waitUntil('two more watch periods', async () => (Date.now() - quietFrom >= 2 * PERIOD_MS ? true : undefined), opts(pair));

    assert.equal(pair.parents().length, 1, 'one alert parent');
    const replies = pair.replies(threadTs).map(text);
    assert.deepEqual(
      replies.filter((r, i) => replies.indexOf(r) !== i),
      [],
      'no reply posted twice',
    );
    assert.equal(replies.filter((r) => /Resolved after/.test(r)).length, 1, 'one "Resolved" reply');
    assert.equal(pair.edits(threadTs).filter((c) => /resolved after/.test(text(c))).length, 1, 'the parent edited as resolved once');
    assert.equal(await outboxRows(pair), 0, 'the outbox drained');
    const [ha, hb] = await Promise.all([a.health(), b.health()]);
    assert.equal(a.b.child.exitCode, null, `A is running\n${pair.describe()}`);
    assert.equal(b.b.child.exitCode, null, `B is running\n${pair.describe()}`);
    assert.equal(ha?.code, 200, JSON.stringify(ha));
    assert.equal(hb?.code, 200, JSON.stringify(hb));
    assert.deepEqual([ha?.watcher, hb?.watcher].sort(), ['on', 'standby'], 'one leads, one stands by');
  });
});
