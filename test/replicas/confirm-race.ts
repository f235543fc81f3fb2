import assert from 'node:assert/strict';
import { waitUntil } from '../support/proc.js';
import type { RecordedCall } from '../support/slack-double.js';
import type { TestHost } from '../support/test-host.js';
import { ASKER, appStarts, BOB, CAROL, type Replica, type ReplicaPair, truncateAppLog, waitOpts } from './replica-pair.js';

const blocksOf = (c: RecordedCall): string => String(c.body.blocks ?? '');

export interface RaceOutcome {
  /** The replica that ran the restart (it posted the outcome), and the one whose click was refused. */
  readonly ran: Replica;
  readonly loser: Replica;
  readonly refusal: string;
  /** The confirmation message's post. */
  readonly confirmation: RecordedCall;
  readonly requestId: string;
}

/**
 * The exactly-once scenario both transports share (HTTP: shared-store, Socket Mode: socket-mode):
 * `asker` gets `restart prod-1`, then [Confirm] is clicked by two approvers at the same moment, one
 * click to each replica. Asserts one real restart, one ephemeral refusal from the other replica,
 * and one `executed` and one `confirmed` in the audit.
 */
export async function confirmOnBoth(pair: ReplicaPair, host: TestHost, asker: Replica): Promise<RaceOutcome> {
  const { a, b, slack } = pair;
  truncateAppLog(host);
  const asked = await asker.send.command('restart prod-1', { user: ASKER });
  const confirmation = await slack.waitFor((c) => c.path === '/api/chat.postMessage' && blocksOf(c).includes('restart_confirm'), 30_000);
  const id = /"action_id":"restart_confirm".*?"value":"([A-Za-z0-9_-]+)"/.exec(blocksOf(confirmation))?.[1];
  assert.ok(id, blocksOf(confirmation));
  await slack.waitFor((c) => c.path === `/response/${asked.id}`, 10_000);

  const from = slack.calls.length;
  const clicks = await Promise.all([a.send.press('restart_confirm', id, BOB), b.send.press('restart_confirm', id, CAROL)]);
  const outcome = await waitUntil(
    'the restart outcome',
    async () =>
      slack.calls
        .slice(from)
        .find((c) => c.path === '/api/chat.postMessage' && Boolean(c.body.thread_ts) && /healthy|still failing|failed|could not run/.test(String(c.body.text))),
    waitOpts(pair),
  );
  assert.match(String(outcome.body.text), /^✅ healthy again/);
  const refusals = () => clicks.flatMap((c) => slack.calls.filter((x) => x.path === `/response/${c}` && /:no_entry:/.test(String(x.body.text))));
  const [refusal] = await waitUntil('the losing click refused', async () => (refusals().length ? refusals() : undefined), waitOpts(pair));
  assert.match(String(refusal!.body.text), /already running|already done/);
  assert.equal(refusal!.body.response_type, 'ephemeral');
  // Everything the restart does is over once both the outcome and the final edit are out.
  await waitUntil(
    'the confirmation edited with the outcome',
    async () => slack.calls.slice(from).find((c) => c.path === '/api/chat.update' && /✅ healthy again/.test(String(c.body.text))),
    waitOpts(pair),
  );
  assert.equal(refusals().length, 1, 'exactly one of the two clicks refused');
  assert.equal(appStarts(host), 1, 'the app really restarted, once');
  const ran = outcome.auth === a.auth ? a : outcome.auth === b.auth ? b : undefined;
  assert.ok(ran, `the outcome was posted with an unknown token (${outcome.auth})`);
  const loser = refusal!.path === `/response/${clicks[0]}` ? a : b;
  assert.notEqual(loser, ran, 'the refused click is the other replica’s');
  const events = (await pair.sql(`SELECT \`event\` FROM audit WHERE request_id = '${id}' ORDER BY id`)).trim().split('\n');
  assert.equal(events.filter((e) => e === 'executed').length, 1, `audit: ${events.join(', ')}`);
  assert.equal(events.filter((e) => e === 'confirmed').length, 1, `audit: ${events.join(', ')}`);
  return { ran, loser, refusal: String(refusal!.body.text), confirmation, requestId: id };
}
