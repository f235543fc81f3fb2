import type { Logger } from 'pino';
import type { CommandServices } from '../../commands/command.js';
import { planCommand } from '../../commands/router.js';
import { deliverPlan, onClick, type ButtonListener } from './interaction.js';

/**
 * [Refresh] re-runs the status in place; [Logs] answers with the host's last error lines. The
 * button value is a host name we put there, yet it still goes through the router: a crafted
 * payload gets the same validation as typed text.
 */
export function reportButton(kind: 'refresh' | 'logs', services: CommandServices, log: Logger): ButtonListener {
  return onClick(kind, log, async (click) => {
    const plan = planCommand(`${kind === 'refresh' ? 'status' : 'logs'} ${click.value}`, click.caller, services.config);
    await deliverPlan(click, plan, services, { replaceOriginal: kind === 'refresh' });
  });
}
