import { clip } from './clip.js';

/**
 * Text from outside (log lines, check summaries, /health bodies, command output — already
 * redacted) on its way into Slack mrkdwn. Slack reads `&`, `<` and `>` as control characters in
 * every mrkdwn text, code blocks included: `<!channel>` pings a channel, `<https://x|label>` shows
 * a disguised link. "There are three characters you must convert to HTML entities and only three"
 * (https://api.slack.com/reference/surfaces/formatting#escaping). And ``` opens or closes a code
 * block, so a log line must never contain one. plain_text objects need none of this: only `clip` (./clip.ts).
 */

const ENTITY: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
// Between two backticks they still render side by side, but Slack never sees a fence.
const ZWSP = '\u200B';
// C0 controls (ANSI colours in logs) render as junk and cost 6 characters each once JSON-encoded.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;
// Half of a surrogate pair is not a character: Slack refuses or mangles it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text without half a surrogate pair (Slack refuses or mangles one): for any string sent, as a last guard. */
export const wellFormed = (text: string): string => text.replace(LONE_SURROGATE, '\uFFFD');

/** Host text for a mrkdwn object: renders as written; no mention, link, date or fence can come from it. */
export function mrkdwn(text: string): string {
  const escaped = wellFormed(text.replace(/\r\n/g, '\n'))
    .replace(CONTROL, '\uFFFD')
    .replace(/[&<>]/g, (c) => ENTITY[c]!);
  let out = escaped.replace(/`(?=`)/g, `\`${ZWSP}`);
  // A backtick at either end could join the bot's own backticks around it into a fence.
  if (out.startsWith('`')) out = ZWSP + out;
  if (out.endsWith('`')) out += ZWSP;
  return out;
}

/** Host text for a mrkdwn object in at most `max` characters: `mrkdwn`, then `clipMrkdwn`. */
export const quote = (text: string, max: number): string => clipMrkdwn(mrkdwn(text), max);

/** Host text as a code block of at most `max` characters, fences included; it cannot close early. */
export function codeBlock(text: string, max: number): string {
  return `\`\`\`${clipMrkdwn(mrkdwn(text) || ' ', max - 6)}\`\`\``;
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
