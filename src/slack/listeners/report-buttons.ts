import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CommandServices } from '../../commands/command.js';
import { isAnswer } from '../../commands/host-args.js';
import { planCommand } from '../../commands/router.js';
import { deliverAnswer } from '../deliver-answer.js';

/**
 * [Refresh] re-runs the status in place; [Logs] answers with the host's last error lines. The
 * button value is a host name we put there, yet it still goes through the router: a crafted
 * payload gets the same validation as typed text.
 */
export function reportButton(kind: 'refresh' | 'logs', services: CommandServices, log: Logger) {
  return async ({ ack, action, body, respond, client }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const alog = log.child({ user: body.user.id, action: kind });
    const text = `${kind === 'refresh' ? 'status' : 'logs'} ${action.value ?? ''}`;
    const caller = { userId: body.user.id, source: 'slack' } as const;
    const plan = planCommand(text, caller, services.config);
    const channelId = body.channel?.id ?? body.user.id;
    try {
      const answer = isAnswer(plan) ? plan : await plan.run(services, caller);
      await deliverAnswer(answer, { respond, client, channelId, replaceOriginal: !isAnswer(plan) && kind === 'refresh', log: alog });
    } catch (err) {
      alog.error({ err }, 'button failed');
      await respond({ response_type: 'ephemeral', replace_original: false, text: ':warning: That did not work; the details are in the bot\'s logs.' }).catch((e: unknown) => alog.error({ err: e }, 'could not report the failure'));
    }
  };
}
