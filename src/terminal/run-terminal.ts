import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Caller, CommandServices } from '../commands/command.js';
import { isAnswer } from '../commands/host-args.js';
import { planCommand } from '../commands/router.js';
import { renderAnswer } from './render-answer.js';

/**
 * Terminal mode: a prompt where the Slack subcommands work (`status`, `logs prod-1`, …), one line
 * at a time, answered as text. Ends on `quit`, `exit` or end of input.
 */
export async function runTerminal(input: Readable, output: Writable, services: CommandServices, opts: { color: boolean; prompt: boolean }): Promise<void> {
  const caller: Caller = { userId: 'terminal', source: 'terminal' };
  const rl = createInterface({ input, terminal: false });
  const say = (text: string): void => {
    output.write(`${text}\n`);
  };
  const prompt = (): void => {
    if (opts.prompt) output.write('moneymind> ');
  };
  say(`MoneyMind ops bot — terminal mode (${services.config.hosts.length} host${services.config.hosts.length === 1 ? '' : 's'} from ${services.config.source}). Type help.`);
  prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === 'quit' || text === 'exit') break;
    if (text) {
      const plan = planCommand(text, caller, services.config);
      if (isAnswer(plan)) say(renderAnswer(plan, { color: opts.color }));
      else {
        say(plan.progress);
        say(renderAnswer(await plan.run(services), { color: opts.color }));
      }
    }
    prompt();
  }
  rl.close();
}
