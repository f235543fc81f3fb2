import { dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { Redactor } from '../boundary/redactor.js';
import { secretValues } from '../boundary/secret-values.js';
import { configPath } from '../config/config-path.js';
import { type Env, loadConfig } from '../config/load-config.js';
import { loadSlackSettings } from '../config/slack-settings.js';
import { createLogger } from '../log/create-logger.js';
import { PromTelemetry } from '../ops/prom-telemetry.js';
import { TransportPool } from '../remote/transport-pool.js';
import type { BotStore } from '../store/bot-store.js';
import { openStore } from '../store/open-store.js';
import { runTerminal } from '../terminal/run-terminal.js';
import { botServices } from './bot-services.js';
import { type SlackMode, startSlackMode } from './start-slack-mode.js';

/** What main.ts hands over from the process: its environment and stdio, and whether they are TTYs. */
export interface BotDeps {
  readonly env: Env;
  readonly stdin: Readable;
  readonly stdout: Writable;
  /** Terminal mode: colour (a TTY, and no NO_COLOR) and a prompt (stdin is a TTY). */
  readonly color: boolean;
  readonly prompt: boolean;
  readonly clock?: () => number;
}

export interface Bot {
  /**
   * Config → store → services → adapter. Terminal mode resolves when its input ends, everything
   * closed; Slack mode once it serves (Slack itself is reached in the background). On an error it
   * closes what it opened and throws (an OpsError for a config problem).
   */
  start(): Promise<'terminal' | 'socket' | 'http'>;
  /** The ordered shutdown of a started Slack-mode bot. */
  stop(signal: string): Promise<void>;
  /** A promise nobody awaited rejected: logged and counted. */
  strayRejection(reason: unknown): void;
  /** An exception unwound the stack: logged as fatal (the caller ends the process). */
  fatal(err: unknown, origin: string): void;
}

/**
 * The bot's one composition root: config → logger/redactor → store → transports → services →
 * Slack (with the watcher and /healthz + /metrics) or terminal mode when no Slack tokens are set.
 */
export function createBot(d: BotDeps): Bot {
  const { env } = d;
  const clock = d.clock ?? Date.now;
  // What hosts say and what the bot logs is redacted (src/boundary); the configured secrets are
  // added to it as soon as they are loaded, before any host is reached or any secret logged.
  const redactor = new Redactor();
  // Terminal mode is a person at a prompt: no JSON log lines between the answers unless LOG_LEVEL asks.
  const log = createLogger({
    level: env.LOG_LEVEL ?? (terminalMode(env) ? 'silent' : 'info'),
    pretty: env.LOG_FORMAT === 'pretty',
    redact: redactor.redact,
  });
  const telemetry = new PromTelemetry();
  const pool = new TransportPool(log, redactor.redact);
  const startedAt = clock();
  let store: BotStore | undefined;
  let slackMode: SlackMode | undefined;
  return {
    async start() {
      try {
        const config = loadConfig(env, configPath(undefined, env));
        const slack = loadSlackSettings(env);
        redactor.addSecrets(secretValues(config, slack));
        store = await openStore(config.watch, { warn: (msg, detail) => log.warn(detail, msg) });
        const services = botServices({ config, transportFor: (h) => pool.get(h), clock, log, store, telemetry });
        if (slack.mode === 'none') {
          // Support bundles go beside the store (./data/ by default, ignored by git), not into the checkout;
          // with a MySQL store, into ./data/.
          const saveDir = join(config.watch.storeMysql ? 'data' : dirname(config.watch.store), 'bundles');
          await runTerminal(d.stdin, d.stdout, services, { color: d.color, prompt: d.prompt, saveDir });
          await pool.closeAll();
          await store.close();
          return 'terminal';
        }
        const deps = { config, slack, env, redactor, log, telemetry, pool, store, services, startedAt, clock };
        slackMode = await startSlackMode(deps);
        return slack.mode;
      } catch (err) {
        await pool.closeAll();
        await store?.close();
        throw err;
      }
    },
    async stop(signal) {
      log.info({ signal }, 'shutting down');
      await slackMode?.stop();
      log.info({}, 'stopped');
    },
    strayRejection(reason) {
      telemetry.error('unhandled_rejection');
      log.error({ err: reason }, 'unhandled promise rejection; carrying on');
    },
    fatal(err, origin) {
      log.fatal({ err, origin }, 'uncaught exception; exiting for the supervisor to restart the bot');
    },
  };
}

/** No Slack tokens: terminal mode (a bad Slack setting is reported by start(), not here). */
function terminalMode(env: BotDeps['env']): boolean {
  try {
    return loadSlackSettings(env).mode === 'none';
  } catch {
    return false;
  }
}
