import { botServices } from '../../src/app/bot-services.js';
import { Secret } from '../../src/config/secret.js';
import type { Config, HostConfig } from '../../src/config/types.js';
import { createLogger } from '../../src/log/create-logger.js';
import type { Telemetry } from '../../src/ops/telemetry.js';
import type { HostTransport } from '../../src/remote/host-transport.js';
import { createSlackApp, type SlackRunner } from '../../src/slack/create-slack-app.js';
import type { BotStore } from '../../src/store/bot-store.js';
import { freePort } from './free-port.js';
import type { SlackDouble } from './slack-double.js';
import { type SlackSender, slackSender } from './slack-requests.js';

export interface HttpSlackApp {
  readonly app: SlackRunner;
  /** The app's base URL (POST /slack/events there). */
  readonly url: string;
  /** Correctly signed slash commands and clicks into Bolt's real HTTP receiver. */
  readonly send: SlackSender;
}

/**
 * The bot's Slack adapter in HTTP mode on a free port, over the real services, talking to the Web
 * API double: what every test of Bolt's receiver starts with.
 */
export async function startHttpSlackApp(opts: {
  readonly config: Config;
  readonly slack: SlackDouble;
  readonly secret: string;
  readonly transportFor: (h: HostConfig) => HostTransport;
  readonly store?: BotStore;
  readonly telemetry?: Telemetry;
  /** The services' clock (a test's fake one, shared with its watcher cycles); Date.now otherwise. */
  readonly clock?: () => number;
}): Promise<HttpSlackApp> {
  const log = createLogger({ level: 'silent' });
  const port = await freePort();
  const app = createSlackApp(
    { mode: 'http', botToken: new Secret('xoxb-test'), signingSecret: new Secret(opts.secret), port, apiUrl: opts.slack.apiUrl },
    botServices({
      config: opts.config,
      transportFor: opts.transportFor,
      clock: opts.clock ?? Date.now,
      log,
      ...(opts.store ? { store: opts.store } : {}),
      ...(opts.telemetry ? { telemetry: opts.telemetry } : {}),
    }),
    log,
    opts.telemetry ? { telemetry: opts.telemetry } : {},
  );
  await app.start();
  const url = `http://127.0.0.1:${port}`;
  return { app, url, send: slackSender(url, opts.slack, opts.secret) };
}
