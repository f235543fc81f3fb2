import { mrkdwn } from '../boundary/slack-escape.js';
import { utcClock, utcDateTime } from '../render/utc-time.js';

/**
 * The only Slack syntax the bot writes itself: dates and user mentions. Everything else in a
 * message goes through src/boundary/slack-escape.ts first.
 */

/** Slack renders it in each reader's own time zone; the fallback (old clients) is UTC. */
export function slackDate(ms: number, format: '{time}' | '{date_short_pretty} {time}' = '{date_short_pretty} {time}'): string {
  const fallback = format === '{time}' ? utcClock(ms) : utcDateTime(ms);
  return `<!date^${Math.floor(ms / 1000)}^${format}|${fallback}>`;
}

/** `<@U…>` for a Slack user id the bot recorded (requester, approver); anything else is shown as text. */
export const mention = (userId: string): string => (SLACK_USER.test(userId) ? `<@${userId}>` : mrkdwn(userId));

/**
 * A command's own sentence (a note) for mrkdwn: escaped like host text, except the one piece of
 * Slack syntax commands write on purpose, who did it (`<@U…>`, silence-command). A `<!channel>`
 * typed into a silence reason stays text.
 */
export const ownSentence = (text: string): string => mrkdwn(text).replace(/&lt;@([UW][A-Z0-9]{2,20})&gt;/g, '<@$1>');

const SLACK_USER = /^[UW][A-Z0-9]{2,20}$/;

/** slack.oncall: a user (`U…`) is `<@U…>`, a user group (`S…`) `<!subteam^S…>`; anything else stays text. */
export const oncallMention = (id: string): string => (/^S[A-Z0-9]{2,20}$/.test(id) ? `<!subteam^${id}>` : mention(id));

/** The acknowledged alert's line: `👀 <@U…> is on it since 12:00 UTC`. */
export const ackLine = (by: string, at: number): string => `👀 ${mention(by)} is on it since ${utcClock(at)}`;
