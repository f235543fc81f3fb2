import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Logger } from 'pino';
import type { RateLimiter } from '../commands/rate-limiter.js';
import { overRateLimit } from '../commands/router.js';
import type { Config } from '../config/types.js';
import { slackCaller } from './listeners/interaction.js';

type Refusal = NonNullable<ReturnType<typeof overRateLimit>>;
const text = (r: Refusal): string => `:hourglass: ${r.message}${r.fix ? `\n${r.fix}` : ''}`;

/**
 * Bolt middleware before `/moneymind`: an expensive command (report, status of all hosts) beyond
 * the caller's slack.rateLimit is answered in the ack, ephemerally, and never reaches the
 * listener; anything else passes through uncounted. The decision is the router's.
 */
export function commandRateLimit(config: Config, limiter: RateLimiter, log: Logger) {
  return async ({ command, ack, next }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const channels = config.slack.commandChannels;
    // The listener turns these away (with where to ask instead); they must not use up the limit.
    if (channels.length && !channels.includes(command.channel_id)) return next();
    const refusal = overRateLimit(command.text ?? '', slackCaller(command.user_id), config, limiter);
    if (!refusal) return next();
    log.info({ user: command.user_id, action: 'command' }, 'expensive command refused: over slack.rateLimit');
    await ack({ response_type: 'ephemeral', text: text(refusal) });
  };
}

/** The same before [Refresh]: on a report of all hosts it is `status all` again. */
export function refreshRateLimit(config: Config, limiter: RateLimiter, log: Logger) {
  return async ({ action, body, ack, respond, next }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs): Promise<void> => {
    const refusal = overRateLimit(`status ${action.value ?? ''}`, slackCaller(body.user.id), config, limiter);
    if (!refusal) return next();
    log.info({ user: body.user.id, action: 'refresh' }, 'expensive command refused: over slack.rateLimit');
    await ack();
    await respond({ response_type: 'ephemeral', replace_original: false, text: text(refusal) });
  };
}
