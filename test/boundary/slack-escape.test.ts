import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clip } from '../../src/boundary/clip.js';
import { clipMrkdwn, codeBlock, mrkdwn } from '../../src/boundary/slack-escape.js';

const ZWSP = '\u200B';
const fences = (s: string): number => (s.match(/```/g) ?? []).length;

describe('mrkdwn: host text renders as written, and nothing more', () => {
  const table: [string, string, string][] = [
    ["Slack's three characters", 'a & b < c > d', 'a &amp; b &lt; c &gt; d'],
    ['a channel ping', '<!channel> re-login', '&lt;!channel&gt; re-login'],
    ['a disguised link', '<https://evil.example/login|re-login>', '&lt;https://evil.example/login|re-login&gt;'],
    ['a user mention', '<@U0EVIL>', '&lt;@U0EVIL&gt;'],
    ['text already escaped is shown as the host wrote it', '&lt;b&gt;', '&amp;lt;b&amp;gt;'],
    ['a fence cannot form', 'x```y', `x\`${ZWSP}\`${ZWSP}\`y`],
    ["nor join the bot's own backticks at either end", '`x`', `${ZWSP}\`x\`${ZWSP}`],
    ['ANSI colours and other controls', '\u001b[31mERROR\u001b[0m', '\uFFFD[31mERROR\uFFFD[0m'],
    ['CRLF becomes a newline; tabs stay', 'a\r\nb\tc', 'a\nb\tc'],
    ['half a surrogate pair', 'a\uD800b', 'a\uFFFDb'],
    ['emoji and CJK untouched', '🔥 障害 👨‍👩‍👧', '🔥 障害 👨‍👩‍👧'],
  ];
  for (const [name, input, want] of table) it(name, () => assert.equal(mrkdwn(input), want));
});

describe('codeBlock: a log line stays inside its block', () => {
  it("the issue's log line: one block, no live ping, no link", () => {
    const out = codeBlock('ERROR … /x```<!channel> <https://evil.example/login|re-login>', 3000);
    assert.equal(fences(out), 2);
    assert.ok(out.startsWith('```') && out.endsWith('```'));
    assert.doesNotMatch(out, /<!|<http/);
  });
  it('keeps to its size, fences included, and still closes', () => {
    const out = codeBlock('`'.repeat(10_000), 100);
    assert.ok(out.length <= 100, String(out.length));
    assert.equal(fences(out), 2);
  });
});

describe('clip: never half a character', () => {
  const table: [string, string, number, string][] = [
    ['short text is kept', 'abc', 3, 'abc'],
    ['an ellipsis says it was cut', 'abcdef', 4, 'abc…'],
    ['a surrogate pair is not split', 'a🔥🔥', 3, 'a…'],
    ['…and whole ones are kept', 'a🔥🔥🔥', 5, 'a🔥…'],
    ['a ZWJ family is one character', 'a👨‍👩‍👧b', 7, 'a…'],
    ['a flag is one character', '🇯🇵🇯🇵', 6, '🇯🇵…'],
    ['CJK', '障害が発生しました', 4, '障害が…'],
  ];
  for (const [name, input, max, want] of table) it(name, () => assert.equal(clip(input, max), want));
});

describe('clipMrkdwn: a cut leaves valid mrkdwn', () => {
  const table: [string, string, number, (out: string) => boolean][] = [
    ['no half entity', `${'a'.repeat(10)}&amp;b`, 14, (o) => !/&[a-z]*…/.test(o)],
    ["no half of the bot's date", `x <!date^1700000000^{time}|12:00 UTC> y`, 20, (o) => !o.includes('<')],
    ['an open code block is closed', `head \`\`\`${'l'.repeat(100)}\`\`\``, 40, (o) => fences(o) % 2 === 0 && o.endsWith('```')],
    ['no half fence', `${'a'.repeat(9)}\`\`\`x\`\`\``, 14, (o) => fences(o) % 2 === 0],
  ];
  for (const [name, input, max, ok] of table) {
    it(name, () => {
      const out = clipMrkdwn(input, max);
      assert.ok(out.length <= max, `${out.length} > ${max}`);
      assert.ok(ok(out), out);
    });
  }
});
