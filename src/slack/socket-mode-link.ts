import { SocketModeReceiver } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Telemetry } from '../ops/telemetry.js';
import { boltLogger } from './bolt-logger.js';
import { type LinkAttempt, LinkStepError } from './slack-link.js';

/**
 * Bolt's SocketModeReceiver, with its reconnecting left to SlackLink. Left to itself the Socket
 * Mode client retries apps.connections.open 100 times at a growing, uncapped interval, so
 * `app.start()` never returned while Slack was down; a failure while reconnecting after a drop
 * became an unhandled rejection and the client stopped trying. Here one attempt is one try, and
 * SlackLink does the retrying (capped, logged, counted) from start to shutdown.
 */
export function socketModeLink(
  appToken: string,
  apiUrl: string | undefined,
  log: Logger,
  telemetry: Telemetry,
  checkToken: () => Promise<void>,
): { receiver: SocketModeReceiver; attempt: LinkAttempt } {
  const receiver = new SocketModeReceiver({
    appToken,
    logger: boltLogger(log),
    autoReconnectEnabled: false,
    // The client has its own Web API client (apps.connections.open): it follows SLACK_API_URL too.
    installerOptions: { clientOptions: { ...(apiUrl ? { slackApiUrl: apiUrl } : {}), retryConfig: { retries: 0 }, timeout: 10_000 } },
    // Errors before any listener runs (an envelope whose payload is null): acked so Slack does not
    // send again what can never work, logged and counted.
    processEventErrorHandler: async ({ error, event }) => {
      telemetry.error('slack_request');
      log.warn({ err: error, type: (event.body as { type?: unknown } | null)?.type }, 'Slack envelope rejected');
      return true;
    },
  });
  const client = receiver.client;
  return {
    receiver,
    attempt: {
      upState: 'connected',
      async connect() {
        await checkToken();
        // start() resolves on Slack's hello and rejects with nothing when the socket closes first.
        await receiver.start().catch((err: unknown) => {
          throw new LinkStepError('socket', 'SLACK_APP_TOKEN', err ?? new Error('the socket closed before Slack said hello'));
        });
      },
      lost: () => new Promise<void>((resolve) => client.once('disconnected', () => resolve())),
      // Not awaited: a close handshake may take Slack's 30 s, and shutdown has 10 s in all.
      abort: async () => void client.disconnect(),
    },
  };
}
