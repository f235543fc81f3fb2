import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CommandServices } from '../../commands/command.js';
import { isAnswer } from '../../commands/host-args.js';
import { planCommand } from '../../commands/router.js';
import { deliverAnswer } from '../deliver-answer.js';
import type { RestartFlow } from '../restart-flow.js';

/**
 * [Confirm restart] / [Cancel] carry only the request id; whether the click counts is the store's
 * decision (RestartService). [Restart…] on an alert or a status answer carries a host name and
 * goes through the router as `restart HOST` by whoever clicked.
 */
export function restartButton(kind: 'confirm' | 'cancel' | 'request', flow: RestartFlow | undefined, services: CommandServices, log: Logger) {
  return async ({ ack, action, body, respond, client }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const rlog = log.child({ user: body.user.id, action: `restart_${kind}` });
    try {
      if (!flow) {
        await respond({ response_type: 'ephemeral', replace_original: false, text: ':warning: restarts are not available: the bot runs without its store.' });
        return;
      }
      const value = action.value ?? '';
      if (kind === 'confirm') return await flow.confirm(value, body.user.id, respond);
      if (kind === 'cancel') return await flow.cancel(value, body.user.id, respond);
      const caller = { userId: body.user.id, source: 'slack' } as const;
      const plan = planCommand(`restart ${value}`, caller, services.config);
      const answer = isAnswer(plan) ? plan : await plan.run(services, caller);
      await deliverAnswer(answer, { respond, client, channelId: body.channel?.id ?? body.user.id, replaceOriginal: false, log: rlog, restartFlow: flow });
    } catch (err) {
      rlog.error({ err }, 'restart button failed');
      await respond({ response_type: 'ephemeral', replace_original: false, text: ':warning: That did not work; the details are in the bot\'s logs.' }).catch((e: unknown) => rlog.error({ err: e }, 'could not report the failure'));
    }
  };
}
