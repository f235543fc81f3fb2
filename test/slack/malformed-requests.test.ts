import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PromTelemetry } from '../../src/ops/prom-telemetry.js';
import { LocalTransport } from '../../src/remote/local-transport.js';
import type { SlackRunner } from '../../src/slack/create-slack-app.js';
import { Store } from '../../src/store/store.js';
import { testConfig } from '../support/config.js';
import { waitUntil } from '../support/proc.js';
import { startSlackDouble, type SlackDouble } from '../support/slack-double.js';
import { slackHeaders } from '../support/slack-sign.js';
import { startHttpSlackApp } from '../support/http-slack-app.js';

/*
 * Requests signed with the right secret but malformed, through Bolt's real HTTP receiver: each
 * gets a 4xx at once and changes nothing — no listener runs, no Slack call, nothing in the store.
 * The clicks are variants of [Silence 1h] by an approver, which would silence prod-1 if it ran.
 */
const SECRET = 'malformed-secret';
const FORM = 'application/x-www-form-urlencoded';
let slack: SlackDouble;
let app: SlackRunner;
let store: Store;
let dir: string;
let url: string;
const telemetry = new PromTelemetry();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mm-malformed-'));
  const config = testConfig({ hosts: [{ name: 'prod-1', transport: 'local' }], slack: { approvers: ['U0APPROVE1'] } });
  store = new Store(join(dir, 'store.db'));
  slack = await startSlackDouble();
  ({ app, url } = await startHttpSlackApp({ config, slack, secret: SECRET, transportFor: () => new LocalTransport(), store, telemetry }));
  // auth.test happens in the background; the calls counted below start after it.
  await waitUntil('the token check', async () => (app.state() === 'http' ? true : undefined), { timeoutMs: 10_000 });
});
after(async () => {
  await app?.stop();
  await slack?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(body: string | Buffer, type = FORM, secret = SECRET) {
  const started = Date.now();
  const res = await fetch(`${url}/slack/events`, { method: 'POST', headers: { ...slackHeaders(secret, body.toString()), 'content-type': type }, body });
  return { status: res.status, text: await res.text(), ms: Date.now() - started };
}

const click = (over: Record<string, unknown> = {}, action: Record<string, unknown> = {}) => {
  const payload = {
    type: 'block_actions',
    user: { id: 'U0APPROVE1', username: 'approver', team_id: 'T1' },
    team: { id: 'T1' },
    channel: { id: 'C0123ABCD' },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: 't',
    response_url: `${slack.url}/response/malformed`,
    actions: [{ type: 'button', action_id: 'alert_silence', block_id: 'b', value: 'prod-1', action_ts: '1', ...action }],
    ...over,
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
};
const command = (over: Record<string, string> = {}) =>
  new URLSearchParams({
    command: '/moneymind',
    text: 'silence prod-1 1h',
    user_id: 'U0APPROVE1',
    user_name: 'approver',
    channel_id: 'C0123ABCD',
    team_id: 'T1',
    response_url: `${slack.url}/response/malformed`,
    trigger_id: 't',
    token: 'legacy',
    ...over,
  }).toString();
const without = (body: string, field: string) => {
  const p = new URLSearchParams(body);
  p.delete(field);
  return p.toString();
};

describe('malformed but signed requests get a 4xx and change nothing', () => {
  // Bodies are built when the test runs: they name the double's URL, known only after before().
  const cases: [string, () => string | Buffer, string, number, RegExp][] = [
    ['payload=null (threw inside Bolt and ended the process)', () => 'payload=null', FORM, 400, /^the body is null, not an object$/],
    ['JSON null', () => 'null', 'application/json', 400, /^the body is null, not an object$/],
    ["payload=[] (hung until Slack's timeout)", () => 'payload=[]', FORM, 400, /^the body is an array, not an object$/],
    ['a JSON array', () => '[1,2]', 'application/json', 400, /an array/],
    ['payload=42', () => 'payload=42', FORM, 400, /the body is number/],
    ['payload="x"', () => 'payload=%22x%22', FORM, 400, /the body is string/],
    ['payload that is not JSON', () => 'payload=%7Bnot%20json', FORM, 400, /^body is neither a form nor JSON$/],
    ['a JSON body that is not JSON', () => '{"type":', 'application/json', 400, /neither a form nor JSON/],
    ['a form that is neither a command nor a payload', () => 'foo=bar', FORM, 400, /^unsupported request \(type "undefined"\)$/],
    ['payload given twice', () => 'payload=%7B%7D&payload=%7B%7D', FORM, 400, /unsupported request/],
    ['a view submission (the bot has no modals)', () => click({ type: 'view_submission' }), FORM, 400, /unsupported request \(type "view_submission"\)/],
    [
      'an Events API callback (the bot subscribes to none)',
      () => JSON.stringify({ type: 'event_callback', event: { type: 'message' } }),
      'application/json',
      400,
      /event_callback/,
    ],
    ['another slash command', () => command({ command: '/other' }), FORM, 400, /^unknown command "\/other"$/],
    ['a command without user_id', () => without(command(), 'user_id'), FORM, 400, /user_id missing/],
    ['a command without channel_id', () => without(command(), 'channel_id'), FORM, 400, /channel_id missing/],
    ['a command whose response_url is not http(s)', () => command({ response_url: 'javascript:alert(1)' }), FORM, 400, /response_url/],
    ['a command with its text given twice', () => `${command()}&text=again`, FORM, 400, /text is not a string/],
    ['a click without user', () => click({ user: undefined }), FORM, 400, /^user\.id missing or malformed$/],
    ['a click whose user id is a number', () => click({ user: { id: 42 } }), FORM, 400, /user\.id/],
    ['a click with no actions', () => click({ actions: [] }), FORM, 400, /actions must be a non-empty array/],
    ['a click whose actions is an object', () => click({ actions: { action_id: 'alert_silence' } }), FORM, 400, /actions must be a non-empty array/],
    ['a click without response_url', () => click({ response_url: undefined }), FORM, 400, /response_url missing/],
    ['a click in a malformed channel', () => click({ channel: { id: 'not an id' } }), FORM, 400, /channel\.id malformed/],
    ["an unknown action id (hung until Slack's 3 s timeout)", () => click({}, { action_id: 'dance' }), FORM, 400, /^unknown action_id "dance"$/],
    ['an action id of 10,000 characters', () => click({}, { action_id: 'a'.repeat(10_000) }), FORM, 400, /without a valid action_id/],
    ['an action without action_id', () => click({}, { action_id: undefined }), FORM, 400, /without a valid action_id/],
    ['a select instead of a button', () => click({}, { type: 'static_select' }), FORM, 400, /is not a button/],
    [
      'a button value of 100,000 characters',
      () => click({}, { value: 'prod-1 '.repeat(15_000) }),
      FORM,
      400,
      /value is not a string of at most 2000 characters/,
    ],
    ['a button value that is an object', () => click({}, { value: { host: 'prod-1' } }), FORM, 400, /value is not a string/],
    ["a body over Bolt's 4 MB limit", () => Buffer.alloc(5 * 1024 * 1024, 'a'), FORM, 413, /body over 4194304 bytes/],
  ];
  let rejected = 0;
  for (const [name, body, type, status, why] of cases) {
    it(name, async () => {
      const before = slack.calls.length;
      const r = await post(body(), type);
      assert.equal(r.status, status, r.text);
      assert.match(r.text.trim(), why);
      // Answered by the guard, not by Bolt's 3 s "not acknowledged" fallback.
      assert.ok(r.ms < 2500, `answered after ${r.ms} ms`);
      assert.equal(slack.calls.length, before, 'no Slack call');
      rejected++;
    });
  }

  it('… and after all of them: nothing ran, each was counted, and the bot still works', async () => {
    await new Promise((r) => setTimeout(r, 500)); // a listener that ran anyway would have answered by now
    assert.equal(slack.calls.filter((c) => c.path.startsWith('/response/')).length, 0, 'no answer to any of them');
    assert.deepEqual(await store.activeSilences(Date.now()), [], 'nothing silenced');
    const metric = await telemetry.registry.getSingleMetricAsString('moneymind_errors_total');
    assert.match(metric, new RegExp(`moneymind_errors_total\\{where="slack_request"\\} ${rejected}$`, 'm'));
    // The same click, well formed, silences prod-1: the cases above really were one field away.
    assert.equal((await post(click())).status, 200);
    await slack.waitFor((c) => c.path === '/response/malformed');
    assert.deepEqual(
      (await store.activeSilences(Date.now())).map((s) => s.host),
      ['prod-1'],
    );
  });

  it("unsigned, the same bodies still get Bolt's own 401", async () => {
    assert.equal((await post('payload=null', FORM, 'not-the-secret')).status, 401);
    assert.equal((await post(click({}, { action_id: 'dance' }), FORM, 'not-the-secret')).status, 401);
  });
});
