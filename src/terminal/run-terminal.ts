import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { redact } from '../boundary/redact.js';
import type { Answer } from '../commands/answer.js';
import type { Caller, CommandServices } from '../commands/command.js';
import { planCommand } from '../commands/router.js';
import { renderAnswer } from '../render/render-answer.js';

/**
 * Terminal mode: a prompt where the Slack subcommands work (`status`, `logs prod-1`, …), one line
 * at a time, answered as text. Ends on `quit`, `exit` or end of input.
 */
export async function runTerminal(
  input: Readable,
  output: Writable,
  services: CommandServices,
  opts: { color: boolean; prompt: boolean; saveDir?: string },
): Promise<void> {
  const caller: Caller = { userId: 'terminal', source: 'terminal' };
  const rl = createInterface({ input, terminal: false });
  const say = (text: string): void => {
    output.write(`${text}\n`);
  };
  const prompt = (): void => {
    if (opts.prompt) output.write('moneymind> ');
  };
  const n = services.config.hosts.length;
  say(`MoneyMind ops bot — terminal mode (${n} host${n === 1 ? '' : 's'} from ${services.config.source}). Type help; quit or Ctrl-D leaves.`);
  if (services.config.source.startsWith('built-in'))
    say("No config: checking this machine with the runbook's defaults. Write moneymind.yml (README, Configuration) or set MONEYMIND_CONFIG.");
  prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === 'quit' || text === 'exit') break;
    if (text) {
      const plan = planCommand(text, caller, services.config);
      if (plan.kind === 'help' && plan.intro)
        say(`${plan.intro}. Type help for the commands.`); // a usage error: one hint
      else if (plan.kind !== 'plan') {
        say(renderAnswer(plan, { color: opts.color }));
        if (plan.kind === 'help') say(`${'  quit | exit | Ctrl-D'.padEnd(26)} leave terminal mode`);
      } else {
        say(plan.progress);
        try {
          say(await show(await plan.run(services, caller), opts));
        } catch (err) {
          // An error can quote what a host said; it is redacted like everything else from a host.
          say(`error: ${redact(err instanceof Error ? err.message : String(err))}`);
        }
      }
    }
    prompt();
  }
  rl.close();
}

/** A file answer (the support bundle) is saved where the operator runs the bot, owner-only. */
async function show(a: Answer, opts: { color: boolean; saveDir?: string }): Promise<string> {
  if (a.kind !== 'file') return renderAnswer(a, { color: opts.color });
  const dir = opts.saveDir ?? process.cwd();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, a.filename);
  await writeFile(path, a.content, { mode: 0o600 });
  return `${renderAnswer(a, { color: opts.color })}\nsaved ${path}`;
}
