import { configPath } from './config/config-path.js';
import { loadConfig } from './config/load-config.js';
import { loadSlackSettings } from './config/slack-settings.js';
import { engineServices } from './engine/engine-services.js';
import { asOpsError } from './errors.js';
import { createLogger } from './log/create-logger.js';
import { TransportPool } from './remote/transport-pool.js';
import { createSlackApp } from './slack/create-slack-app.js';
import { runTerminal } from './terminal/run-terminal.js';

/*
 * The bot: config → logger → transports → services → adapter (Slack, or terminal mode when no
 * Slack tokens are set). The only file, with cli/main.ts, that touches process globals.
 */
const env = process.env;
const log = createLogger({ level: env.LOG_LEVEL ?? 'info' });
const pool = new TransportPool(log);
try {
  const config = loadConfig(env, configPath(undefined, env));
  const slack = loadSlackSettings(env);
  const services = engineServices(config, (h) => pool.get(h), Date.now, log);
  if (slack.mode === 'none') {
    await runTerminal(process.stdin, process.stdout, services, { color: Boolean(process.stdout.isTTY) && !env.NO_COLOR, prompt: Boolean(process.stdin.isTTY) });
    await pool.closeAll();
  } else {
    const app = createSlackApp(slack, services, log);
    await app.start();
    log.info({ mode: slack.mode, hosts: config.hosts.length }, 'moneymind bot started');
    const shutdown = async (signal: string): Promise<void> => {
      log.info({ signal }, 'shutting down');
      // Bounded: a stuck Slack socket or SSH close must not keep the process alive.
      setTimeout(() => process.exit(1), 10_000).unref();
      await app.stop();
      await pool.closeAll();
      process.exit(0);
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
  }
} catch (err) {
  const e = asOpsError(err);
  process.stderr.write(`moneymind: ${e.toUserText()}\n`);
  await pool.closeAll();
  process.exitCode = 2;
}
