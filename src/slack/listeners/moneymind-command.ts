import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CommandServices } from '../../commands/command.js';
import { isAnswer } from '../../commands/host-args.js';
import { planCommand } from '../../commands/router.js';
import { answerBlocks } from '../blocks/answer-blocks.js';

/**
 * `/moneymind …`: validate, ack at once (Slack shows "operation timed out" after 3 s), then run
 * and replace the ack through response_url. Errors and help are answered in the ack itself,
 * ephemerally; nothing typed ever reaches a shell (the router matches it against config).
 */
export function moneymindCommand(services: CommandServices, log: Logger) {
  return async ({ command, ack, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const clog = log.child({ user: command.user_id, channel: command.channel_id, action: 'command' });
    const allowed = services.config.slack.commandChannels;
    if (allowed.length && !allowed.includes(command.channel_id)) {
      await ack({ response_type: 'ephemeral', text: `/moneymind answers in ${allowed.map((c) => `<#${c}>`).join(', ')}; try it there.` });
      return;
    }
    const plan = planCommand(command.text ?? '', { userId: command.user_id, source: 'slack' }, services.config);
    if (isAnswer(plan)) {
      await ack(answerBlocks(plan) as never);
      return;
    }
    await ack({ response_type: 'in_channel', text: `:hourglass_flowing_sand: ${plan.progress}` });
    try {
      const answer = await plan.run(services);
      await withRetry(() => respond({ ...answerBlocks(answer), replace_original: true } as never), clog);
    } catch (err) {
      clog.error({ err }, 'command failed');
      // A short message for the person; the detail stays in the logs (never a stack trace in Slack).
      await respond({ response_type: 'ephemeral', replace_original: false, text: ':warning: Something went wrong running that command; the details are in the bot\'s logs. Try again in a minute.' }).catch((e: unknown) =>
        clog.error({ err: e }, 'could not tell the user about the failure'),
      );
    }
  };
}

/**
 * response_url answers 429 or 5xx now and then; the answer is worth a few quick retries (bounded:
 * 3 attempts within ~2 s) before giving up and telling the person.
 */
async function withRetry(send: () => Promise<unknown>, log: Logger): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await send();
      return;
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      const retryable = status === 429 || (status !== undefined && status >= 500);
      if (!retryable || attempt >= 3) throw err;
      log.warn({ status, attempt }, 'response_url refused the answer; retrying');
      await new Promise((r) => setTimeout(r, 300 * 2 ** attempt));
    }
  }
}
