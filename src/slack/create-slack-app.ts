import { App, type BlockButtonAction, LogLevel } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CommandServices } from '../commands/command.js';
import type { SlackSettings } from '../config/slack-settings.js';
import { moneymindCommand } from './listeners/moneymind-command.js';
import { reportButton } from './listeners/report-buttons.js';
import { alertButton } from './listeners/alert-buttons.js';
import { restartButton } from './listeners/restart-buttons.js';
import { RestartFlow } from './restart-flow.js';
import type { EngineServices } from '../engine/engine-services.js';
import type { OpsRoutes } from '../ops/ops-routes.js';

export interface SlackRunner {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** For /healthz: the Socket Mode connection, or 'http' (nothing to hold open). */
  state(): 'connected' | 'disconnected' | 'http' | 'connecting';
}

/**
 * The Bolt app in Socket Mode or HTTP mode (Bolt's own receiver, path /slack/events). Listeners
 * stay small: ack, call the router, render with the pure Block Kit builders.
 */
export function createSlackApp(settings: Exclude<SlackSettings, { mode: 'none' }>, services: CommandServices & Partial<Pick<EngineServices, 'restartService'>>, log: Logger, extras: { ops?: OpsRoutes } = {}): SlackRunner {
  const slackLog = log.child({ component: 'bolt' });
  const common = {
    token: settings.botToken.reveal(),
    logLevel: LogLevel.WARN,
    logger: {
      debug: (...m: unknown[]) => slackLog.debug(m.join(' ')),
      info: (...m: unknown[]) => slackLog.info(m.join(' ')),
      warn: (...m: unknown[]) => slackLog.warn(m.join(' ')),
      error: (...m: unknown[]) => slackLog.error(m.join(' ')),
      setLevel: () => undefined,
      getLevel: () => LogLevel.WARN,
      setName: () => undefined,
    },
    // The Web API client's default retry policy can stall for half an hour; answers are retried
    // by the caller where it matters.
    clientOptions: { ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}), retryConfig: { retries: 2, maxTimeout: 2000 } },
  };
  const app =
    settings.mode === 'socket'
      ? new App({
          ...common,
          socketMode: true,
          appToken: settings.appToken.reveal(),
          // The Socket Mode client has its own Web API client (apps.connections.open); it must
          // follow SLACK_API_URL too. Its reconnect retry policy is left as Slack ships it.
          installerOptions: { clientOptions: settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {} },
        })
      : new App({
          ...common,
          signingSecret: settings.signingSecret.reveal(),
          port: settings.port,
          // /healthz and /metrics on the same port as /slack/events.
          ...(extras.ops ? { customRoutes: [{ path: '/healthz', method: ['GET'], handler: extras.ops.healthz }, { path: '/metrics', method: ['GET'], handler: extras.ops.metrics }] } : {}),
        });
  let socketState: 'connected' | 'disconnected' | 'connecting' = 'connecting';
  if (settings.mode === 'socket') {
    // Bolt keeps its receiver private; its Socket Mode client says when the socket comes and goes.
    const client = (app as unknown as { receiver?: { client?: { on(e: string, f: () => void): void } } }).receiver?.client;
    client?.on('connected', () => (socketState = 'connected'));
    client?.on('disconnected', () => (socketState = 'disconnected'));
  }
  app.command('/moneymind', moneymindCommand(services, log, () => flow));
  app.action<BlockButtonAction>('refresh', reportButton('refresh', services, log));
  app.action<BlockButtonAction>('logs', reportButton('logs', services, log));
  app.action<BlockButtonAction>('alert_status', alertButton('status', services, log));
  app.action<BlockButtonAction>('alert_silence', alertButton('silence', services, log));
  const flow = services.restartService ? new RestartFlow(services.restartService, app.client, (h) => services.incidents?.openThread(h), log.child({ component: 'restart' }), services.config.slack.approverGroups) : undefined;
  app.action<BlockButtonAction>('restart_confirm', restartButton('confirm', flow, services, log));
  app.action<BlockButtonAction>('restart_cancel', restartButton('cancel', flow, services, log));
  app.action<BlockButtonAction>('restart_request', restartButton('request', flow, services, log));
  app.error(async (err) => {
    log.error({ err: err.message, code: (err as { code?: string }).code }, 'slack listener error');
  });
  return {
    start: async () => {
      await (settings.mode === 'http' ? app.start(settings.port) : app.start());
      // Restarts that were running when the bot died are reported (never re-run); stale requests expire.
      await flow?.recover();
    },
    stop: async () => {
      flow?.stop();
      await flow?.drain(5000);
      await app.stop();
    },
    state: () => (settings.mode === 'http' ? 'http' : socketState),
  };
}
