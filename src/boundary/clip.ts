const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * At most `max` UTF-16 units (never fewer than Slack's characters), cut between graphemes, so an
 * emoji, a flag or a CJK character is never split; '…' says it was cut. The one cut of text the
 * bot shows: in Slack (plain_text and, through `clipMrkdwn`, mrkdwn), errors and check summaries.
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
