import { App, type BlockButtonAction, LogLevel, webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CommandServices } from '../commands/command.js';
import { RateLimiter } from '../commands/rate-limiter.js';
import type { SlackSettings } from '../config/slack-settings.js';
import type { OpsRoutes } from '../ops/ops-routes.js';
import { noTelemetry, type Telemetry } from '../ops/telemetry.js';
import type { RestartService } from '../restart/restart-service.js';
import { boltLogger } from './bolt-logger.js';
import { guardedHttpReceiver } from './guarded-http-receiver.js';
import { ackButton } from './listeners/ack-buttons.js';
import { alertButton } from './listeners/alert-buttons.js';
import type { ButtonListener } from './listeners/interaction.js';
import { moneymindCommand } from './listeners/moneymind-command.js';
import { reportButton } from './listeners/report-buttons.js';
import { trendButton } from './listeners/trend-buttons.js';
import { restartButton } from './listeners/restart-buttons.js';
import { rejectMalformed } from './reject-malformed.js';
import { commandRateLimit, refreshRateLimit } from './rate-limit-guard.js';
import { RestartFlow } from './restart-flow.js';
import { type LinkAttempt, LinkStepError, SlackLink, type SlackState } from './slack-link.js';
import { socketModeLink } from './socket-mode-link.js';

export interface SlackRunner {
  /** HTTP mode: resolves once listening on PORT. Either mode: Slack is reached in the background. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** For /healthz: 'connecting' until Slack is first reached; then 'connected' (socket) or 'http'. */
  state(): SlackState;
  /** Why the last attempt to reach Slack failed, while it is not reached. */
  lastError(): string | undefined;
}

export interface SlackExtras {
  readonly ops?: OpsRoutes;
  readonly telemetry?: Telemetry;
  /** Each time Slack is reached (again): alerts queued meanwhile need not wait out their backoff. */
  readonly onSlackReached?: () => void;
  /** For slack.rateLimit's window; tests pass their own. */
  readonly clock?: () => number;
}

const COMMAND = '/moneymind';

/**
 * The Bolt app in Socket Mode or HTTP mode (path /slack/events). Listeners stay small: ack, call
 * the router, render with the pure Block Kit builders. Nothing here waits for Slack: requests are
 * served (HTTP) and the watcher runs while SlackLink keeps trying to reach it.
 */
export function createSlackApp(
  settings: Exclude<SlackSettings, { mode: 'none' }>,
  services: CommandServices & { readonly restartService?: RestartService | undefined },
  log: Logger,
  extras: SlackExtras = {},
): SlackRunner {
  const telemetry = extras.telemetry ?? noTelemetry;
  const token = settings.botToken.reveal();
  const logger = boltLogger(log);
  const apiUrl = settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {};
  // The Web API client's default retry policy can stall for half an hour; answers are retried
  // by the caller where it matters.
  const clientOptions = { ...apiUrl, logger, retryConfig: { retries: 2, maxTimeout: 2000 } };
  const flow = services.restartService
    ? new RestartFlow(
        services.restartService,
        new webApi.WebClient(token, clientOptions),
        async (h) => services.incidents?.openThread(h),
        log.child({ component: 'restart' }),
        services.config.slack.approverGroups,
      )
    : undefined;
  const buttons: Record<string, ButtonListener> = {
    refresh: reportButton('refresh', services, log),
    logs: reportButton('logs', services, log),
    alert_status: alertButton('status', services, log),
    alert_silence: alertButton('silence', services, log),
    alert_trend: trendButton('alert_trend', services, log),
    trend: trendButton('trend', services, log),
    alert_ack: ackButton(true, services, log),
    alert_unack: ackButton(false, services, log),
    restart_confirm: restartButton('confirm', flow, services, log),
    restart_cancel: restartButton('cancel', flow, services, log),
    restart_request: restartButton('request', flow, services, log),
  };
  const accepted = { commands: new Set([COMMAND]), actions: new Set(Object.keys(buttons)) };

  // The bot token is checked (auth.test) by SlackLink in the background, never on a request's path.
  // Its own failures are SlackLink's to log, once per attempt, with the reason.
  const checker = new webApi.WebClient(token, { ...apiUrl, logger: boltLogger(log, 'debug'), retryConfig: { retries: 0 }, timeout: 10_000 });
  let identity: { botId?: string; botUserId?: string } | undefined;
  const checkToken = async (): Promise<void> => {
    if (identity) return;
    const r = await checker.auth.test().catch((err: unknown) => {
      throw new LinkStepError('auth.test', 'SLACK_BOT_TOKEN', err);
    });
    identity = { ...(r.bot_id ? { botId: r.bot_id } : {}), ...(r.user_id ? { botUserId: r.user_id } : {}) };
  };
  // HTTP mode holds nothing open: once auth.test has answered, Slack is reached.
  const httpAttempt: LinkAttempt = { upState: 'http', connect: checkToken, lost: () => new Promise<void>(() => undefined), abort: async () => undefined };
  const customRoutes = extras.ops
    ? [
        { path: '/healthz', method: ['GET'], handler: extras.ops.healthz },
        { path: '/metrics', method: ['GET'], handler: extras.ops.metrics },
      ]
    : [];
  const { receiver, attempt } =
    settings.mode === 'socket'
      ? socketModeLink(settings.appToken.reveal(), settings.apiUrl, log, telemetry, checkToken)
      : { receiver: guardedHttpReceiver({ signingSecret: settings.signingSecret.reveal(), accepted, customRoutes, log, telemetry }), attempt: httpAttempt };
  const app = new App({
    receiver,
    // Not `token`: given one, Bolt calls auth.test in its constructor and keeps the promise. With
    // Slack down at start, that promise's rejection was unhandled (the process exited 1) and every
    // later request would have failed on the kept error.
    authorize: async () => ({ botToken: token, ...identity }),
    logger,
    logLevel: LogLevel.WARN,
    clientOptions,
  });
  app.use(rejectMalformed(accepted, log, telemetry));
  // One person repeating report or status of all hosts must not take the watcher's SSH channels.
  const limiter = new RateLimiter(services.config.slack.rateLimit, extras.clock ?? Date.now);
  app.command(
    COMMAND,
    commandRateLimit(services.config, limiter, log),
    moneymindCommand(services, log, () => flow),
  );
  // A guard goes in the same registration as its listener: Bolt runs every listener that matches.
  const guards: Partial<Record<string, ButtonListener>> = { refresh: refreshRateLimit(services.config, limiter, log) };
  for (const [id, listener] of Object.entries(buttons)) {
    const guard = guards[id];
    if (guard) app.action<BlockButtonAction>(id, guard, listener);
    else app.action<BlockButtonAction>(id, listener);
  }
  app.error(async (err) => {
    // A listener's error is its request's alone: logged and counted, never rethrown.
    telemetry.error('slack_listener');
    log.error({ err: err.message, code: (err as { code?: string }).code }, 'slack listener error');
  });

  let recovered = false;
  const link = new SlackLink(attempt, {
    log: log.child({ component: 'slack-link' }),
    telemetry,
    onConnected: () => {
      extras.onSlackReached?.();
      if (recovered) return;
      recovered = true;
      // Restarts that were running when the bot died are reported (never re-run); stale requests
      // expire. Once Slack is reached, so the report is not lost to an outage at start.
      void flow?.recover().catch((err: unknown) => log.error({ err }, 'could not report restarts left over from before'));
    },
  });
  return {
    start: async () => {
      if (settings.mode === 'http') await app.start(settings.port);
      link.start();
    },
    stop: async () => {
      flow?.stop();
      await flow?.drain(5000);
      await link.stop();
      if (settings.mode === 'http') await app.stop();
    },
    state: () => link.state(),
    lastError: () => link.lastError(),
  };
}
