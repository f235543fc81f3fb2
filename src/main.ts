import type { Server } from 'node:http';
import { Redactor } from './boundary/redactor.js';
import { secretValues } from './boundary/secret-values.js';
import { configPath } from './config/config-path.js';
import { loadConfig } from './config/load-config.js';
import { loadOpsSettings } from './config/ops-settings.js';
import { loadSlackSettings } from './config/slack-settings.js';
import { engineServices } from './engine/engine-services.js';
import { asOpsError } from './errors.js';
import { createLogger } from './log/create-logger.js';
import { opsRoutes, startOpsServer } from './ops/ops-routes.js';
import { PromTelemetry } from './ops/prom-telemetry.js';
import { TransportPool } from './remote/transport-pool.js';
import { slackAlertSender } from './slack/alert-sender.js';
import { createSlackApp, type SlackRunner } from './slack/create-slack-app.js';
import { Store } from './store/store.js';
import { runTerminal } from './terminal/run-terminal.js';
import { OutboxPoster } from './watch/outbox-poster.js';
import { startWatcher, type Watcher } from './watch/watcher.js';

/*
 * The bot: config → logger → store → transports → services → adapter (Slack with the watcher and
 * /healthz + /metrics, or terminal mode when no Slack tokens are set). The only file, with
 * cli/main.ts, that touches process globals.
 */
const env = process.env;
// What hosts say and what the bot logs is redacted (src/boundary); the configured secrets are
// added to it as soon as they are loaded, before any host is reached or any secret logged.
const redactor = new Redactor();
const log = createLogger({ level: env.LOG_LEVEL ?? 'info', pretty: env.LOG_FORMAT === 'pretty', redact: redactor.redact });
const telemetry = new PromTelemetry();
/*
 * The process policy (README, Operations). A promise nobody awaited that rejects belongs to one
 * request, one post or one Slack call: logged, counted, and the bot goes on — Node's default
 * would end the process and abandon a restart in flight. An exception that unwound the stack to
 * here left state we cannot vouch for: logged as fatal, exit 1, and the supervisor (systemd
 * Restart=on-failure, Docker --restart unless-stopped) starts a clean process; the store is SQLite
 * with committed transactions only, and a restart cut short is reported at the next start.
 */
process.on('unhandledRejection', (reason) => {
  telemetry.error('unhandled_rejection');
  log.error({ err: reason }, 'unhandled promise rejection; carrying on');
});
process.on('uncaughtException', (err, origin) => {
  log.fatal({ err, origin }, 'uncaught exception; exiting for the supervisor to restart the bot');
  process.exit(1);
});
const pool = new TransportPool(log, redactor.redact);
const startedAt = Date.now();
let store: Store | undefined;
try {
  const config = loadConfig(env, configPath(undefined, env));
  const slack = loadSlackSettings(env);
  redactor.addSecrets(secretValues(config, slack));
  store = new Store(config.watch.store, { warn: (msg, detail) => log.warn(detail, msg) });
  const services = engineServices(config, (h) => pool.get(h), Date.now, log, store, telemetry);
  if (slack.mode === 'none') {
    await runTerminal(process.stdin, process.stdout, services, { color: Boolean(process.stdout.isTTY) && !env.NO_COLOR, prompt: Boolean(process.stdin.isTTY) });
    await pool.closeAll();
    store.close();
  } else {
    let watcher: Watcher | undefined;
    let app: SlackRunner | undefined;
    const metrics = loadOpsSettings(env, slack.mode);
    redactor.addSecrets(secretValues(metrics));
    const ops = opsRoutes(
      telemetry,
      () => ({
        startedAt,
        watch: watcher ? { lastCycleAt: telemetry.lastCycleAt, staleAfterMs: Math.max(3 * watcher.intervalMs, 180_000) } : undefined,
        slack: app?.state() ?? 'connecting',
        slackError: app?.lastError(),
      }),
      { metricsToken: metrics.metricsToken },
    );
    // In HTTP mode the Slack port is public, and /metrics with it (host names, incident counts).
    if (slack.mode === 'http' && !metrics.metricsToken) log.warn({}, 'METRICS_TOKEN is not set: /metrics is open to anyone who reaches PORT; set it and give Prometheus the token');
    let poster: OutboxPoster | undefined;
    // Alerts refused while Slack was away back off up to 5 min each; once it is back they go now.
    app = createSlackApp(slack, services, log, { ops, telemetry, onSlackReached: () => poster?.retryNow() });
    // Nothing below waits for Slack: /healthz listens first (503 "slack: connecting" until Slack is
    // reached), the watcher queues its alerts in the outbox meanwhile, and Slack is retried with
    // backoff in the background. HTTP mode serves /healthz and /metrics beside /slack/events, on
    // PORT; Socket Mode needs a port for them (this machine only, unless METRICS_HOST says otherwise).
    const opsServer: Server | undefined = slack.mode === 'socket' ? await startOpsServer(ops, metrics.port, metrics.host) : undefined;
    await app.start();
    const channel = config.slack.alertChannel;
    if (channel) {
      poster = new OutboxPoster(store, slackAlertSender(slack.botToken.reveal(), slack.apiUrl), log.child({ component: 'outbox' }), { channel, telemetry });
      poster.kick(); // posts left over from before a restart go out first
      watcher = startWatcher({ config, store, transportFor: (h) => pool.get(h), log: log.child({ component: 'watch' }), clock: Date.now, poster, telemetry, onReports: (r, at) => services.remember(r, at) });
    } else {
      log.warn({}, 'no slack.alertChannel in the config: the watcher is off (commands still work)');
    }
    log.info({ mode: slack.mode, hosts: config.hosts.length, watch: channel ? config.watch.schedule : 'off', metrics: opsServer ? `${metrics.host}:${metrics.port}` : 'on the Slack port', metricsToken: Boolean(metrics.metricsToken) }, 'moneymind bot started');
    const openStore = store;
    const runningApp = app;
    const shutdown = async (signal: string): Promise<void> => {
      log.info({ signal }, 'shutting down');
      // Bounded: a stuck Slack socket or SSH close must not keep the process alive.
      setTimeout(() => process.exit(1), 10_000).unref();
      await watcher?.stop(); // no new cycle; the one in flight finishes
      await runningApp.stop(); // lets a running restart finish (5 s) or leaves it recorded as running
      await poster?.stop();
      await pool.closeAll();
      opsServer?.close();
      openStore.close();
      log.info({}, 'stopped');
      process.exit(0);
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
  }
} catch (err) {
  const e = asOpsError(err);
  process.stderr.write(`moneymind: ${e.toUserText()}\n`);
  await pool.closeAll();
  store?.close();
  process.exitCode = 2;
}
