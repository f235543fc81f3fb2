/**
 * Text from outside (log lines, check summaries, /health bodies, command output — already
 * redacted) on its way into Slack mrkdwn. Slack reads `&`, `<` and `>` as control characters in
 * every mrkdwn text, code blocks included: `<!channel>` pings a channel, `<https://x|label>` shows
 * a disguised link. "There are three characters you must convert to HTML entities and only three"
 * (https://api.slack.com/reference/surfaces/formatting#escaping). And ``` opens or closes a code
 * block, so a log line must never contain one. plain_text objects need none of this: only `clip`.
 */

const ENTITY: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
// Between two backticks they still render side by side, but Slack never sees a fence.
const ZWSP = '\u200B';
// C0 controls (ANSI colours in logs) render as junk and cost 6 characters each once JSON-encoded.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;
// Half of a surrogate pair is not a character: Slack refuses or mangles it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Text without half a surrogate pair (Slack refuses or mangles one): for any string sent, as a last guard. */
export const wellFormed = (text: string): string => text.replace(LONE_SURROGATE, '\uFFFD');

/** Host text for a mrkdwn object: renders as written; no mention, link, date or fence can come from it. */
export function mrkdwn(text: string): string {
  const escaped = wellFormed(text.replace(/\r\n/g, '\n')).replace(CONTROL, '\uFFFD').replace(/[&<>]/g, (c) => ENTITY[c]!);
  let out = escaped.replace(/`(?=`)/g, `\`${ZWSP}`);
  // A backtick at either end could join the bot's own backticks around it into a fence.
  if (out.startsWith('`')) out = ZWSP + out;
  if (out.endsWith('`')) out += ZWSP;
  return out;
}

/** Host text as a code block of at most `max` characters, fences included; it cannot close early. */
export function codeBlock(text: string, max: number): string {
  return `\`\`\`${clipMrkdwn(mrkdwn(text) || ' ', max - 6)}\`\`\``;
}

/**
 * At most `max` UTF-16 units (never fewer than Slack's characters), cut between graphemes, so an
 * emoji, a flag or a CJK character is never split; '…' says it was cut. For plain_text too.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  // Boundaries before `max` depend only on the characters up to it; ICU walks the whole string given.
  for (const { segment } of graphemes.segment(text.slice(0, max))) {
    if (out.length + segment.length > max - 1) break;
    out += segment;
  }
  return `${out}…`;
}

/**
 * `clip` for composed mrkdwn (host text already escaped, plus the bot's own markup): the cut never
 * leaves half an entity (`&am`), half of the bot's `<@U…>`/`<!date…>`, or an open code block.
 */
export function clipMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let head = clip(text, max - 3).slice(0, -1);
  head = head.replace(/&[a-z]{0,3}$/, '').replace(/`{1,2}$/, '');
  const open = head.lastIndexOf('<');
  if (open > head.lastIndexOf('>')) head = head.slice(0, open);
  const fenceOpen = (head.match(/```/g) ?? []).length % 2 === 1;
  return `${head}…${fenceOpen ? '```' : ''}`;
}
