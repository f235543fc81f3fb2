import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CommandServices } from '../../commands/command.js';
import { isAnswer } from '../../commands/host-args.js';
import { planCommand } from '../../commands/router.js';
import { answerBlocks } from '../blocks/answer-blocks.js';
import { deliverAnswer } from '../deliver-answer.js';
import type { RestartFlow } from '../restart-flow.js';

/**
 * `/moneymind …`: validate, ack at once (Slack shows "operation timed out" after 3 s), then run
 * and replace the ack through response_url. Errors and help are answered in the ack itself,
 * ephemerally; nothing typed ever reaches a shell (the router matches it against config).
 */
export function moneymindCommand(services: CommandServices, log: Logger, restartFlow: () => RestartFlow | undefined = () => undefined) {
  return async ({ command, ack, respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const clog = log.child({ user: command.user_id, channel: command.channel_id, action: 'command' });
    const allowed = services.config.slack.commandChannels;
    if (allowed.length && !allowed.includes(command.channel_id)) {
      await ack({ response_type: 'ephemeral', text: `/moneymind answers in ${allowed.map((c) => `<#${c}>`).join(', ')}; try it there.` });
      return;
    }
    const caller = { userId: command.user_id, source: 'slack' } as const;
    const plan = planCommand(command.text ?? '', caller, services.config);
    if (isAnswer(plan) || plan.immediate) {
      const msg = answerBlocks(isAnswer(plan) ? plan : await plan.run(services, caller));
      await ack({ response_type: msg.response_type, text: msg.text, blocks: msg.blocks });
      return;
    }
    await ack({ response_type: 'in_channel', text: `:hourglass_flowing_sand: ${plan.progress}` });
    try {
      const answer = await plan.run(services, caller);
      await deliverAnswer(answer, { respond, client, channelId: command.channel_id, replaceOriginal: true, log: clog, restartFlow: restartFlow() });
    } catch (err) {
      clog.error({ err }, 'command failed');
      // A short message for the person; the detail stays in the logs (never a stack trace in Slack).
      await respond({ response_type: 'ephemeral', replace_original: false, text: ':warning: Something went wrong running that command; the details are in the bot\'s logs. Try again in a minute.' }).catch((e: unknown) =>
        clog.error({ err: e }, 'could not tell the user about the failure'),
      );
    }
  };
}
