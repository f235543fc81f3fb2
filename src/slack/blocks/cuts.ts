import { clipMrkdwn, codeBlock, mrkdwn } from '../../boundary/slack-escape.js';
import { LIMITS } from '../../slack-format/slack-limits.js';

/**
 * One message build's escaping and clipping, counting what it had to shorten: an answer that lost
 * anything says so and the adapter attaches the whole of it, so nothing is cut silently.
 */
export class Cuts {
  count = 0;

  /** Host text, escaped for mrkdwn, in at most `max` characters. */
  host(text: string, max: number): string {
    return this.fit(mrkdwn(text), max);
  }

  /** Host text as a code block of at most `max` characters, fences included. */
  code(text: string, max: number): string {
    if (mrkdwn(text).length > max - 6) this.count++;
    return codeBlock(text, max);
  }

  /** Composed mrkdwn in at most `max` characters (a section's 3000 unless told). */
  fit(text: string, max: number = LIMITS.sectionText): string {
    if (text.length <= max) return text;
    this.count++;
    return clipMrkdwn(text, max);
  }
}
