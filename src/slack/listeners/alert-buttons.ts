import type { Logger } from 'pino';
import type { CommandServices } from '../../commands/command.js';
import { runCommand } from '../../commands/router.js';
import { answerBlocks } from '../blocks/answer-blocks.js';
import { deliverAnswer } from '../deliver-answer.js';
import { onClick, type ButtonListener } from './interaction.js';
import { silenceFromAlert } from './silence-from-alert.js';

/**
 * Buttons on an alert's parent message. [Status] shows the host's status to the one who clicked
 * (the thread already tells everyone); [Silence 1h] silences the incident's hosts as the clicker,
 * so the router's approver check applies. Either way the click gets exactly one answer: Slack
 * takes a response_url a few times only.
 */
export function alertButton(kind: 'status' | 'silence', services: CommandServices, log: Logger): ButtonListener {
  return onClick(`alert_${kind}`, log, async (click) => {
    if (kind === 'status') {
      // The value is a host name we put there; it still goes through the router like typed text.
      const msg = answerBlocks(await runCommand(`status ${click.value}`, click.caller, services));
      await click.respond({ response_type: 'ephemeral', replace_original: false, text: msg.text, blocks: msg.blocks });
      return;
    }
    await deliverAnswer(await silenceFromAlert(click.value, click.caller, services), { ...click, replaceOriginal: false });
  });
}
