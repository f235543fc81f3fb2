import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CommandServices } from '../../commands/command.js';
import { isAnswer } from '../../commands/host-args.js';
import { planCommand } from '../../commands/router.js';
import { answerBlocks } from '../blocks/answer-blocks.js';
import { deliverAnswer } from '../deliver-answer.js';

/**
 * Buttons on an alert's parent message. [Status] shows the host's status to the one who clicked
 * (the thread already tells everyone); [Silence 1h] runs `silence HOST 1h` as the clicker, so the
 * router's approver check applies. Values go through the router like typed text.
 */
export function alertButton(kind: 'status' | 'silence', services: CommandServices, log: Logger) {
  return async ({ ack, action, body, respond, client }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const alog = log.child({ user: body.user.id, action: `alert_${kind}` });
    const caller = { userId: body.user.id, source: 'slack' } as const;
    const hosts = (action.value ?? '').split(' ').filter(Boolean).slice(0, 20);
    try {
      for (const host of hosts.length ? hosts : ['']) {
        const plan = planCommand(kind === 'status' ? `status ${host}` : `silence ${host} 1h from the alert button`, caller, services.config);
        const answer = isAnswer(plan) ? plan : await plan.run(services, caller);
        if (kind === 'status') {
          const { overflow: _overflow, ...msg } = answerBlocks(answer);
          await respond({ ...msg, response_type: 'ephemeral', replace_original: false, blocks: [...msg.blocks] as never });
        } else {
          await deliverAnswer(answer, { respond, client, channelId: body.channel?.id ?? body.user.id, replaceOriginal: false, log: alog });
        }
      }
    } catch (err) {
      alog.error({ err }, 'alert button failed');
      await respond({ response_type: 'ephemeral', replace_original: false, text: ':warning: That did not work; the details are in the bot\'s logs.' }).catch((e: unknown) => alog.error({ err: e }, 'could not report the failure'));
    }
  };
}
