import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Config } from '../../src/config/types.js';
import { LIMITS as BUILDER_LIMITS } from '../../src/slack-format/slack-limits.js';
import { everyMessage, extremeConfig, type BuiltMessage } from '../support/slack-messages.js';

/*
 * Slack's limits, written down here independently of the builders (src/slack-format/slack-limits.ts
 * keeps its own copy), with where each comes from. Lengths are String.length: UTF-16 units, never
 * fewer than Slack's characters.
 */
const LIMITS = {
  // "up to 50 blocks in each message" — https://api.slack.com/reference/block-kit/blocks
  blocks: 50,
  // section text 3000; fields at most 10 of 2000 — https://api.slack.com/reference/block-kit/blocks#section
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  // any text object: 1 to 3000 characters — https://api.slack.com/reference/block-kit/composition-objects#text
  textObject: 3000,
  // header: plain_text, 150 — https://api.slack.com/reference/block-kit/blocks#header
  headerText: 150,
  // context: at most 10 elements — https://api.slack.com/reference/block-kit/blocks#context
  contextElements: 10,
  // actions: at most 25 elements — https://api.slack.com/reference/block-kit/blocks#actions
  actionsElements: 25,
  // button: text 75 (plain_text), value 2000, action_id 255 — https://api.slack.com/reference/block-kit/block-elements#button
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  // block_id 255 — every block on https://api.slack.com/reference/block-kit/blocks
  blockId: 255,
  // confirm dialog: every part plain_text; title 100, text 300, confirm/deny 30 —
  // https://api.slack.com/reference/block-kit/composition-objects#confirm
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  // top-level text: truncated above 40,000, long asked to stay under 4,000 —
  // https://api.slack.com/changelog/2018-04-truncating-really-long-messages
  fallbackText: 4000,
  // the blocks together: msg_blocks_too_long above ~12,000 characters (slackapi/bolt-js#2509, #2867);
  // measured as the JSON Slack receives, which over-counts
  messageJson: 12_000,
} as const;

// 5000 characters of what logs and error bodies hold: emoji (a ZWJ family, a flag), CJK, quotes
// and backslashes (JSON doubles them), backtick runs, Slack syntax, ANSI colours, CRLF, a lone surrogate.
const PIECES = [
  '👨‍👩‍👧 ',
  '🇯🇵',
  '障害が発生しました',
  '"quoted" \\path\\ ',
  '```',
  '``',
  '<!channel> ',
  '<https://evil.example/login|re-login>',
  '&amp; ',
  '\u001b[31mERROR\u001b[0m ',
  '\r\n',
  'é',
  '\uD800',
];
const EXTREME = (i: number): string => {
  let s = `${i}: `;
  for (let j = i; s.length < 5000; j++) s += PIECES[j % PIECES.length];
  return s;
};
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every limit that applies to one message; `where` names the offending path. */
function violations(m: BuiltMessage): string[] {
  const bad: string[] = [];
  const check = (ok: boolean, where: string, what: string): void => void (ok || bad.push(`${where}: ${what}`));
  check(m.text.length >= 1 && m.text.length <= LIMITS.fallbackText, 'text', `${m.text.length} characters`);
  check(m.blocks.length <= LIMITS.blocks, 'blocks', `${m.blocks.length} blocks`);
  const json = JSON.stringify(m.blocks).length;
  check(json <= LIMITS.messageJson, 'blocks', `${json} characters of JSON`);
  const text = (t: unknown, where: string, max: number, plainOnly = false): void => {
    if (!isObj(t)) return void bad.push(`${where}: not a text object`);
    check(t.type === 'plain_text' || (!plainOnly && t.type === 'mrkdwn'), where, `type ${String(t.type)}`);
    const s = String(t.text);
    check(s.length >= 1 && s.length <= Math.min(max, LIMITS.textObject), where, `${s.length} characters (max ${max})`);
    if (t.type === 'mrkdwn') check((s.match(/```/g) ?? []).length % 2 === 0, where, 'an open code block');
  };
  m.blocks.forEach((b, i) => {
    const at = `blocks[${i}] (${b.type})`;
    if (b.block_id !== undefined) check(b.block_id.length <= LIMITS.blockId, at, 'block_id');
    switch (b.type) {
      case 'section':
        if (b.text) text(b.text, `${at}.text`, LIMITS.sectionText);
        check((b.fields ?? []).length <= LIMITS.fields, at, `${b.fields?.length} fields`);
        for (const [j, f] of (b.fields ?? []).entries()) text(f, `${at}.fields[${j}]`, LIMITS.fieldText);
        check(!!b.text || !!b.fields?.length, at, 'neither text nor fields');
        break;
      case 'header':
        text(b.text, `${at}.text`, LIMITS.headerText, true);
        break;
      case 'context':
        check(b.elements.length >= 1 && b.elements.length <= LIMITS.contextElements, at, `${b.elements.length} elements`);
        for (const [j, e] of b.elements.entries()) text(e, `${at}.elements[${j}]`, LIMITS.textObject);
        break;
      case 'actions':
        check(b.elements.length <= LIMITS.actionsElements, at, `${b.elements.length} elements`);
        for (const [j, e] of b.elements.entries()) {
          const w = `${at}.elements[${j}]`;
          if (e.type !== 'button') {
            bad.push(`${w}: ${e.type}, not a button`);
            continue;
          }
          text(e.text, `${w}.text`, LIMITS.buttonText, true);
          check((e.value ?? '').length <= LIMITS.buttonValue, w, `value of ${e.value?.length}`);
          check((e.action_id ?? '').length >= 1 && (e.action_id ?? '').length <= LIMITS.actionId, w, 'action_id');
          if (e.confirm) {
            text(e.confirm.title, `${w}.confirm.title`, LIMITS.confirmTitle, true);
            text(e.confirm.text, `${w}.confirm.text`, LIMITS.confirmText, true);
            text(e.confirm.confirm, `${w}.confirm.confirm`, LIMITS.confirmButton, true);
            text(e.confirm.deny, `${w}.confirm.deny`, LIMITS.confirmButton, true);
          }
        }
        break;
      default:
        bad.push(`${at}: a block type the bot does not build`);
    }
  });
  // Never half a character: in any string of the message, text or value.
  const walk = (v: unknown, where: string): void => {
    if (typeof v === 'string') check(!LONE_SURROGATE.test(v), where, 'half a surrogate pair');
    else if (Array.isArray(v)) for (const [i, x] of v.entries()) walk(x, `${where}[${i}]`);
    else if (isObj(v)) for (const [k, x] of Object.entries(v)) walk(x, `${where}.${k}`);
  };
  walk({ text: m.text, blocks: m.blocks }, 'message');
  return bad;
}

let config: Config;
let messages: BuiltMessage[];
before(async () => {
  config = extremeConfig();
  messages = await everyMessage(config, EXTREME);
});

describe("every message the bot sends keeps to Slack's limits, from extreme inputs", () => {
  it("the builders' own table is no looser than this one", () => {
    for (const [k, v] of Object.entries(LIMITS)) assert.ok((BUILDER_LIMITS as Record<string, number>)[k]! <= v, k);
  });

  it('covers every kind: answers, alert posts for each intent, restart messages', () => {
    const names = messages.map((m) => m.name).join('\n');
    for (const kind of [
      'status of',
      'log lines',
      'support bundle',
      'hosts listed',
      'help',
      'note',
      'history',
      'restart request',
      'an error',
      'silence of 60',
      'alert open',
      'alert update',
      'alert remind',
      'alert flapping',
      'alert resolve',
      'alert escalate',
      'alert acknowledged',
      'alert acknowledge reply',
      'edit-parent',
      'restart finished',
      'restart outcome',
    ])
      assert.ok(names.includes(kind), kind);
    assert.ok(messages.length > 40, `${messages.length} messages`);
  });

  it('no message breaks a limit', () => {
    const broken = messages.flatMap((m) => violations(m).map((v) => `${m.name} — ${v}`));
    assert.deepEqual(broken, []);
  });

  it('the [Silence 1h] value is an incident key, not 60 host names', () => {
    const parent = messages.find((m) => m.name === 'alert open (60 hosts) post-parent')!;
    const buttons = parent.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
    const silence = buttons.find((e) => e.type === 'button' && e.action_id === 'alert_silence');
    assert.match(silence?.type === 'button' ? (silence.value ?? '') : '', /^db:[a-z0-9-]+\|db-unreachable$/);
  });

  it('the restart dialog is short plain text; the full 1024-character command is in the message', () => {
    const m = messages.find((x) => x.name === 'a restart request')!;
    const json = JSON.stringify(m.blocks);
    assert.match(json, /"confirm":\{"title":\{"type":"plain_text","text":"Restart [^"]+\?"/);
    assert.match(json, /supervisorctl -c \/p{1023} restart s{128}/);
  });
});
