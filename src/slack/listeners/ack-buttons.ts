import type { Logger } from 'pino';
import type { CommandServices } from '../../commands/command.js';
import { onClick, type ButtonListener } from './interaction.js';

/**
 * [Acknowledge] / [Unacknowledge] on an alert's parent. The store decides (two clicks make one
 * acknowledgement); the parent's edit and the thread's line go out through the outbox like every
 * alert post. The one who clicked gets one ephemeral line: refused, stale, already taken, or done.
 */
export function ackButton(acknowledged: boolean, services: CommandServices, log: Logger): ButtonListener {
  return onClick(acknowledged ? 'alert_ack' : 'alert_unack', log, async (click) => {
    const say = async (text: string): Promise<void> => {
      await click.respond({ response_type: 'ephemeral', replace_original: false, text });
    };
    const responders = services.config.slack.responders;
    if (responders.length && !responders.includes(click.caller.userId)) {
      await say('Only the responders (slack.responders) may acknowledge alerts or give them back.');
      return;
    }
    const outcome = await services.incidents?.acknowledge?.(click.value, click.caller.userId, acknowledged);
    if (!outcome) return say('Acknowledging needs the store, which this bot runs without.');
    if (outcome.ok) return say(acknowledged ? '👀 Acknowledged: reminders pause while you are on it.' : '↩️ Given back: reminders resume.');
    if (outcome.why === 'stale') return say('This incident is no longer open (it resolved): nothing to acknowledge.');
    if (acknowledged) return say(`Already acknowledged${outcome.by ? ` by <@${outcome.by}>` : ''}.`);
    return say('It is not acknowledged (any more): nothing to give back.');
  });
}
