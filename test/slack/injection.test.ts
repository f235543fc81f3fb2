import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Config } from '../../src/config/types.js';
import { APPROVER, everyMessage, extremeConfig, ONCALL_GROUP, REQUESTER, type BuiltMessage } from '../support/slack-messages.js';

/*
 * Host text written to be read by Slack as syntax — a ping, a disguised link, a fence that closes
 * the bot's code block — goes through every real builder (answers, alerts, restart messages) in
 * every place host words go. What comes out may hold only the bot's own syntax.
 */
const ATTACKS: [string, string][] = [
  // Flask logs request paths; this one is from the issue.
  ["the issue's log line", 'ERROR … /x```<!channel> <https://evil.example/login|re-login>'],
  ['a summary that pings and links', '<!channel> the app is down, re-login at <https://evil.example|moneymind.example>'],
  ['every kind of mention', '<!here> <!everyone> <!subteam^S0123|@ops> <#C0123|general> <@U0EVIL>'],
  ['backtick runs', '`````` ``` `` ` ```<!channel>```'],
  ['text that is already escaped', '&lt;!channel&gt; &amp;lt; &'],
  ['a date that lies', '<!date^1^{date}|soon>'],
  ['quotes', '> quoted\n>>> all of the rest quoted'],
];

// What the bot itself writes: dates, mentions of the people it recorded, and slack.oncall's user group.
const OWN = new RegExp(String.raw`<!date\^\d+\^\{[a-z_]+\}(?: \{time\})?\|[0-9: -]+UTC>|<@(?:${REQUESTER}|${APPROVER})>|<!subteam\^${ONCALL_GROUP}>`, 'g');
// A note is a command's own sentence: its only outside words are a silence reason an approver
// typed, where a user mention is theirs to make; a broadcast or a link is still text.
const NOTES = new Set(['a long note', 'a long note, attachment failed', 'silence of 60 hosts']);

type Text = { where: string; type: string; text: string };
function texts(m: BuiltMessage): Text[] {
  const out: Text[] = [{ where: 'text', type: 'mrkdwn', text: m.text }];
  const walk = (v: unknown, where: string): void => {
    if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, `${where}[${i}]`);
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') out.push({ where, type: o.type, text: o.text });
    for (const [k, x] of Object.entries(o)) walk(x, `${where}.${k}`);
  };
  walk(m.blocks, 'blocks');
  return out;
}

function problems(m: BuiltMessage): string[] {
  const bad: string[] = [];
  for (const t of texts(m)) {
    const at = `${m.name} ${t.where}`;
    if (t.type === 'plain_text') {
      // plain_text is shown as written: never escaped, so never double-escaped either.
      if (/&(amp|lt|gt);/.test(t.text)) bad.push(`${at}: an entity in plain_text`);
      continue;
    }
    const rest = t.text.replace(OWN, '');
    const left = NOTES.has(m.name) ? rest.replace(/<@U[A-Z0-9]+>/g, '') : rest;
    if (/[<>]/.test(left)) bad.push(`${at}: Slack syntax the bot did not write: ${JSON.stringify(left.match(/<[^>]{0,40}>?|>/)?.[0])}`);
    if ((t.text.match(/```/g) ?? []).length % 2) bad.push(`${at}: an open code block`);
  }
  return bad;
}

let config: Config;
before(() => {
  config = extremeConfig(3);
});

describe('host text cannot become Slack syntax in any message', () => {
  for (const [name, attack] of ATTACKS) {
    it(name, async () => {
      const messages = await everyMessage(config, (i) => `${i} ${attack}`);
      assert.ok(messages.length >= 35, `${messages.length} messages`);
      assert.deepEqual(messages.flatMap(problems), []);
      // The host's words are all there, shown as written.
      const all = JSON.stringify(messages);
      if (attack.includes('&lt;')) assert.ok(all.includes('&amp;lt;!channel&amp;gt;'), 'an entity the host wrote is shown, not decoded');
      if (attack.includes('<!channel>')) assert.ok(all.includes('&lt;!channel&gt;'), 'the ping is shown as text');
    });
  }

  it("a broadcast typed into a silence reason stays text; the approver's own mention stays live", async () => {
    const [note] = (await everyMessage(config, () => '<!channel> <https://evil|x>')).filter((m) => m.name === 'a long note');
    assert.match(note!.text, new RegExp(`<@${APPROVER}>`));
    assert.doesNotMatch(JSON.stringify(note), /<!channel>|<https/);
  });
});
