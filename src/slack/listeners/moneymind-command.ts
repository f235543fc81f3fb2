import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CommandServices } from '../../commands/command.js';
import { answerOf, planCommand } from '../../commands/router.js';
import { answerBlocks } from '../blocks/answer-blocks.js';
import type { RestartFlow } from '../restart-flow.js';
import { commandInteraction, deliverPlan, guarded } from './interaction.js';

/**
 * `/moneymind …`: validate, ack at once (Slack shows "operation timed out" after 3 s), then run
 * and replace the ack through response_url. Errors and help are answered in the ack itself,
 * ephemerally; nothing typed ever reaches a shell (the router matches it against config).
 */
export function moneymindCommand(services: CommandServices, log: Logger, restartFlow: () => RestartFlow | undefined = () => undefined) {
  return async ({ command, ack, respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const allowed = services.config.slack.commandChannels;
    if (allowed.length && !allowed.includes(command.channel_id)) {
      await ack({ response_type: 'ephemeral', text: `/moneymind answers in ${allowed.map((c) => `<#${c}>`).join(', ')}; try it there.` });
      return;
    }
    const asked = commandInteraction(command, respond, client, log);
    const plan = planCommand(command.text ?? '', asked.caller, services.config);
    if (plan.kind !== 'plan' || plan.immediate) {
      const msg = answerBlocks(await answerOf(plan, services, asked.caller));
      await ack({ response_type: msg.response_type, text: msg.text, blocks: msg.blocks });
      return;
    }
    await ack({ response_type: 'in_channel', text: `:hourglass_flowing_sand: ${plan.progress}` });
    await guarded(asked, () => deliverPlan(asked, plan, services, { replaceOriginal: true, restartFlow: restartFlow() }));
  };
}
