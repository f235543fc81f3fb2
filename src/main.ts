import { createBot } from './app/create-bot.js';
import { asOpsError } from './errors.js';

/*
 * The bot's process: everything is built in app/create-bot.ts; this file holds what belongs to
 * the process itself (environment, stdio, signals, exit) and, with cli/main.ts, is the only file
 * that touches process globals.
 */
const env = process.env;
const bot = createBot({
  env,
  stdin: process.stdin,
  stdout: process.stdout,
  color: Boolean(process.stdout.isTTY) && !env.NO_COLOR,
  prompt: Boolean(process.stdin.isTTY),
});
/*
 * The process policy (README, Operations). A promise nobody awaited that rejects belongs to one
 * request, one post or one Slack call: logged, counted, and the bot goes on — Node's default
 * would end the process and abandon a restart in flight. An exception that unwound the stack to
 * here left state we cannot vouch for: logged as fatal, exit 1, and the supervisor (systemd
 * Restart=on-failure, Docker --restart unless-stopped) starts a clean process; the store is SQLite
 * with committed transactions only, and a restart cut short is reported at the next start.
 */
process.on('unhandledRejection', (reason) => bot.strayRejection(reason));
process.on('uncaughtException', (err, origin) => {
  bot.fatal(err, origin);
  process.exit(1);
});
try {
  const mode = await bot.start();
  if (mode !== 'terminal') {
    const shutdown = async (signal: string): Promise<void> => {
      // Bounded: a stuck Slack socket or SSH close must not keep the process alive.
      setTimeout(() => process.exit(1), 10_000).unref();
      await bot.stop(signal);
      process.exit(0);
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
  }
} catch (err) {
  process.stderr.write(`moneymind: ${asOpsError(err).toUserText()}\n`);
  process.exitCode = 2;
}
