import { formatDuration } from '../config/duration.js';
import type { Config } from '../config/types.js';
import type { Answer } from './answer.js';
import { areaCommand } from './area-command.js';
import type { Caller, Command, CommandServices, Plan } from './command.js';
import { doctorCommand } from './doctor-command.js';
import { hostsCommand } from './hosts-command.js';
import { logsCommand } from './logs-command.js';
import { reportCommand } from './report-command.js';
import { historyCommand } from './history-command.js';
import { restartCommand } from './restart-command.js';
import { silenceCommand, unsilenceCommand } from './silence-command.js';
import { statusCommand } from './status-command.js';
import { trendCommand } from './trend-command.js';
import type { RateLimiter } from './rate-limiter.js';
import { tokenize } from './tokenize.js';

/** The registry: a new subcommand is one file and one line here. */
export const COMMANDS: readonly Command[] = [
  statusCommand,
  areaCommand('health'),
  areaCommand('service'),
  areaCommand('port'),
  areaCommand('resources'),
  areaCommand('db'),
  logsCommand,
  reportCommand,
  trendCommand,
  hostsCommand,
  silenceCommand,
  unsilenceCommand,
  historyCommand,
  restartCommand,
  doctorCommand,
];

/**
 * The one router Slack and the terminal share. Parsing and validation happen here, before
 * anything runs, so an adapter can acknowledge at once with `plan.progress` and run later.
 */
export function planCommand(text: string, caller: Caller, config: Config, commands: readonly Command[] = COMMANDS): Plan | Answer {
  const t = tokenize(text);
  if ('error' in t) return { kind: 'error', visibility: 'ephemeral', message: t.error };
  const [name, ...args] = t.words;
  if (name === undefined || name.toLowerCase() === 'help') return help(caller, config, commands);
  const cmd = commands.find((c) => c.name === name.toLowerCase());
  if (!cmd) return help(caller, config, commands, `unknown command "${name.slice(0, 40)}"`);
  if (!cmd.allowed(caller, config)) return { kind: 'error', visibility: 'ephemeral', message: `you may not run ${cmd.name}` };
  return cmd.plan(args, config);
}

/** The answer to what the router returned: the plan run, or its own answer (an error, help) as is. */
export async function answerOf(plan: Plan | Answer, services: CommandServices, caller: Caller): Promise<Answer> {
  return plan.kind === 'plan' ? plan.run(services, caller) : plan;
}

/** Text → answer in one step, for an adapter that shows no progress line (a button, a test). */
export async function runCommand(text: string, caller: Caller, services: CommandServices): Promise<Answer> {
  return answerOf(planCommand(text, caller, services.config), services, caller);
}

/**
 * The per-user limit on expensive commands (report, the status of all hosts), for the Slack
 * adapter to ask before it acknowledges: the ephemeral "try again in N s" answer when this caller
 * is over slack.rateLimit, else undefined. Cheap, invalid or refused commands are not counted.
 * The terminal and the CLI do not ask: their user already has a shell on the bot's machine.
 */
export function overRateLimit(text: string, caller: Caller, config: Config, limiter: RateLimiter): Extract<Answer, { kind: 'error' }> | undefined {
  const plan = planCommand(text, caller, config);
  if (plan.kind !== 'plan' || !plan.expensive) return undefined;
  const taken = limiter.take(caller.userId);
  if (taken.ok) return undefined;
  const { max, windowMs } = config.slack.rateLimit;
  return {
    kind: 'error',
    visibility: 'ephemeral',
    message:
      `try again in ${Math.ceil(taken.retryInMs / 1000)} s: at most ${max} expensive command${max === 1 ? '' : 's'} ` +
      `(report, status of all hosts) per person every ${formatDuration(windowMs)}, so the watcher keeps its SSH sessions`,
    fix: 'one host at a time (`status HOST`) is not limited',
  };
}

/** Usage listing only what this caller may run. */
function help(caller: Caller, config: Config, registry: readonly Command[], intro?: string): Answer {
  const commands = registry.filter((c) => c.allowed(caller, config)).map((c) => ({ usage: c.usage, description: c.description }));
  commands.push({ usage: 'help', description: 'this list' });
  return { kind: 'help', visibility: 'ephemeral', commands, ...(intro ? { intro } : {}) };
}
