import type { Logger } from 'pino';
import type { CommandServices } from '../../commands/command.js';
import { planCommand } from '../../commands/router.js';
import { deliverPlan, onClick, type ButtonListener } from './interaction.js';

/**
 * [Trend] runs `trend HOST` (the default window) for the host the button names; the value goes
 * through the router like typed text. On an alert's parent the chart goes into the alert's thread
 * (the parent's ts); on a status answer into the channel, or the thread the answer sits in. The
 * file's comment is the summary, so the clicker only gets an ephemeral receipt.
 */
export function trendButton(action: 'trend' | 'alert_trend', services: CommandServices, log: Logger): ButtonListener {
  return onClick(action, log, async (click) => {
    const threadTs = action === 'alert_trend' ? click.message?.ts : click.message?.threadTs;
    const plan = planCommand(`trend ${click.value}`, click.caller, services.config);
    await deliverPlan(click, plan, services, { replaceOriginal: false, quietFile: true, ...(threadTs ? { threadTs } : {}) });
  });
}
