import { existsSync } from 'node:fs';
import { loadConfig } from './config/load-config.js';
import { engineServices } from './engine/engine-services.js';
import { asOpsError } from './errors.js';
import { createLogger } from './log/create-logger.js';
import { TransportPool } from './remote/transport-pool.js';
import { runTerminal } from './terminal/run-terminal.js';

/*
 * The bot: config → logger → transports → services → adapter. With no Slack tokens it runs in
 * terminal mode. The Slack adapter (Socket Mode / HTTP) is being built under issue 3; until it
 * lands, tokens are refused with a clear message rather than silently ignored.
 */
const env = process.env;
const log = createLogger({ level: env.LOG_LEVEL ?? 'warn' });
let pool: TransportPool | undefined;
try {
  const file = env.MONEYMIND_CONFIG ?? (existsSync('moneymind.yml') ? 'moneymind.yml' : undefined);
  const config = loadConfig(env, file);
  if (env.SLACK_BOT_TOKEN) {
    process.stderr.write('moneymind: SLACK_BOT_TOKEN is set but the Slack adapter is not built yet (issue 3); unset it to use terminal mode\n');
    process.exit(2);
  }
  pool = new TransportPool(log);
  const p = pool;
  const services = engineServices(config, (h) => p.get(h), Date.now, log);
  await runTerminal(process.stdin, process.stdout, services, { color: Boolean(process.stdout.isTTY) && !env.NO_COLOR, prompt: Boolean(process.stdin.isTTY) });
} catch (err) {
  const e = asOpsError(err);
  process.stderr.write(`moneymind: ${e.toUserText()}\n`);
  process.exitCode = 2;
} finally {
  await pool?.closeAll();
}
