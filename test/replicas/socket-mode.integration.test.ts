import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MariadbHandle } from '../support/mariadb.js';
import type { EnvelopeType, RecordedCall, SlackDouble } from '../support/slack-double.js';
import type { ClickedMessage, SlackSender } from '../support/slack-requests.js';
import type { TestHost } from '../support/test-host.js';
import { confirmOnBoth } from './confirm-race.js';
import { APP_TOKEN, type Replica, type ReplicaPair, replicaWorld, startPair } from './replica-pair.js';

/*
 * "Every replica answers Slack": two bot processes in Socket Mode on one MariaDB store, against the
 * real test host and the Web API double. Both use one app token, as replicas sharing an environment
 * file do; each opens its own connection, and the double, like Slack, delivers each envelope to one
 * of them. The HTTP twin of these scenarios is shared-store.integration.test.ts.
 */
let host: TestHost;
let db: MariadbHandle;
let dir: string;

replicaWorld('mm-replicas-socket-', (w) => {
  ({ host, db, dir } = w);
});

const _blocksOf = (c: RecordedCall): string => String(c.body.blocks ?? '');
const opened = (slack: SlackDouble, r: Replica) => slack.connections().find((c) => c.id === r.connection);
/**
 * How many health checks this replica ran (the histogram's count). A standby runs no watch cycle, so
 * its count moves only when a command runs on it: which process answered, not just which socket acked.
 */
const healthChecks = async (r: Replica): Promise<number> =>
  Number(/moneymind_check_duration_seconds_count\{check="health"\} (\d+)/.exec(await r.metrics())?.[1] ?? 0);

const slash = (slack: SlackDouble, text: string, responseId = 0, user = 'U123') => ({
  command: '/moneymind',
  text,
  user_id: user,
  user_name: 'alice',
  channel_id: 'C0123ABCD',
  team_id: 'T1',
  api_app_id: 'A1',
  response_url: `${slack.url}/response/${responseId}`,
  trigger_id: 't',
  token: 'legacy',
});

let socketSeq = 0;

/** slackSender's requests as Slack sends them in Socket Mode: envelopes over one connection; the ack is the answer. */
function socketSender(slack: SlackDouble, connection: () => number | undefined): SlackSender {
  const over = async (type: EnvelopeType, payload: Record<string, unknown>) => {
    const to = connection();
    if (to === undefined) throw new Error('the replica has no Socket Mode connection yet');
    return (await slack.deliver(type, payload, { to })).ack;
  };
  // Response ids far from slackSender's (counted from 1): both may share one double.
  const next = () => 1_000_000 + ++socketSeq;
  const press = async (actionId: string, value: string, user = 'U123', message?: ClickedMessage): Promise<number> => {
    const id = next();
    const on = message
      ? { message: { type: 'message', text: '', ...message }, container: { type: 'message', message_ts: message.ts, channel_id: 'C0123ABCD' } }
      : {};
    const who = { user: { id: user, username: 'alice', team_id: 'T1' }, team: { id: 'T1' }, channel: { id: 'C0123ABCD' }, api_app_id: 'A1' };
    const actions = [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1' }];
    await over('interactive', { type: 'block_actions', ...who, response_url: `${slack.url}/response/${id}`, trigger_id: 't', actions, ...on });
    return id;
  };
  return {
    async command(text, o = {}) {
      const id = next();
      const started = Date.now();
      const json = await over('slash_commands', { ...slash(slack, text, id, o.user), ...(o.channel ? { channel_id: o.channel } : {}) });
      return { id, status: 200, ms: Date.now() - started, json };
    },
    click: async (actionId, value, user, message) => {
      const id = await press(actionId, value, user, message);
      return slack.waitFor((c) => c.path === `/response/${id}`, 10_000);
    },
    press: (actionId, value, user) => press(actionId, value, user),
    responses: (id) => slack.calls.filter((c) => c.path === `/response/${id}`),
  };
}

describe('two replicas in Socket Mode on one store', () => {
  let pair: ReplicaPair;
  let a: Replica;
  let b: Replica;
  let slack: SlackDouble;
  before(async () => {
    pair = await startPair(host, db, dir, { socket: socketSender });
    ({ a, b, slack } = pair);
  });
  after(async () => pair?.stop());

  it('each replica opens its own connection, with the one app token', async () => {
    const conns = slack.connections();
    assert.equal(conns.length, 2, JSON.stringify(conns));
    assert.deepEqual(
      conns.map((c) => [c.id, c.open, c.auth]),
      [
        [a.connection, true, `Bearer ${APP_TOKEN}`],
        [b.connection, true, `Bearer ${APP_TOKEN}`],
      ],
    );
    const opens = slack.calls.filter((c) => c.path === '/api/apps.connections.open').map((c) => c.body.authorization);
    assert.deepEqual(opens, [`Bearer ${APP_TOKEN}`, `Bearer ${APP_TOKEN}`], 'one apps.connections.open each, no retries');
    for (const r of [a, b]) {
      const h = await r.health();
      assert.equal(h?.slack, 'connected', `${r.name}: ${JSON.stringify(h)}`);
      assert.equal(h?.code, 200, `${r.name}: ${JSON.stringify(h)}`);
    }
  });

  it('one replica leads the watcher: /healthz says "on" for A, "standby" for B', async () => {
    const [ha, hb] = await Promise.all([a.health(), b.health()]);
    assert.equal(ha?.watcher, 'on', JSON.stringify(ha));
    assert.equal(hb?.watcher, 'standby', JSON.stringify(hb));
    assert.equal(hb?.leader, ha?.replica, 'B knows A leads');
    assert.equal(hb?.leaseToken, ha?.leaseToken);
    assert.match(await b.metrics(), new RegExp(`moneymind_watch_leader\\{replica="${hb?.replica}"\\} 0`));
  });

  it('/moneymind status delivered to A is answered by A; delivered to B, by B', async (t) => {
    assert.equal(await healthChecks(b), 0, 'B, standing by, has run no check yet');
    const status = async (r: Replica) => {
      const started = Date.now();
      const acked = opened(slack, r)!.acked.length;
      const asked = await r.send.command('status');
      assert.equal(asked.json.response_type, 'in_channel', JSON.stringify(asked.json));
      assert.match(String(asked.json.text), /checking prod-1…/);
      assert.equal(opened(slack, r)!.acked.length, acked + 1, `acked on ${r.name}'s connection`);
      const answer = await slack.waitFor((c) => c.path === `/response/${asked.id}`, 20_000);
      assert.equal(answer.body.replace_original, true);
      assert.match(String(answer.body.text), /^✅ prod-1 healthy/);
      t.diagnostic(`${r.name}: acked in ${asked.ms} ms on connection ${r.connection}, answered after ${answer.at - started} ms`);
    };
    await status(a);
    assert.equal(await healthChecks(b), 0, 'B ran nothing for the command A was sent');
    await status(b);
    assert.ok((await healthChecks(b)) >= 1, 'B ran the checks of the command it was sent');
    assert.equal((await b.health())?.watcher, 'standby', 'B still stands by: its checks were the command');
  });

  it('envelopes spread over the connections in turn are each acked where they were sent', async () => {
    const sent = [];
    for (let i = 0; i < 4; i++) sent.push(await slack.deliver('slash_commands', slash(slack, 'help'), { to: 'each' }));
    const ids = sent.map((d) => d.connection);
    assert.deepEqual(ids, [ids[0], ids[1], ids[0], ids[1]], 'one connection, then the other, in turn');
    assert.deepEqual(new Set(sent.map((d) => d.connection)), new Set([a.connection, b.connection]), 'both connections got some');
    for (const d of sent) {
      assert.equal(d.ack.response_type, 'ephemeral');
      assert.match(JSON.stringify(d.ack.blocks), /\/moneymind status \[HOST\|all\]/);
      assert.ok(opened(slack, d.connection === a.connection ? a : b)!.acked.includes(d.envelopeId));
    }
  });

  it('confirm clicks delivered to both connections at once: one restart, once; the other click is refused', async (t) => {
    // The request goes to the standby: it answers Slack like the leader, with its own bot token.
    const { ran, loser, refusal, confirmation } = await confirmOnBoth(pair, host, b);
    assert.equal(confirmation.auth, b.auth, 'B, which got the request, posts the confirmation');
    t.diagnostic(`the restart ran on replica ${ran.name}; ${loser.name} answered "${refusal}"`);
    const [ha, hb] = await Promise.all([a.health(), b.health()]);
    assert.deepEqual([ha?.watcher, hb?.watcher].sort(), ['on', 'standby'], 'still one leader, one standby');
  });
});
