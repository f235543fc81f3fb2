import type { Logger } from 'pino';
import type { CommandServices } from '../../commands/command.js';
import { planCommand } from '../../commands/router.js';
import type { RestartFlow } from '../restart-flow.js';
import { deliverPlan, onClick, type ButtonListener } from './interaction.js';

/**
 * [Confirm restart] / [Cancel] carry only the request id; whether the click counts is the store's
 * decision (RestartService). [Restart…] on an alert or a status answer carries a host name and
 * goes through the router as `restart HOST` by whoever clicked.
 */
export function restartButton(kind: 'confirm' | 'cancel' | 'request', flow: RestartFlow | undefined, services: CommandServices, log: Logger): ButtonListener {
  return onClick(`restart_${kind}`, log, async (click) => {
    if (!flow) {
      await click.respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: ':warning: restarts are not available: the bot runs without its store.',
      });
      return;
    }
    if (kind === 'confirm') return flow.confirm(click.value, click.caller.userId, click.respond);
    if (kind === 'cancel') return flow.cancel(click.value, click.caller.userId, click.respond);
    const plan = planCommand(`restart ${click.value}`, click.caller, services.config);
    await deliverPlan(click, plan, services, { replaceOriginal: false, restartFlow: flow });
  });
}
