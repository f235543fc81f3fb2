import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CommandServices } from '../../commands/command.js';
import { isAnswer } from '../../commands/host-args.js';
import { planCommand } from '../../commands/router.js';
import { answerBlocks } from '../blocks/answer-blocks.js';
import { deliverAnswer } from '../deliver-answer.js';
import { silenceFromAlert } from './silence-from-alert.js';

/**
 * Buttons on an alert's parent message. [Status] shows the host's status to the one who clicked
 * (the thread already tells everyone); [Silence 1h] silences the incident's hosts as the clicker,
 * so the router's approver check applies. Either way the click gets exactly one answer: Slack
 * takes a response_url a few times only.
 */
export function alertButton(kind: 'status' | 'silence', services: CommandServices, log: Logger) {
  return async ({ ack, action, body, respond, client }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const alog = log.child({ user: body.user.id, action: `alert_${kind}` });
    const caller = { userId: body.user.id, source: 'slack' } as const;
    const value = action.value ?? '';
    try {
      if (kind === 'status') {
        // The value is a host name we put there; it still goes through the router like typed text.
        const plan = planCommand(`status ${value}`, caller, services.config);
        const msg = answerBlocks(isAnswer(plan) ? plan : await plan.run(services, caller));
        await respond({ response_type: 'ephemeral', replace_original: false, text: msg.text, blocks: msg.blocks });
        return;
      }
      const answer = await silenceFromAlert(value, caller, services);
      await deliverAnswer(answer, { respond, client, channelId: body.channel?.id ?? body.user.id, replaceOriginal: false, log: alog });
    } catch (err) {
      alog.error({ err }, 'alert button failed');
      await respond({ response_type: 'ephemeral', replace_original: false, text: ':warning: That did not work; the details are in the bot\'s logs.' }).catch((e: unknown) => alog.error({ err: e }, 'could not report the failure'));
    }
  };
}
